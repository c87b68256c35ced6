using System;
using System.Linq;
using AzBatchOutput.Module.Tests.Infrastructure;
using Azure.Storage.Sas;
using Xunit;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>Every way to choose storage, and that the context object never shows a secret.</summary>
    public class ConnectTests
    {
        private static void AssertNoSecret(ModuleSession session, string secret)
        {
            var text = session.Run("$c = Connect-BatchOutputStorage @Splat; \"$c\"; $c.psobject.Properties | ForEach-Object { \"$($_.Name)=$($_.Value)\" }").ThrowIfFailed().Output;
            Assert.NotEmpty(text);
            Assert.All(text, line => Assert.DoesNotContain(secret, line.ToString()));
        }

        [Fact]
        public void AccountNameAndSecureKeyWorkAndHideTheKey()
        {
            using var session = ModuleSession.Start(connect: false);
            var key = TestStorage.Server.AccountKey;
            session.SetVariable("Splat", new System.Collections.Hashtable
            {
                ["StorageAccountName"] = TestStorage.Server.AccountName,
                ["StorageAccountKey"] = ToSecure(key),
                ["BlobEndpoint"] = TestStorage.Server.BlobEndpoint,
            });
            AssertNoSecret(session, key);
            var jobId = TestStorage.NewJobId("Key");
            var created = session.Run("Initialize-BatchJobOutputStorage -JobId $JobId", ("JobId", jobId)).ThrowIfFailed().Output.Single();
            Assert.Equal("devstoreaccount1", created.Str("StorageAccountName"));
        }

        [Fact]
        public void DevelopmentStorageWorksAgainstAGivenEndpoint()
        {
            using var session = ModuleSession.Start(connect: false);
            session.SetVariable("Splat", new System.Collections.Hashtable { ["UseDevelopmentStorage"] = true, ["BlobEndpoint"] = TestStorage.Server.BlobEndpoint });
            AssertNoSecret(session, TestStorage.Server.AccountKey);
            var context = session.Run("Connect-BatchOutputStorage -UseDevelopmentStorage -BlobEndpoint $Splat.BlobEndpoint").ThrowIfFailed().Output.Single();
            Assert.Equal("DevelopmentStorage", context.Str("Authentication"));
            session.Run("Initialize-BatchJobOutputStorage -JobId $JobId | Out-Null", ("JobId", TestStorage.NewJobId("Dev"))).ThrowIfFailed();
        }

        [Fact]
        public void ConnectionStringContextIsTheSessionDefaultAndAlsoTakenAsContext()
        {
            using var session = ModuleSession.Start(connect: false);
            session.SetVariable("Splat", new System.Collections.Hashtable { ["ConnectionString"] = TestStorage.ConnectionString });
            AssertNoSecret(session, TestStorage.Server.AccountKey);
            var jobId = TestStorage.NewJobId("Ctx");
            using var other = ModuleSession.Start(connect: false);
            // A context object from one session works in another that never connected.
            var context = session.Run("Connect-BatchOutputStorage -ConnectionString $Splat.ConnectionString").ThrowIfFailed().Output.Single();
            other.SetVariable("Ctx", context.BaseObject);
            var created = other.Run("Initialize-BatchJobOutputStorage -JobId $JobId -Context $Ctx", ("JobId", jobId)).ThrowIfFailed().Output.Single();
            Assert.Equal(true, created.Prop("Created"));
        }

        [Fact]
        public void AContainerUrlReachesItsJobOnlyAndHidesTheSignature()
        {
            using var admin = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("Sas");
            var container = admin.InitializeJob(jobId);
            var url = TestStorage.Sdk.GetBlobContainerClient(container).GenerateSasUri(BlobContainerSasPermissions.All, DateTimeOffset.UtcNow.AddHours(1)).ToString();
            var signature = System.Web.HttpUtility.ParseQueryString(new Uri(url).Query)["sig"];

            using var session = ModuleSession.Start(connect: false);
            session.SetVariable("Splat", new System.Collections.Hashtable { ["ContainerUrl"] = url });
            AssertNoSecret(session, signature);
            session.Folder.WriteRandomFile("a.txt", 9);
            session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path a.txt | Out-Null", ("JobId", jobId)).ThrowIfFailed();
            var listed = session.Run("Get-BatchTaskOutput -JobId $JobId").ThrowIfFailed().Output.Single();
            Assert.DoesNotContain("sig=", listed.Str("Uri"));

            var other = session.Run("Get-BatchTaskOutput -JobId other-job").SingleError();
            Assert.Equal("ContainerOutOfScope,AzBatchOutput.Cmdlets.GetBatchTaskOutputCommand", other.FullyQualifiedErrorId);
            Assert.Contains("job-other-job", other.ToString());
        }

        [Theory]
        [InlineData("ConnectionString", "AccountName=x;AccountKey=not base64 !!;Bogus", "InvalidConnectionString")]
        [InlineData("ContainerUrl", "https://acct.blob.core.windows.net/job-x", "InvalidContainerUrl")]
        [InlineData("ContainerUrl", "not a url sig=secretvalue", "InvalidContainerUrl")]
        public void BadConnectionInputIsRefusedWithoutEchoingIt(string parameter, string value, string errorId)
        {
            using var session = ModuleSession.Start(connect: false);
            session.SetVariable("Splat", new System.Collections.Hashtable { [parameter] = value });
            var error = session.Run("Connect-BatchOutputStorage @Splat").SingleError();
            Assert.Equal($"{errorId},AzBatchOutput.Cmdlets.ConnectBatchOutputStorageCommand", error.FullyQualifiedErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.DoesNotContain("secretvalue", error.ToString());
            Assert.DoesNotContain("not base64", error.ToString());
        }

        [Fact]
        public void ClientTimeoutPerRequestDefaultsToTheSdksAndAPipedContextIsCopiedNotChanged()
        {
            using var session = ModuleSession.Start(connect: false);
            session.SetVariable("Cs", TestStorage.ConnectionString);
            var seconds = session.Run(
                "$c = Connect-BatchOutputStorage -ConnectionString $Cs; $d = $c | Connect-BatchOutputStorage -ClientTimeoutPerRequest 30; " +
                "$e = Connect-BatchOutputStorage -ConnectionString $Cs -ClientTimeoutPerRequestInSeconds 7; " +
                "$c.ClientTimeoutPerRequest.TotalSeconds; $d.ClientTimeoutPerRequest.TotalSeconds; $e.ClientTimeoutPerRequest.TotalSeconds; " +
                "[object]::ReferenceEquals($c, $d); \"$c\" -eq \"$d\"").ThrowIfFailed().Output.Select(o => o.ToString()).ToList();
            Assert.Equal(new[] { "100", "30", "7", "False", "True" }, seconds);
            // The copy reaches the same account with the same credential.
            session.Run("Initialize-BatchJobOutputStorage -JobId $JobId -Context $d | Out-Null", ("JobId", TestStorage.NewJobId("Timeout"))).ThrowIfFailed();
        }

        [Theory]
        [InlineData(0)]
        [InlineData(3601)]
        public void ClientTimeoutPerRequestOutOfRangeIsRefusedAndConnectsNothing(int seconds)
        {
            using var session = ModuleSession.Start(connect: false);
            var result = session.Run("Connect-BatchOutputStorage -ConnectionString $Cs -ClientTimeoutPerRequest $S", ("Cs", TestStorage.ConnectionString), ("S", seconds));
            var error = result.SingleError();
            Assert.Equal("ParameterArgumentValidationError,AzBatchOutput.Cmdlets.ConnectBatchOutputStorageCommand", error.FullyQualifiedErrorId);
            Assert.Contains("ClientTimeoutPerRequest", error.ToString());
            Assert.Empty(result.Output);
            Assert.DoesNotContain(TestStorage.Server.AccountKey, error.ToString());
        }

        private static System.Security.SecureString ToSecure(string text)
        {
            var secure = new System.Security.SecureString();
            foreach (var c in text)
            {
                secure.AppendChar(c);
            }

            return secure;
        }
    }
}
