using System;

namespace AzBatchOutput.Credentials
{
    /// <summary>A bearer token for storage and when it expires. Never printed: ToString leaves the token out.</summary>
    public sealed class AccessTokenInfo
    {
        public AccessTokenInfo(string token, DateTimeOffset expiresOn)
        {
            Token = token;
            ExpiresOn = expiresOn;
        }

        public string Token { get; }

        public DateTimeOffset ExpiresOn { get; }

        public override string ToString() => $"access token expiring {ExpiresOn:u}";
    }
}
