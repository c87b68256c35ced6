using System;
using System.Threading;
using System.Threading.Tasks;
using AzBatchOutput.Credentials;
using AzBatchOutput.Storage;
using Azure;
using Xunit;

namespace AzBatchOutput.Engine.Tests.Storage
{
    /// <summary>
    /// A refused request gets the fix that fits how the call authenticated: an Entra ID identity needs a data role, a SAS
    /// a permission letter, a key-less account a different credential, not the same advice for all.
    /// </summary>
    public class StorageErrorAdviceTests
    {
        private const string Key = "a2V5a2V5a2V5a2V5";

        private sealed class NoTokens : IAccessTokenSource
        {
            public string Description => "none";

            public Task<AccessTokenInfo> GetTokenAsync(CancellationToken cancellationToken) => throw new InvalidOperationException("no request is made here");
        }

        private static BatchOutputStorageContext Context(string kind)
        {
            switch (kind)
            {
                case "entra":
                    return StorageContexts.FromAccessTokenSource("acct", new NoTokens(), null, null, "Az login");
                case "sas":
                    return StorageContexts.FromContainerUrl("https://acct.blob.core.windows.net/job-j1?sv=2024-08-04&sr=c&sp=acw&sig=c2ln", "-ContainerUrl");
                default:
                    return StorageContexts.FromAccountKey("acct", Key);
            }
        }

        [Theory]
        [InlineData("entra", 403, "AuthorizationPermissionMismatch", "StoragePermissionDenied", "Storage Blob Data Contributor")]
        [InlineData("sas", 403, "AuthorizationPermissionMismatch", "StoragePermissionDenied", "New-BatchJobOutputSas -Permission")]
        [InlineData("key", 403, "KeyBasedAuthenticationNotPermitted", "SharedKeyAccessDisabled", "Connect with your Entra ID login")]
        [InlineData("sas", 403, "KeyBasedAuthenticationNotPermitted", "SharedKeyAccessDisabled", "user delegation SAS")]
        [InlineData("entra", 401, "InvalidAuthenticationInfo", "StorageAuthenticationFailed", "Connect-AzAccount")]
        [InlineData("sas", 403, "AuthenticationFailed", "StorageAuthenticationFailed", "the SAS has not expired")]
        [InlineData("key", 403, "AuthenticationFailed", "StorageAuthenticationFailed", "Check the account key")]
        [InlineData("key", 403, "AuthorizationFailure", "StorageAuthenticationFailed", "firewall")]
        public void TheAdviceFitsTheCredential(string kind, int status, string code, string errorId, string advice)
        {
            var error = StorageErrors.Translate(new RequestFailedException(status, "refused", code, null), "list", "the outputs of job 'j1'", Context(kind));
            Assert.Equal(errorId, error.ErrorId);
            Assert.Contains(advice, error.Message);
            Assert.DoesNotContain("sig=", error.Message);
        }

        [Theory]
        [InlineData("AuthenticationFailed")]
        [InlineData("AuthorizationFailure")]
        public void AnExpiredSasSaysWhenItExpiredAndHowToGetANewOne(string code)
        {
            // A task's SAS that ran out during a long job: the se= field says so, so the error need not guess.
            var expired = StorageContexts.FromContainerUrl("https://acct.blob.core.windows.net/job-j1?sv=2024-08-04&se=2026-01-02T03%3A04%3A05Z&sr=c&sp=acw&sig=c2ln", "-ContainerUrl");
            Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), expired.SasExpiresOn);

            var error = StorageErrors.Translate(new RequestFailedException(403, "refused", code, null), "save", "'a.txt'", expired);
            Assert.Equal("StorageAuthenticationFailed", error.ErrorId);
            Assert.Contains("Its SAS expired at 2026-01-02 03:04:05Z: issue a new one (New-BatchJobOutputSas)", error.Message);
            Assert.DoesNotContain("firewall", error.Message);
            Assert.DoesNotContain("sig=", error.Message);
        }

        [Fact]
        public void ASasStillValidGetsTheGeneralAdvice()
        {
            var valid = StorageContexts.FromContainerUrl(
                "https://acct.blob.core.windows.net/job-j1?sv=2024-08-04&se=" + Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(1).ToString("yyyy-MM-ddTHH:mm:ssZ")) + "&sr=c&sp=acw&sig=c2ln",
                "-ContainerUrl");
            var error = StorageErrors.Translate(new RequestFailedException(403, "refused", "AuthenticationFailed", null), "save", "'a.txt'", valid);
            Assert.Contains("Check that the SAS has not expired or been revoked", error.Message);
            Assert.DoesNotContain("Its SAS expired", error.Message);
        }

        [Fact]
        public void AnAccountSasOrASasConnectionStringKeepsItsExpiryAndOtherCredentialsHaveNone()
        {
            var account = StorageContexts.FromAccountSas("acct", new Uri("https://acct.blob.core.windows.net"), "?sv=2024-08-04&ss=b&srt=co&sp=rl&se=2026-01-02T03:04:05Z&sig=c2ln", "Az.Storage context");
            Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), account.SasExpiresOn);
            var connected = StorageContexts.FromConnectionString("BlobEndpoint=https://acct.blob.core.windows.net/;SharedAccessSignature=sv=2024-08-04&ss=b&srt=co&sp=rl&se=2026-01-02T03:04:05Z&sig=c2ln");
            Assert.Equal(new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero), connected.SasExpiresOn);
            Assert.Null(Context("key").SasExpiresOn);
            Assert.Null(Context("sas").SasExpiresOn); // no se= in it
        }

        [Theory]
        [InlineData(412, "LeaseIdMissing")]
        [InlineData(409, "LeaseAlreadyPresent")]
        public void ALeasedBlobOrContainerSaysWhoHoldsItAndHowToBreakIt(int status, string code)
        {
            var error = StorageErrors.Translate(new RequestFailedException(status, "leased", code, null), "delete", "the container of job 'j1'", Context("key"));
            Assert.Equal("OutputLeased", error.ErrorId);
            Assert.Equal(FailureCategory.ResourceBusy, error.Category);
            Assert.Contains("break the lease", error.Message);
        }

        [Fact]
        public void ALocalFileGoneSinceItWasFoundIsNotAWriteError()
        {
            var error = StorageErrors.Translate(new System.IO.FileNotFoundException("Could not find file '/tmp/x/a.txt'."), "save", "'/tmp/x/a.txt'", Context("key"));
            Assert.Equal("LocalFileNotFound", error.ErrorId);
            Assert.Equal(FailureCategory.ObjectNotFound, error.Category);
        }

        [Fact]
        public void AnEntraIdentityIsNotToldToIssueASas()
        {
            var error = StorageErrors.Translate(new RequestFailedException(403, "refused", "AuthorizationPermissionMismatch", null), "save", "'a.txt'", Context("entra"));
            Assert.DoesNotContain("New-BatchJobOutputSas", error.Message);
            Assert.Equal(FailureCategory.PermissionDenied, error.Category);
        }
    }
}
