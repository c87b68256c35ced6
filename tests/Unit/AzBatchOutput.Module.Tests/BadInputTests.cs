using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using AzBatchOutput.Module.Tests.Faults;
using AzBatchOutput.Module.Tests.Infrastructure;
using Azure.Storage.Sas;
using Xunit;
using Xunit.Abstractions;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>
    /// One session with a job, some outputs and contexts that cannot work (a wrong key, a read-only and an expired SAS),
    /// shared by every bad-input case: the cases change nothing, and each one proves it.
    /// </summary>
    public sealed class BadInputFixture : IDisposable
    {
        public const string Stem = "BadInput";

        public BadInputFixture()
        {
            Session = ModuleSession.Start();
            JobId = TestStorage.NewJobId(Stem);
            NewJobId = TestStorage.NewJobId(Stem); // never initialized
            ContainerName = Session.InitializeJob(JobId);
            Session.Folder.WriteRandomFile("a.txt", 5);
            Session.Folder.WriteRandomFile("empty.txt", 0);
            Session.Folder.WriteRandomFile("dir/one.txt", 10);
            Session.Folder.WriteRandomFile("dir/two.txt", 20);
            Session.Folder.WriteFile("dl/t0/TaskOutput/existing.txt", Encoding.UTF8.GetBytes("a local file that must survive"));
            Session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t0 -Path a.txt -DestinationPath existing.txt | Out-Null; " +
                        "Save-BatchTaskOutput -JobId $JobId -TaskId t0 -Path a.txt -DestinationPath gone.txt | Out-Null; " +
                        "Save-BatchJobOutput -JobId $JobId -Path a.txt -DestinationPath summary.txt | Out-Null",
                ("JobId", JobId), ("NewJobId", NewJobId)).ThrowIfFailed();
            Session.Run("$Existing = Get-BatchTaskOutput -JobId $JobId -TaskId t0 -Name existing.txt; $Gone = Get-BatchTaskOutput -JobId $JobId -TaskId t0 -Name gone.txt").ThrowIfFailed();
            // Deleted behind the module's back after it was listed: a file that is missing when it is fetched.
            TestStorage.Sdk.GetBlobContainerClient(ContainerName).DeleteBlob("t0/$TaskOutput/gone.txt");

            var container = TestStorage.Sdk.GetBlobContainerClient(ContainerName);
            ReadOnlyUrl = container.GenerateSasUri(BlobContainerSasPermissions.Read | BlobContainerSasPermissions.List, DateTimeOffset.UtcNow.AddHours(1)).ToString();
            ExpiredUrl = container.GenerateSasUri(new BlobSasBuilder(BlobContainerSasPermissions.All, DateTimeOffset.UtcNow.AddHours(-1))
            {
                BlobContainerName = ContainerName,
                Resource = "c",
                StartsOn = DateTimeOffset.UtcNow.AddHours(-2),
            }).ToString();
            var wrongKey = new byte[64];
            new Random(64).NextBytes(wrongKey);
            Session.SetVariable("WrongKey", ProxiedStorage.Secure(Convert.ToBase64String(wrongKey)));
            Session.SetVariable("Endpoint", TestStorage.Server.BlobEndpoint);
            Session.SetVariable("ReadOnlyUrl", ReadOnlyUrl);
            Session.SetVariable("ExpiredUrl", ExpiredUrl);
            Session.SetVariable("GoodKey", ProxiedStorage.Secure(TestStorage.Server.AccountKey));
            Session.Run(
                "$WrongKeyContext = Connect-BatchOutputStorage -StorageAccountName devstoreaccount1 -StorageAccountKey $WrongKey -BlobEndpoint $Endpoint; " +
                "$ReadOnly = Connect-BatchOutputStorage -ContainerUrl $ReadOnlyUrl; " +
                "$Expired = Connect-BatchOutputStorage -ContainerUrl $ExpiredUrl").ThrowIfFailed();
            Reconnect();
        }

        public ModuleSession Session { get; }

        public string JobId { get; }

        public string NewJobId { get; }

        public string ContainerName { get; }

        public string ReadOnlyUrl { get; }

        public string ExpiredUrl { get; }

        /// <summary>Makes the session's own context the good one again (a failed case may have run Connect-BatchOutputStorage).</summary>
        public void Reconnect() =>
            Session.Run("Connect-BatchOutputStorage -ConnectionString $ConnectionString | Out-Null", ("ConnectionString", TestStorage.ConnectionString)).ThrowIfFailed();

        /// <summary>Every container of this fixture's jobs (existing or not) with every blob's name, length and ETag.</summary>
        public static string StorageSnapshot(string stem)
        {
            var text = new StringBuilder();
            foreach (var container in TestStorage.Sdk.GetBlobContainers(prefix: "job-" + stem.ToLowerInvariant()))
            {
                text.Append("container ").Append(container.Name).Append('\n');
                foreach (var blob in TestStorage.Sdk.GetBlobContainerClient(container.Name).GetBlobs())
                {
                    text.Append("  ").Append(blob.Name).Append(' ').Append(blob.Properties.ContentLength).Append(' ').Append(blob.Properties.ETag).Append('\n');
                }
            }

            return text.ToString();
        }

        /// <summary>Every folder and file under the session's folder, with each file's length and time of last write.</summary>
        public static string DiskSnapshot(string folder)
        {
            var text = new StringBuilder();
            foreach (var entry in Directory.GetFileSystemEntries(folder, "*", SearchOption.AllDirectories).OrderBy(e => e, StringComparer.Ordinal))
            {
                text.Append(Path.GetRelativePath(folder, entry));
                if (File.Exists(entry))
                {
                    var info = new FileInfo(entry);
                    text.Append(' ').Append(info.Length).Append(' ').Append(info.LastWriteTimeUtc.Ticks);
                }

                text.Append('\n');
            }

            return text.ToString();
        }

        public void Dispose() => Session.Dispose();
    }

    /// <summary>
    /// Bad input, case by case: each fails with a stable error id, the right category and a message that says what to
    /// fix, and leaves storage and the disk exactly as they were.
    /// </summary>
    public class BadInputTests : IClassFixture<BadInputFixture>
    {
        private readonly BadInputFixture _fixture;
        private readonly ITestOutputHelper _output;

        public BadInputTests(BadInputFixture fixture, ITestOutputHelper output)
        {
            _fixture = fixture;
            _output = output;
        }

        private const string Save = "Save-BatchTaskOutput -JobId $JobId -TaskId t1 ";
        private static readonly string TooLongPath = string.Concat(Enumerable.Repeat("folder/", 150)) + "x.txt";

        /// <summary>Name, script, error id, category, a phrase of the message that says what to do.</summary>
        public static IEnumerable<object[]> Cases()
        {
            // Job and task IDs.
            yield return Case("job ID with a space", "Save-BatchTaskOutput -JobId 'bad job' -TaskId t1 -Path a.txt", "InvalidJobId", ErrorCategory.InvalidArgument, "A job ID may contain only");
            yield return Case("job ID with a non-ASCII letter", "Save-BatchTaskOutput -JobId 'jöb' -TaskId t1 -Path a.txt", "InvalidJobId", ErrorCategory.InvalidArgument, "A job ID may contain only");
            yield return Case("job ID of 65 characters", "Save-BatchTaskOutput -JobId ('j' * 65) -TaskId t1 -Path a.txt", "InvalidJobId", ErrorCategory.InvalidArgument, "the limit is 64");
            yield return Case("task ID with a slash", "Save-BatchTaskOutput -JobId $JobId -TaskId 'bad/task' -Path a.txt", "InvalidTaskId", ErrorCategory.InvalidArgument, "A task ID may contain only");
            yield return Case("task ID with a colon", "Save-BatchTaskOutput -JobId $JobId -TaskId 'sched:1' -Path a.txt", "InvalidTaskId", ErrorCategory.InvalidArgument, "A task ID may contain only");
            yield return Case("task ID of 65 characters", "Save-BatchTaskOutput -JobId $JobId -TaskId ('t' * 65) -Path a.txt", "InvalidTaskId", ErrorCategory.InvalidArgument, "the limit is 64");
            yield return Case("listing a bad job ID", "Get-BatchTaskOutput -JobId 'a b'", "InvalidJobId", ErrorCategory.InvalidArgument, "A job ID may contain only");
            yield return Case("listing a bad task ID", "Get-BatchTaskOutput -JobId $JobId -TaskId 'x y'", "InvalidTaskId", ErrorCategory.InvalidArgument, "A task ID may contain only");
            yield return Case("initializing a bad job ID", "Initialize-BatchJobOutputStorage -JobId 'bad!'", "InvalidJobId", ErrorCategory.InvalidArgument, "A job ID may contain only");
            yield return Case("describing a bad job ID", "Get-BatchJobOutputStorage -JobId 'bad!'", "InvalidJobId", ErrorCategory.InvalidArgument, "A job ID may contain only");
            yield return Case("removing a bad job ID", "Remove-BatchJobOutputStorage -JobId 'bad!' -Force", "InvalidJobId", ErrorCategory.InvalidArgument, "A job ID may contain only");
            yield return Case("a SAS for a bad job ID", "New-BatchJobOutputSas -JobId 'bad!'", "InvalidJobId", ErrorCategory.InvalidArgument, "A job ID may contain only");

            // Paths.
            yield return Case("a missing file", Save + "-Path missing.txt", "PathNotFound", ErrorCategory.ObjectNotFound, "no such file or folder");
            yield return Case("a wildcard that matches nothing", Save + "-Path nomatch*.zzz", "NoFilesMatched", ErrorCategory.ObjectNotFound, "matched no files");
            yield return Case("a path on another provider", Save + "-Path Env:/PATH", "PathNotFileSystem", ErrorCategory.InvalidArgument, "only files and folders on the file system");
            yield return Case("a destination above the kind", Save + "-Path a.txt -DestinationPath ../escape.txt", "InvalidOutputPath", ErrorCategory.InvalidArgument, "outputs must stay inside");
            yield return Case("a rooted destination", Save + "-Path a.txt -DestinationPath /etc/x", "InvalidOutputPath", ErrorCategory.InvalidArgument, "give a path relative to the kind's folder");
            yield return Case("a drive-letter destination", Save + "-Path a.txt -DestinationPath 'C:\\out\\x.txt'", "InvalidOutputPath", ErrorCategory.InvalidArgument, "give a path relative to the kind's folder");
            yield return Case("a destination that climbs out midway", Save + "-Path a.txt -DestinationPath 'a/../../x.txt'", "InvalidOutputPath", ErrorCategory.InvalidArgument, "outputs must stay inside");
            yield return Case("a destination that resolves to nothing", Save + "-Path a.txt -DestinationPath 'a/./..'", "InvalidOutputPath", ErrorCategory.InvalidArgument, "names no file");
            yield return Case("a destination ending in a dot", Save + "-Path a.txt -DestinationPath 'notes.'", "InvalidOutputPath", ErrorCategory.InvalidArgument, "rename it");
            yield return Case("a destination with a control character", Save + "-Path a.txt -DestinationPath \"tab`there.txt\"", "InvalidOutputPath", ErrorCategory.InvalidArgument, "control character");
            yield return Case("a blob name over 1,024 characters", Save + "-Path a.txt -DestinationPath '" + TooLongPath + "'", "BlobNameTooLong", ErrorCategory.InvalidArgument, "Use a shorter path");
            yield return Case("a folder whose files' names go over 1,024 characters", Save + "-Path dir -DestinationPath '" + TooLongPath.Substring(0, 1010) + "'", "BlobNameTooLong", ErrorCategory.InvalidArgument, "at most 1024");

            // Kinds.
            yield return Case("a kind with a slash", Save + "-Path a.txt -Kind 'Bad/Kind'", "InvalidKind", ErrorCategory.InvalidArgument, "A custom kind may be any text without");
            yield return Case("a kind with a dollar", Save + "-Path a.txt -Kind 'a$b'", "InvalidKind", ErrorCategory.InvalidArgument, "A custom kind may be any text without");
            yield return Case("a blank kind", Save + "-Path a.txt -Kind ' '", "InvalidKind", ErrorCategory.InvalidArgument, "cannot be empty");
            yield return Case("a job kind for a task", Save + "-Path a.txt -Kind JobOutput", "KindScopeMismatch", ErrorCategory.InvalidArgument, "task kinds are");
            yield return Case("a task kind for a job", "Save-BatchJobOutput -JobId $JobId -Path a.txt -Kind TaskLog", "KindScopeMismatch", ErrorCategory.InvalidArgument, "job kinds are");
            yield return Case("listing a job kind for tasks", "Get-BatchTaskOutput -JobId $JobId -Kind JobPreview", "KindScopeMismatch", ErrorCategory.InvalidArgument, "task kinds are");
            yield return Case("listing with an unclosed bracket in -Name", "Get-BatchTaskOutput -JobId $JobId -Name 'frame[1.png'", "InvalidNamePattern", ErrorCategory.InvalidArgument, "escape it with a backtick");
            yield return Case("downloading with an unclosed bracket in -Name", "Get-BatchJobOutput -JobId $JobId -Name 'a[' -Destination dl3", "InvalidNamePattern", ErrorCategory.InvalidArgument, "escape it with a backtick");
            yield return Case("listing a bad kind", "Get-BatchJobOutput -JobId $JobId -Kind 'x\\y'", "InvalidKind", ErrorCategory.InvalidArgument, "A custom kind may be any text without");
            yield return Case("an empty kind", Save + "-Path a.txt -Kind ''", "ParameterArgumentValidationError", ErrorCategory.InvalidData, "parameter 'Kind'");

            // A job whose container does not exist.
            yield return Case("saving to a job never initialized", "Save-BatchTaskOutput -JobId $NewJobId -TaskId t1 -Path a.txt", "JobContainerNotFound", ErrorCategory.ObjectNotFound, "Initialize-BatchJobOutputStorage");
            yield return Case("listing a job never initialized", "Get-BatchTaskOutput -JobId $NewJobId", "JobContainerNotFound", ErrorCategory.ObjectNotFound, "Initialize-BatchJobOutputStorage");
            yield return Case("downloading a job never initialized", "Get-BatchJobOutput -JobId $NewJobId -Destination dl2", "JobContainerNotFound", ErrorCategory.ObjectNotFound, "Initialize-BatchJobOutputStorage");
            yield return Case("describing a job never initialized", "Get-BatchJobOutputStorage -JobId $NewJobId", "JobContainerNotFound", ErrorCategory.ObjectNotFound, "Initialize-BatchJobOutputStorage");
            yield return Case("removing a job never initialized", "Remove-BatchJobOutputStorage -JobId $NewJobId -Force", "JobContainerNotFound", ErrorCategory.ObjectNotFound, "Check the job ID");

            // Missing files and existing targets.
            yield return Case("receiving a file deleted since it was listed", "$Gone | Receive-BatchOutput -Destination dl", "OutputNotFound", ErrorCategory.ObjectNotFound, "does not exist");
            yield return Case("downloading into a file", "Get-BatchTaskOutput -JobId $JobId -TaskId t0 -Destination a.txt", "DestinationIsFile", ErrorCategory.InvalidArgument, "Give -Destination a folder");
            yield return Case("receiving into a file", "$Existing | Receive-BatchOutput -Destination a.txt", "DestinationIsFile", ErrorCategory.InvalidArgument, "Give -Destination a folder");
            yield return Case("downloading onto another drive", "Get-BatchTaskOutput -JobId $JobId -TaskId t0 -Destination Env:/DL", "PathNotFileSystem", ErrorCategory.InvalidArgument, "only the file system");
            yield return Case("downloading over an existing file", "Get-BatchTaskOutput -JobId $JobId -TaskId t0 -Name existing.txt -Destination dl", "DownloadTargetExists", ErrorCategory.ResourceExists, "Use -Force");

            // Credentials that cannot do it.
            yield return Case("saving with a read-only SAS", Save + "-Path a.txt -Context $ReadOnly", "StoragePermissionDenied", ErrorCategory.PermissionDenied, "New-BatchJobOutputSas -Permission");
            yield return Case("removing with a read-only SAS", "$Existing | Remove-BatchOutput -Context $ReadOnly", "StoragePermissionDenied", ErrorCategory.PermissionDenied, "New-BatchJobOutputSas -Permission");
            yield return Case("a SAS for another job's container", "Save-BatchTaskOutput -JobId $NewJobId -TaskId t1 -Path a.txt -Context $ReadOnly", "ContainerOutOfScope", ErrorCategory.InvalidArgument, "New-BatchJobOutputSas");
            yield return Case("signing a SAS with a SAS", "New-BatchJobOutputSas -JobId $JobId -Context $ReadOnly", "CannotIssueSas", ErrorCategory.InvalidOperation, "Connect with an account key");
            yield return Case("listing with an expired SAS", "Get-BatchTaskOutput -JobId $JobId -Context $Expired", "StorageAuthenticationFailed", ErrorCategory.AuthenticationError, "Its SAS expired at ");
            yield return Case("saving with an expired SAS", Save + "-Path a.txt -Context $Expired", "StorageAuthenticationFailed", ErrorCategory.AuthenticationError, "Its SAS expired at ");
            yield return Case("saving with a wrong key", Save + "-Path a.txt -Context $WrongKeyContext", "StorageAuthenticationFailed", ErrorCategory.AuthenticationError, "Check the account key");
            yield return Case("listing with a wrong key", "Get-BatchJobOutput -JobId $JobId -Context $WrongKeyContext", "StorageAuthenticationFailed", ErrorCategory.AuthenticationError, "Check the account key");
            yield return Case("initializing with a wrong key", "Initialize-BatchJobOutputStorage -JobId $NewJobId -Context $WrongKeyContext", "StorageAuthenticationFailed", ErrorCategory.AuthenticationError, "Check the account key");
            yield return Case("removing a job with a wrong key", "Remove-BatchJobOutputStorage -JobId $JobId -Force -Context $WrongKeyContext", "StorageAuthenticationFailed", ErrorCategory.AuthenticationError, "Check the account key");

            // Connecting with what cannot be used.
            yield return Case("a connection string that is not one", "Connect-BatchOutputStorage -ConnectionString 'nonsense'", "InvalidConnectionString", ErrorCategory.InvalidArgument, "Access keys");
            yield return Case("a connection string without a key", "Connect-BatchOutputStorage -ConnectionString 'BlobEndpoint=https://x.blob.core.windows.net/'", "InvalidConnectionString", ErrorCategory.InvalidArgument, "neither an AccountKey nor a SharedAccessSignature");
            yield return Case("a key that is not base64", "Connect-BatchOutputStorage -StorageAccountName devstoreaccount1 -StorageAccountKey $NotAKey", "InvalidStorageAccountKey", ErrorCategory.InvalidArgument, "Copy key1 or key2");
            yield return Case("a container URL without a SAS", "Connect-BatchOutputStorage -ContainerUrl ($Endpoint.AbsoluteUri + '/job-x')", "InvalidContainerUrl", ErrorCategory.InvalidArgument, "New-BatchJobOutputSas");
            yield return Case("a container URL that is not a URL", "Connect-BatchOutputStorage -ContainerUrl 'not a url'", "InvalidContainerUrl", ErrorCategory.InvalidArgument, "New-BatchJobOutputSas");
            yield return Case("a blob URL for a container URL", "Connect-BatchOutputStorage -ContainerUrl ($ReadOnlyUrl -replace '\\?', '/a.txt?')", "InvalidContainerUrl", ErrorCategory.InvalidArgument, "exactly one container");
            yield return Case("a blob endpoint that is not http", "Connect-BatchOutputStorage -StorageAccountName devstoreaccount1 -StorageAccountKey $GoodKey -BlobEndpoint 'ftp://127.0.0.1/x'", "InvalidBlobEndpoint", ErrorCategory.InvalidArgument, "is not an http(s) URL");
            yield return Case("a blob endpoint without its scheme", "Connect-BatchOutputStorage -StorageAccountName devstoreaccount1 -StorageAccountKey $GoodKey -BlobEndpoint 'devstoreaccount1.blob.core.windows.net'", "InvalidBlobEndpoint", ErrorCategory.InvalidArgument, "with its scheme");
            yield return Case("an account URL for an account name", "Connect-BatchOutputStorage -StorageAccountName 'https://acct.blob.core.windows.net' -StorageAccountKey $GoodKey", "InvalidStorageAccountName", ErrorCategory.InvalidArgument, "3 to 24 lowercase letters and digits");
            yield return Case("an account name with a space", "Connect-BatchOutputStorage -StorageAccountName 'my acct' -StorageAccountKey $GoodKey", "InvalidStorageAccountName", ErrorCategory.InvalidArgument, "3 to 24 lowercase letters and digits");
            yield return Case("an endpoint suffix with a space", "Connect-BatchOutputStorage -StorageAccountName acct -StorageAccountKey $GoodKey -EndpointSuffix 'core windows.net'", "InvalidEndpointSuffix", ErrorCategory.InvalidArgument, "not a DNS suffix");
            yield return Case("a connection string as the account name, with an endpoint", "Connect-BatchOutputStorage -StorageAccountName $ConnectionString -StorageAccountKey $GoodKey -BlobEndpoint $Endpoint", "InvalidStorageAccountName", ErrorCategory.InvalidArgument, "3 to 24 lowercase letters and digits");
            yield return Case("a blob endpoint with a query", "Connect-BatchOutputStorage -StorageAccountName devstoreaccount1 -StorageAccountKey $GoodKey -BlobEndpoint ($Endpoint.AbsoluteUri + '?sig=X')", "InvalidBlobEndpoint", ErrorCategory.InvalidArgument, "has a query or fragment");
            yield return Case("an endpoint suffix that names another host", "Connect-BatchOutputStorage -StorageAccountName acct -StorageAccountKey $GoodKey -EndpointSuffix '@evil.example'", "InvalidEndpointSuffix", ErrorCategory.InvalidArgument, "is not a DNS suffix");
            yield return Case("a connection string whose SAS has a bad expiry", "Connect-BatchOutputStorage -ConnectionString ('BlobEndpoint=' + $Endpoint.AbsoluteUri + ';SharedAccessSignature=sv=2020-02-10&se=bogus&sig=X')", "InvalidConnectionString", ErrorCategory.InvalidArgument, "could not be parsed");
            yield return Case("development storage turned off", "Connect-BatchOutputStorage -UseDevelopmentStorage:$false", "NoStorageChosen", ErrorCategory.InvalidArgument, "chooses no storage");
            yield return Case("the Az login turned off with nothing else", "Connect-BatchOutputStorage -StorageAccountName acct -UseConnectedAccount:$false", "NoCredentialChosen", ErrorCategory.InvalidArgument, "Give -StorageAccountKey or -AccessToken");
            yield return Case("a connection string with an empty key", "Connect-BatchOutputStorage -ConnectionString 'AccountName=abc;AccountKey='", "InvalidConnectionString", ErrorCategory.InvalidArgument, "AccountKey is empty");
            yield return Case("a connection string as a context", "New-BatchJobOutputSas -JobId $JobId -Context $ConnectionString", "ParameterArgumentTransformationError", ErrorCategory.InvalidData, "-Context takes a storage context");
            yield return Case("a connection string as a job ID", "New-BatchJobOutputSas $ConnectionString", "InvalidJobId", ErrorCategory.InvalidArgument, "AccountKey=...");
            yield return Case("a container URL whose SAS was cut short", "Connect-BatchOutputStorage -ContainerUrl ($Endpoint.AbsoluteUri + '/job-x?sv=2024-08-04&se=2025-01-0&sr=c&sp=acw&sig=abc')", "InvalidContainerUrl", ErrorCategory.InvalidArgument, "cut short");

            // Conflicting or out-of-range parameters.
            yield return Case("a task object and a task ID at once", Save + "-Path a.txt -Task ([pscustomobject]@{ Id = 't1'; Url = 'https://b.westus.batch.azure.com/jobs/j1/tasks/t1' })", "AmbiguousParameterSet", ErrorCategory.InvalidArgument, "Parameter set cannot be resolved");
            yield return Case("a connection string and a container URL at once", "Connect-BatchOutputStorage -ConnectionString $ConnectionString -ContainerUrl $ReadOnlyUrl", "AmbiguousParameterSet", ErrorCategory.InvalidArgument, "Parameter set cannot be resolved");
            yield return Case("a SAS permission letter that does not exist", "New-BatchJobOutputSas -JobId $JobId -Permission rwx", "InvalidSasPermission", ErrorCategory.InvalidArgument, "'x'");
            yield return Case("a SAS that expired before it was issued", "New-BatchJobOutputSas -JobId $JobId -ExpiryTime ([DateTime]::UtcNow.AddMinutes(-5))", "InvalidSasExpiry", ErrorCategory.InvalidArgument, "in the past");
            yield return Case("a SAS for a month", "New-BatchJobOutputSas -JobId $JobId -ExpiryTime ([DateTime]::UtcNow.AddDays(30))", "InvalidSasExpiry", ErrorCategory.InvalidArgument, "issue a new one");
            yield return Case("a throttle limit of zero", Save + "-Path a.txt -ThrottleLimit 0", "ParameterArgumentValidationError", ErrorCategory.InvalidData, "parameter 'ThrottleLimit'");
            yield return Case("an OutputFiles entry for another job's container", "New-BatchTaskOutputFile -FilePattern '*.txt' -TaskId t1 -ContainerUrl $ReadOnlyUrl -JobId $NewJobId", "ContainerUrlJobMismatch", ErrorCategory.InvalidArgument, "New-BatchJobOutputSas -JobId");
            yield return Case("an OutputFiles entry with an identity but no container", "New-BatchTaskOutputFile -FilePattern '*.txt' -TaskId t1 -IdentityReference '/subscriptions/x/id'", "ContainerUrlRequired", ErrorCategory.InvalidArgument, "give -JobId");
            yield return Case("an upload condition that does not exist", "New-BatchTaskOutputFile -FilePattern '*.txt' -TaskId t1 -ContainerUrl $ReadOnlyUrl -UploadCondition Sometimes", "ParameterArgumentValidationError", ErrorCategory.InvalidData, "TaskSuccess");
        }

        private static object[] Case(string name, string script, string errorId, ErrorCategory category, string phrase) =>
            new object[] { name, script, errorId, category, phrase };

        [Theory]
        [MemberData(nameof(Cases))]
        public void BadInputFailsClearlyAndChangesNothing(string name, string script, string errorId, ErrorCategory category, string phrase)
        {
            _fixture.Reconnect();
            var session = _fixture.Session;
            var storageBefore = BadInputFixture.StorageSnapshot(BadInputFixture.Stem);
            var diskBefore = BadInputFixture.DiskSnapshot(session.Folder.Path);

            var result = session.Run(script,
                ("JobId", _fixture.JobId), ("NewJobId", _fixture.NewJobId), ("ConnectionString", TestStorage.ConnectionString),
                ("NotAKey", ProxiedStorage.Secure("this is not base64!")));

            var errors = result.AllErrors.ToList();
            _output.WriteLine($"bad-input case '{name}': {string.Join(" | ", errors.Select(e => $"{e.FullyQualifiedErrorId} [{e.CategoryInfo.Category}] {e}"))}");
            // One error, or one per file when several files share the fault (a folder saved under too long a name).
            Assert.NotEmpty(errors);
            Assert.All(errors, error =>
            {
                Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
                Assert.Equal(category, error.CategoryInfo.Category);
                Assert.Contains(phrase, error.ToString());
            });
            Assert.True(errors.Count == 1 || name.Contains("folder", StringComparison.Ordinal), $"{errors.Count} errors for one bad input");
            Assert.Empty(result.Output);
            Assert.Equal(storageBefore, BadInputFixture.StorageSnapshot(BadInputFixture.Stem));
            Assert.Equal(diskBefore, BadInputFixture.DiskSnapshot(session.Folder.Path));
            // Whatever was typed in the wrong place, an account key is never repeated back.
            Assert.All(errors, error => Assert.DoesNotContain(TestStorage.Server.AccountKey, error.ToString() + error.Exception));
        }

        [Fact]
        public void TheMatrixCoversAtLeastFortyCases()
        {
            var count = Cases().Count() + BadInputEnvironmentTests.Cases().Count();
            _output.WriteLine($"bad-input cases: {Cases().Count()} with storage configured, {BadInputEnvironmentTests.Cases().Count()} that depend on the process environment, {count} in all");
            Assert.True(count >= 40, $"only {count} bad-input cases");
            Assert.Equal(count, Cases().Concat(BadInputEnvironmentTests.Cases()).Select(c => (string)c[0]).Distinct().Count());
        }

        [Fact]
        public void EmptyFilesAreValidAndSaveAsZeroByteBlobs()
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("Empty");
            var container = TestStorage.Sdk.GetBlobContainerClient(session.InitializeJob(jobId));
            session.Folder.WriteRandomFile("empty/a.txt", 0);
            session.Folder.WriteRandomFile("empty/deeper/b.log", 0);
            var saved = session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path empty", ("JobId", jobId)).ThrowIfFailed().Output;
            Assert.Equal(2, saved.Count);
            Assert.All(saved, s => Assert.Equal(0L, s.Prop("Length")));
            var blobs = container.GetBlobs().ToList();
            Assert.Equal(new[] { "t1/$TaskOutput/a.txt", "t1/$TaskOutput/deeper/b.log" }, blobs.Select(b => b.Name).OrderBy(n => n, StringComparer.Ordinal));
            Assert.All(blobs, b => Assert.Equal(0L, b.Properties.ContentLength));

            var got = session.Run("Get-BatchTaskOutput -JobId $JobId -TaskId t1 -Destination dl").ThrowIfFailed().Output;
            Assert.Equal(2, got.Count);
            Assert.Equal(0L, new FileInfo(session.Folder.Combine("dl", "t1", "TaskOutput", "deeper", "b.log")).Length);
        }

        [Fact]
        public void ZeroMatchesIsNoErrorAndWritesNothing()
        {
            var session = _fixture.Session;
            _fixture.Reconnect();
            var diskBefore = BadInputFixture.DiskSnapshot(session.Folder.Path);
            foreach (var script in new[]
            {
                "Get-BatchTaskOutput -JobId $JobId -TaskId t0 -Name '*.nothing'",
                "Get-BatchTaskOutput -JobId $JobId -TaskId no-such-task",
                "Get-BatchTaskOutput -JobId $JobId -Kind NoSuchKind -Destination dl3",
                "Get-BatchJobOutput -JobId $JobId -Kind JobPreview -Destination dl3",
            })
            {
                var result = session.Run(script, ("JobId", _fixture.JobId));
                Assert.Empty(result.AllErrors);
                Assert.Empty(result.Output);
            }

            Assert.Equal(diskBefore, BadInputFixture.DiskSnapshot(session.Folder.Path));
        }
    }
}
