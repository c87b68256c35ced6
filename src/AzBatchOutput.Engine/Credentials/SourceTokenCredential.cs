using System;
using System.Threading;
using System.Threading.Tasks;
using Azure.Core;

namespace AzBatchOutput.Credentials
{
    /// <summary>
    /// Azure.Core's credential over an <see cref="IAccessTokenSource"/>. The SDK's bearer-token policy caches the
    /// token and asks again before it expires; this only adapts, so a refresh mid-transfer simply calls the source.
    /// </summary>
    internal sealed class SourceTokenCredential : TokenCredential
    {
        private readonly IAccessTokenSource _source;

        public SourceTokenCredential(IAccessTokenSource source) => _source = source;

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            GetTokenAsync(requestContext, cancellationToken).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            var token = await _source.GetTokenAsync(cancellationToken).ConfigureAwait(false);
            if (token == null || string.IsNullOrEmpty(token.Token))
            {
                throw new BatchOutputException("AccessTokenUnavailable", FailureCategory.AuthenticationError,
                    $"{_source.Description} gave no access token for storage. Run Connect-AzAccount, or pass -AccessToken.");
            }

            return new AccessToken(token.Token, token.ExpiresOn);
        }
    }
}
