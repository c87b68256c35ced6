using System.Threading;
using System.Threading.Tasks;

namespace AzBatchOutput.Credentials
{
    /// <summary>
    /// Where Entra ID tokens for storage come from (the Az login, or a token the user gave). Called from worker
    /// threads whenever the SDK needs a fresh token; the implementation decides how to get one safely.
    /// </summary>
    public interface IAccessTokenSource
    {
        /// <summary>What the token comes from, for messages (e.g. "the Az login (Get-AzAccessToken)").</summary>
        string Description { get; }

        Task<AccessTokenInfo> GetTokenAsync(CancellationToken cancellationToken);
    }
}
