using System;
using System.Linq;
using System.Management.Automation;
using AzBatchOutput.Module.Tests.Infrastructure;
using Xunit;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>
    /// The four ways in from an Az session, against Azurite over HTTPS with OAuth: the Az login, a Batch account's
    /// linked storage, an Az.Storage context, and piped Az.Batch objects. Az.Accounts, Az.Batch and Az.Storage are
    /// stand-ins with the real type names and properties (Infrastructure/AzStandIns.cs).
    /// </summary>
    public class AzContextTests
    {
        internal static ModuleSession LoggedIn(bool secureToken = false)
        {
            var session = ModuleSession.Start(connect: false);
            session.SetVariable("NewAzToken", new Func<string>(() => SecureTestStorage.Server.CreateBearerToken()));
            session.SetVariable("AzTokenAsSecureString", secureToken);
            session.SetVariable("Endpoint", SecureTestStorage.BlobEndpoint.AbsoluteUri);
            session.Run(AzStandIns.AzAccounts).ThrowIfFailed();
            return session;
        }

        internal static void SaveListDownload(ModuleSession session, string jobId)
        {
            var container = session.InitializeJob(jobId);
            var file = session.Folder.WriteRandomFile("out/result.bin", 5000);
            session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path $File | Out-Null", ("JobId", jobId), ("File", file)).ThrowIfFailed();
            var listed = session.Run("Get-BatchTaskOutput -JobId $JobId").ThrowIfFailed().Output.Single();
            Assert.Equal("t1/$TaskOutput/result.bin", listed.Str("BlobName"));
            Assert.StartsWith(SecureTestStorage.BlobEndpoint.AbsoluteUri.TrimEnd('/') + "/" + container, listed.Str("Uri"));
            session.Run("Get-BatchTaskOutput -JobId $JobId -Destination dl").ThrowIfFailed();
            Assert.Equal(TempFolder.Sha256(file), TempFolder.Sha256(session.Folder.Combine("dl", "t1", "TaskOutput", "result.bin")));
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void TheAzLoginWorksWithAStringOrASecureStringToken(bool secureToken)
        {
            using var session = LoggedIn(secureToken);
            var context = session.Run("Connect-BatchOutputStorage -StorageAccountName devstoreaccount1 -UseConnectedAccount -BlobEndpoint $Endpoint -Verbose -Debug")
                .ThrowIfFailed().Output.Single();
            Assert.Equal("EntraId", context.Str("Authentication"));
            SaveListDownload(session, TestStorage.NewJobId(secureToken ? "AzSecure" : "AzString"));
            var calls = session.Run("$AzTokenCalls").Output;
            Assert.NotEmpty(calls);
            Assert.All(calls, c => Assert.Equal("https://storage.azure.com/", c.Str("Resource")));
        }

        [Fact]
        public void ATokenThatExpiresDuringALongUploadIsRenewedOnThePipelineThread()
        {
            using var session = LoggedIn();
            session.SetVariable("AzTokenLifetime", TimeSpan.FromMilliseconds(100));
            session.Run("Connect-BatchOutputStorage -StorageAccountName devstoreaccount1 -BlobEndpoint $Endpoint | Out-Null").ThrowIfFailed();
            var jobId = TestStorage.NewJobId("Refresh");
            session.InitializeJob(jobId);
            for (var i = 0; i < 400; i++)
            {
                session.Folder.WriteRandomFile($"many/f{i:D3}.bin", 2048);
            }

            var before = DateTime.UtcNow;
            var result = session.Run("$AzTokenCalls.Clear(); $global:PipelineThread = [System.Threading.Thread]::CurrentThread.ManagedThreadId; Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path many -ThrottleLimit 1", ("JobId", jobId)).ThrowIfFailed();
            var pipelineThread = Convert.ToInt32(session.Run("$PipelineThread").Output.Single().BaseObject);
            var took = DateTime.UtcNow - before;
            Assert.Equal(400, result.Output.Count);
            var calls = session.Run("$AzTokenCalls").Output.Skip(0).ToList();
            // Tokens last 0.1 s and the upload several times that, so the SDK must have asked for new ones mid-transfer.
            Assert.True(took > TimeSpan.FromMilliseconds(300), $"the upload took {took.TotalSeconds:0.00} s, too short to outlive several 0.1 s tokens");
            Assert.True(calls.Count >= 3, $"Get-AzAccessToken ran {calls.Count} times during a {took.TotalSeconds:0.0} s upload with 0.1 s tokens");
            Assert.All(calls, c => Assert.Equal(pipelineThread, Convert.ToInt32(c.Prop("Thread"))));
        }

        [Fact]
        public void ABatchAccountContextLeadsToItsLinkedStorage()
        {
            using var session = LoggedIn();
            session.SetVariable("LinkedAccount", "devstoreaccount1");
            session.Run(AzStandIns.BatchAccountContext).ThrowIfFailed();
            var context = session.Run("Connect-BatchOutputStorage -BatchContext $BatchAccount -BlobEndpoint $Endpoint").ThrowIfFailed().Output.Single();
            Assert.Equal("devstoreaccount1", context.Str("StorageAccountName"));
            SaveListDownload(session, TestStorage.NewJobId("Linked"));
        }

        [Fact]
        public void AHashtableForABatchContextIsToldWhatItLacks()
        {
            using var session = LoggedIn();
            var error = session.Run("Connect-BatchOutputStorage -BatchContext @{ Name = 'x' }").SingleError();
            Assert.StartsWith("NoLinkedStorageAccount,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Contains("names neither a Batch account (AccountName) nor its linked storage account", error.ToString());
            Assert.DoesNotContain("'the Batch account'", error.ToString());
        }

        [Fact]
        public void ABatchAccountWithoutLinkedStorageSaysSo()
        {
            using var session = LoggedIn();
            session.SetVariable("LinkedAccount", null);
            session.Run(AzStandIns.BatchAccountContext).ThrowIfFailed();
            var error = session.Run("Connect-BatchOutputStorage -BatchContext $BatchAccount").SingleError();
            Assert.StartsWith("NoLinkedStorageAccount,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Contains("mybatch", error.ToString());
        }

        [Fact]
        public void AnAzStorageContextPipesIntoConnectAndIsTakenAsContext()
        {
            using var session = LoggedIn();
            session.Run(AzStandIns.OAuthStorageContext).ThrowIfFailed();
            var context = session.Run("$AzStorageContext | Connect-BatchOutputStorage").ThrowIfFailed().Output.Single();
            Assert.Equal("EntraId", context.Str("Authentication"));
            SaveListDownload(session, TestStorage.NewJobId("AzStorage"));

            // A key-based Az.Storage context (its ConnectionString) works as -Context on any cmdlet.
            session.SetVariable("Plain", TestStorage.ConnectionString);
            session.Run(@"$global:KeyContext = [pscustomobject]@{ PSTypeName = 'Microsoft.WindowsAzure.Commands.Storage.AzureStorageContext'
                StorageAccountName = 'devstoreaccount1'; BlobEndPoint = 'x'; ConnectionString = $Plain
                StorageAccount = [pscustomobject]@{ Credentials = [pscustomobject]@{ IsToken = $false; IsSAS = $false; IsSharedKey = $true } } }").ThrowIfFailed();
            var jobId = TestStorage.NewJobId("AzStorageKey");
            var created = session.Run("Initialize-BatchJobOutputStorage -JobId $JobId -Context $KeyContext", ("JobId", jobId)).ThrowIfFailed().Output.Single();
            Assert.True(TestStorage.Sdk.GetBlobContainerClient(created.Str("ContainerName")).Exists().Value);
        }

        [Fact]
        public void PipedAzBatchJobsAndTasksFindTheirOutputs()
        {
            using var session = LoggedIn();
            session.Run("Connect-BatchOutputStorage -StorageAccountName devstoreaccount1 -BlobEndpoint $Endpoint | Out-Null").ThrowIfFailed();
            var jobId = TestStorage.NewJobId("Piped");
            session.SetVariable("JobId", jobId);
            session.Run(AzStandIns.BatchObjects).ThrowIfFailed();
            var storage = session.Run("$CloudJob | Initialize-BatchJobOutputStorage").ThrowIfFailed().Output.Single();
            Assert.Equal(jobId, storage.Str("JobId"));
            session.Folder.WriteRandomFile("stdout.txt", 10);
            session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Kind TaskLog -Path stdout.txt | Out-Null; Save-BatchTaskOutput -JobId $JobId -TaskId t2 -Kind TaskLog -Path stdout.txt | Out-Null").ThrowIfFailed();
            var logs = session.Run("$CloudTasks | Get-BatchTaskOutput -Kind TaskLog").ThrowIfFailed().Output;
            Assert.Equal(new[] { "t1", "t2" }, logs.Strs("TaskId").OrderBy(t => t));
            Assert.All(logs, l => Assert.Equal(jobId, l.Str("JobId")));
            var all = session.Run("$CloudJob | Get-BatchTaskOutput").ThrowIfFailed().Output;
            Assert.Equal(2, all.Count);

            // The same objects through -Job and -Task.
            session.Folder.WriteRandomFile("result.csv", 12);
            var saved = session.Run("Save-BatchTaskOutput -Task $CloudTasks[1] -Path result.csv").ThrowIfFailed().Output.Single();
            Assert.Equal("t2/$TaskOutput/result.csv", saved.Str("BlobName"));
            Assert.Equal(jobId, saved.Str("JobId"));
            Assert.Equal(2, session.Run("Get-BatchTaskOutput -Task $CloudTasks[1]").ThrowIfFailed().Output.Count);
            Assert.Equal(3, session.Run("Get-BatchTaskOutput -Job $CloudJob").ThrowIfFailed().Output.Count);
            Assert.Single(session.Run("Get-BatchTaskOutput -Job $CloudJob -TaskId t1").ThrowIfFailed().Output);
            Assert.Equal(jobId, session.Run("Get-BatchJobOutputStorage -Job $CloudJob").ThrowIfFailed().Output.Single().Str("JobId"));
            Assert.Empty(session.Run("Get-BatchJobOutput -Job $CloudJob").ThrowIfFailed().Output);
        }

        [Fact]
        public void AnEntraLoginIssuesAUserDelegationSas()
        {
            using var session = LoggedIn();
            session.Run("Connect-BatchOutputStorage -StorageAccountName devstoreaccount1 -BlobEndpoint $Endpoint | Out-Null").ThrowIfFailed();
            var jobId = TestStorage.NewJobId("Delegation");
            session.InitializeJob(jobId);
            var sas = session.Run("New-BatchJobOutputSas -JobId $JobId", ("JobId", jobId)).ThrowIfFailed().Output.Single();
            Assert.Equal("UserDelegation", sas.Str("SignedWith"));
            Assert.True((DateTimeOffset)sas.Prop("ExpiresOn") <= DateTimeOffset.UtcNow.AddDays(7).AddMinutes(1));
            Assert.Contains("skoid=", sas.Str("Url"));

            using var task = ModuleSession.Start(connect: false);
            task.Run("Connect-BatchOutputStorage -ContainerUrl $Url | Out-Null", ("Url", sas.Str("Url"))).ThrowIfFailed();
            task.Folder.WriteRandomFile("r.txt", 7);
            var saved = task.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path r.txt", ("JobId", jobId)).ThrowIfFailed().Output.Single();
            Assert.Equal("t1/$TaskOutput/r.txt", saved.Str("BlobName"));

            // Seven days typed a moment ago: the SAS ends no later than the key that signs it (se <= ske).
            var longest = session.Run("New-BatchJobOutputSas -JobId $JobId -ExpiryTime ([datetime]::UtcNow.AddDays(7).AddSeconds(50))", ("JobId", jobId)).ThrowIfFailed().Output.Single();
            var query = System.Web.HttpUtility.ParseQueryString(new Uri(longest.Str("Url")).Query);
            var se = DateTimeOffset.Parse(query["se"], System.Globalization.CultureInfo.InvariantCulture);
            var ske = DateTimeOffset.Parse(query["ske"], System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(se <= ske, $"se {se:u} is after ske {ske:u}");
            Assert.True((DateTimeOffset)longest.Prop("ExpiresOn") <= ske);
        }

        [Fact]
        public void WithoutAzAccountsOrWithoutALoginTheErrorSaysWhatToRun()
        {
            using var bare = ModuleSession.Start(connect: false);
            var missing = bare.Run("Connect-BatchOutputStorage -StorageAccountName mystorage -UseConnectedAccount").SingleError();
            Assert.StartsWith("AzAccountsNotLoaded,", missing.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, missing.CategoryInfo.Category);
            Assert.Contains("Install-Module Az.Accounts", missing.ToString());

            using var loggedOut = ModuleSession.Start(connect: false);
            loggedOut.Run(AzStandIns.AzAccountsLoggedOut).ThrowIfFailed();
            var noLogin = loggedOut.Run("Connect-BatchOutputStorage -StorageAccountName mystorage").SingleError();
            Assert.StartsWith("AzLoginRequired,", noLogin.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.AuthenticationError, noLogin.CategoryInfo.Category);
            Assert.Contains("Connect-AzAccount", noLogin.ToString());

            // A broken Az session: Get-AzContext itself fails (a context cache that can't be read).
            using var broken = ModuleSession.Start(connect: false);
            broken.Run(AzStandIns.AzAccountsLoggedOut + "function global:Get-AzContext { throw 'The context cache could not be read.' }").ThrowIfFailed();
            var brokenLogin = broken.Run("Connect-BatchOutputStorage -StorageAccountName mystorage").SingleError();
            Assert.StartsWith("AzLoginRequired,", brokenLogin.FullyQualifiedErrorId);
            Assert.Contains("Connect-AzAccount", brokenLogin.ToString());
        }

        [Fact]
        public void NoTokenAppearsInAnyStream()
        {
            using var session = LoggedIn();
            string token = null;
            session.SetVariable("NewAzToken", new Func<string>(() => token = SecureTestStorage.Server.CreateBearerToken()));
            var result = session.Run(@"
                $VerbosePreference = 'Continue'; $DebugPreference = 'Continue'
                $c = Connect-BatchOutputStorage -StorageAccountName devstoreaccount1 -BlobEndpoint $Endpoint
                ""$c""; $c.psobject.Properties | ForEach-Object { ""$($_.Name)=$($_.Value)"" }
                Initialize-BatchJobOutputStorage -JobId $JobId | ForEach-Object { $_.psobject.Properties | ForEach-Object { ""$($_.Value)"" } }
                Get-BatchTaskOutput -JobId 'never-created-job'
                $Error | ForEach-Object { $_.ToString(); $_.Exception.ToString() }", ("JobId", TestStorage.NewJobId("NoToken")));
            Assert.NotNull(token);
            var texts = result.Output.Select(o => o.ToString())
                .Concat(result.Verbose.Select(v => v.Message))
                .Concat(result.Debug.Select(d => d.Message))
                .Concat(result.Warnings.Select(w => w.Message))
                .Concat(result.AllErrors.Select(e => e.ToString() + e.Exception))
                .ToList();
            Assert.True(texts.Count > 5);
            Assert.All(texts, text => Assert.DoesNotContain(token.Split('.')[1], text));
        }
    }
}
