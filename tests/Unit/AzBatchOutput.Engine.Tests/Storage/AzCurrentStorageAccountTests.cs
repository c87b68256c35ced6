using System;
using System.Threading;
using System.Threading.Tasks;
using AzBatchOutput.Credentials;
using AzBatchOutput.Storage;
using Xunit;

namespace AzBatchOutput.Engine.Tests.Storage
{
    /// <summary>
    /// What Set-AzCurrentStorageAccount leaves in the Az context (a connection string with the key, or a bare
    /// account name) becomes an Entra ID context on the right endpoint; anything else is refused without echoing it.
    /// </summary>
    public class AzCurrentStorageAccountTests
    {
        private sealed class NoTokens : IAccessTokenSource
        {
            public string Description => "none";

            public Task<AccessTokenInfo> GetTokenAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("no request is made here");
        }

        private static BatchOutputStorageContext From(string value, string suffix = null) =>
            StorageContexts.FromAzCurrentStorageAccount(value, new NoTokens(), suffix, "current Az context");

        [Theory]
        [InlineData("DefaultEndpointsProtocol=https;AccountName=mybatchstore;AccountKey=a2V5a2V5;EndpointSuffix=core.windows.net", null, "mybatchstore", "https://mybatchstore.blob.core.windows.net")]
        [InlineData("DefaultEndpointsProtocol=https;AccountName=cnstore;AccountKey=a2V5a2V5;EndpointSuffix=core.chinacloudapi.cn", "core.windows.net", "cnstore", "https://cnstore.blob.core.chinacloudapi.cn")]
        [InlineData("AccountName=devstoreaccount1;AccountKey=a2V5a2V5;BlobEndpoint=https://127.0.0.1:10443/devstoreaccount1", null, "devstoreaccount1", "https://127.0.0.1:10443/devstoreaccount1")]
        [InlineData("BlobEndpoint=https://sasstore.blob.core.windows.net/;SharedAccessSignature=sv=2024-08-04&ss=b&sig=c2ln", null, "sasstore", "https://sasstore.blob.core.windows.net")]
        [InlineData("plainname42", "core.usgovcloudapi.net", "plainname42", "https://plainname42.blob.core.usgovcloudapi.net")]
        [InlineData("  plainname42  ", null, "plainname42", "https://plainname42.blob.core.windows.net")]
        public void TheAccountAndEndpointComeFromTheValueOrTheAzEnvironment(string value, string suffix, string account, string endpoint)
        {
            var context = From(value, suffix);
            Assert.Equal(account, context.StorageAccountName);
            Assert.Equal(new Uri(endpoint), context.BlobEndpoint);
            Assert.Equal(StorageAuthentication.EntraId, context.Authentication);
            Assert.Equal("current Az context", context.Source);
        }

        [Theory]
        [InlineData("", "InvalidAzCurrentStorageAccount")]
        [InlineData("ab", "InvalidAzCurrentStorageAccount")]
        [InlineData("UpperCaseName", "InvalidAzCurrentStorageAccount")]
        [InlineData("name-with-dash", "InvalidAzCurrentStorageAccount")]
        [InlineData("abcdefghijklmnopqrstuvwxy", "InvalidAzCurrentStorageAccount")]
        [InlineData("BlobEndpoint=not a url;SharedAccessSignature=sig=c2VjcmV0c2ln", "InvalidAzCurrentStorageAccount")]
        [InlineData("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=c2VjcmV0c2ln;BlobEndpoint=http://127.0.0.1:10000/devstoreaccount1", "BearerTokenNeedsHttps")]
        [InlineData("UseDevelopmentStorage=true", "BearerTokenNeedsHttps")]
        public void AnUnusableValueIsRefusedWithoutEchoingIt(string value, string errorId)
        {
            var error = Assert.Throws<BatchOutputException>(() => From(value));
            Assert.Equal(errorId, error.ErrorId);
            Assert.DoesNotContain("c2VjcmV0c2ln", error.Message);
            Assert.Contains("Set-AzCurrentStorageAccount", error.Message);
        }
    }
}
