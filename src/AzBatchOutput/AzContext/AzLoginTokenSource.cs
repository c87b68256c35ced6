using System.Threading;
using System.Threading.Tasks;
using AzBatchOutput.Credentials;
using AzBatchOutput.Pipeline;

namespace AzBatchOutput.AzContext
{
    /// <summary>
    /// Storage tokens from the Az login. A worker thread never touches the runspace: it asks the cmdlet that is
    /// running its operation, which runs Get-AzAccessToken on the pipeline thread and hands the token back.
    /// </summary>
    internal sealed class AzLoginTokenSource : IAccessTokenSource
    {
        public string Description => "The Az login (Get-AzAccessToken)";

        public Task<AccessTokenInfo> GetTokenAsync(CancellationToken cancellationToken)
        {
            var operation = ActiveOperation.Current;
            if (operation == null)
            {
                throw new BatchOutputException("AzTokenUnavailable", FailureCategory.AuthenticationError,
                    "A fresh Azure Storage token is needed, but no AzBatchOutput command is running to ask Get-AzAccessToken for one " +
                    "(background work such as output tracking cannot run PowerShell). Run the command again, or connect with a SAS or a key for long unattended work.");
            }

            if (operation.IsPipelineThread)
            {
                return Task.FromResult(AzAccounts.GetStorageToken(operation.Cmdlet));
            }

            return operation.Sink.Request(_ => AzAccounts.GetStorageToken(operation.Cmdlet));
        }
    }

    /// <summary>A token the user gave (-AccessToken): used as it is until it expires.</summary>
    internal sealed class FixedTokenSource : IAccessTokenSource
    {
        private readonly AccessTokenInfo _token;

        public FixedTokenSource(AccessTokenInfo token) => _token = token;

        public string Description => "The token given with -AccessToken";

        public Task<AccessTokenInfo> GetTokenAsync(CancellationToken cancellationToken) => Task.FromResult(_token);
    }
}
