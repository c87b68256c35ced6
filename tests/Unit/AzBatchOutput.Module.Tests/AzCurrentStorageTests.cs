using System;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography;
using Azure.Storage.Blobs;
using AzBatchOutput.Module.Tests.Infrastructure;
using Xunit;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>
    /// The last step of storage resolution: with nothing else given, the storage account that
    /// Set-AzCurrentStorageAccount chose in the Az context, used with the Az login (Azurite over HTTPS with OAuth;
    /// Az.Accounts is a stand-in, Infrastructure/AzStandIns.cs).
    /// </summary>
    public class AzCurrentStorageTests
    {
        /// <summary>What Set-AzCurrentStorageAccount keeps: the account's connection string, key included.</summary>
        private static string AzConnectionString(string key) =>
            $"DefaultEndpointsProtocol=https;AccountName=devstoreaccount1;AccountKey={key};BlobEndpoint={SecureTestStorage.BlobEndpoint.AbsoluteUri.TrimEnd('/')}";

        // A well-formed key that Azurite would refuse: a call made with it instead of the Az login would fail.
        private static string WrongKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(64));

        /// <summary>
        /// Whether the job's container exists. Only this job's, not a count of all: AzContextTests creates containers in
        /// the same Azurite at the same time (xunit runs the two classes in parallel), which made a count flaky.
        /// The test job IDs are plain (letters, digits, single dashes, under 60 characters): the container is job-{id}.
        /// </summary>
        private static bool ContainerExists(string jobId) =>
            new BlobServiceClient(SecureTestStorage.Server.ConnectionString).GetBlobContainerClient("job-" + jobId.ToLowerInvariant()).Exists().Value;

        [Fact]
        public void WithNothingElseGivenTheCurrentAzStorageAccountIsUsedWithTheAzLogin()
        {
            using var session = AzContextTests.LoggedIn();
            var key = WrongKey();
            session.SetVariable("AzCurrentStorageAccount", AzConnectionString(key));
            var jobId = TestStorage.NewJobId("AzCurrent");

            var verbose = session.Run("Initialize-BatchJobOutputStorage -JobId $JobId -Verbose | Out-Null", ("JobId", jobId)).ThrowIfFailed().Verbose;
            AzContextTests.SaveListDownload(session, jobId);

            Assert.Contains(verbose, v => v.Message.Contains("current Az context") && v.Message.Contains("devstoreaccount1"));
            Assert.All(verbose, v => Assert.DoesNotContain(key, v.Message));
            var calls = session.Run("$AzTokenCalls").Output;
            Assert.NotEmpty(calls);
            Assert.All(calls, c => Assert.Equal("https://storage.azure.com/", c.Str("Resource")));
        }

        [Fact]
        public void SignedInWithoutACurrentStorageAccountTheErrorSaysHowToChooseOne()
        {
            using var session = AzContextTests.LoggedIn();
            var jobId = TestStorage.NewJobId("AzNone");
            var error = session.Run("Initialize-BatchJobOutputStorage -JobId $JobId", ("JobId", jobId)).SingleError();
            Assert.StartsWith("NoStorageConfigured,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
            Assert.Contains("signed in to Azure", error.ToString());
            Assert.Contains("Set-AzCurrentStorageAccount", error.ToString());
            Assert.False(ContainerExists(jobId));
        }

        [Theory]
        [InlineData("BlobEndpoint=not a url;SharedAccessSignature=sv=2024-08-04&sig=TOPSECRETSIGNATURE", "InvalidAzCurrentStorageAccount", ErrorCategory.InvalidData)]
        [InlineData("Not An Account TOPSECRETSIGNATURE", "InvalidAzCurrentStorageAccount", ErrorCategory.InvalidData)]
        [InlineData("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=VE9QU0VDUkVUU0lHTkFUVVJF;BlobEndpoint=http://127.0.0.1:9/devstoreaccount1", "BearerTokenNeedsHttps", ErrorCategory.InvalidArgument)]
        public void AnUnusableCurrentStorageAccountIsRefusedWithoutShowingIt(string current, string errorId, ErrorCategory category)
        {
            using var session = AzContextTests.LoggedIn();
            session.SetVariable("AzCurrentStorageAccount", current);
            var jobId = TestStorage.NewJobId("AzBad");
            var result = session.Run("Initialize-BatchJobOutputStorage -JobId $JobId -Verbose", ("JobId", jobId));
            var error = result.SingleError();
            Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
            Assert.Equal(category, error.CategoryInfo.Category);
            Assert.Contains("Set-AzCurrentStorageAccount", error.ToString());
            var texts = result.Verbose.Select(v => v.Message).Append(error.ToString()).Append(error.Exception.ToString());
            Assert.All(texts, t => Assert.DoesNotContain("TOPSECRETSIGNATURE", t));
            Assert.All(texts, t => Assert.DoesNotContain("VE9QU0VDUkVUU0lHTkFUVVJF", t));
            Assert.False(ContainerExists(jobId));
        }

        [Fact]
        public void TheSessionsConnectBatchOutputStorageWinsOverTheAzContext()
        {
            using var session = AzContextTests.LoggedIn();
            session.SetVariable("AzCurrentStorageAccount", "Not An Account");
            session.Run("Connect-BatchOutputStorage -ConnectionString $Plain | Out-Null", ("Plain", TestStorage.ConnectionString)).ThrowIfFailed();
            var container = session.InitializeJob(TestStorage.NewJobId("AzOrder"));
            Assert.True(TestStorage.Sdk.GetBlobContainerClient(container).Exists().Value);
            Assert.Empty(session.Run("$AzTokenCalls").Output);
        }
    }
}
