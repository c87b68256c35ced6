using System;
using System.Text;
using AzBatchOutput.Credentials;
using Xunit;

namespace AzBatchOutput.Engine.Tests.Storage
{
    /// <summary>An access token's expiry is read from its 'exp' claim when there is a usable one, and never fails the call.</summary>
    public class JwtExpiryTests
    {
        private static string Token(string payloadJson) =>
            "eyJhbGciOiJub25lIn0." + Convert.ToBase64String(Encoding.UTF8.GetBytes(payloadJson)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + ".sig";

        [Fact]
        public void TheExpiryClaimIsRead()
        {
            Assert.True(JwtExpiry.TryRead(Token("{\"exp\":1800000000}"), out var expiresOn));
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1800000000), expiresOn);
        }

        [Theory]
        [InlineData("{\"exp\":99999999999999}")]
        [InlineData("{\"exp\":-99999999999999}")]
        [InlineData("{\"exp\":\"soon\"}")]
        [InlineData("{}")]
        [InlineData("[1,2]")]
        public void AnUnusableExpiryIsNoExpiry(string payload)
        {
            Assert.False(JwtExpiry.TryRead(Token(payload), out _));
        }
    }
}
