using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using AzBatchOutput.Module.Tests.Faults;
using AzBatchOutput.Module.Tests.Infrastructure;
using Azure.Storage.Sas;
using Xunit;
using Xunit.Abstractions;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>
    /// A failure that every file of a container would meet (no container, a refused credential, an endpoint nobody
    /// answers at) is reported once (a repeatable one, three times), and the files it left undone are named in one more
    /// error, instead of one error per file, each waiting out its retries. A failure of one file, or of another job's
    /// container, stops nothing else. Some cases shorten the module's retries through a process variable, so they run alone.
    /// </summary>
    [Collection(ProcessEnvironmentCollection.Name)]
    public class SharedFailureTests
    {
        private const int FileCount = 40;
        private readonly ITestOutputHelper _output;

        public SharedFailureTests(ITestOutputHelper output) => _output = output;

        [Fact]
        public void SavingManyFilesToAJobNeverInitializedFailsOnceAndNamesTheRest()
        {
            using var session = ModuleSession.Start();
            var local = WriteFiles(session);
            var jobId = TestStorage.NewJobId("SharedFail");

            // Through a proxy that counts requests, two files at a time: the files after the failure are never sent.
            using var proxy = new FaultProxy(TestStorage.Server.BlobEndpoint, new FaultPlan(1, 0));
            session.ConnectAt(proxy.BlobEndpoint);

            var result = session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path data -ThrottleLimit 2", ("JobId", jobId));

            Assert.Empty(result.Output);
            AssertFailureThenTheRest(result, "JobContainerNotFound", ErrorCategory.ObjectNotFound, 1, local, "saved");
            Assert.InRange(proxy.RequestsSeen, 1, 4);
            Assert.Empty(TestStorage.Sdk.GetBlobContainers(prefix: "job-" + jobId.ToLowerInvariant()));
        }

        [Fact]
        public void SavingManyFilesToAnEndpointNobodyAnswersFailsOnceInsteadOfRetryingEachFile()
        {
            using var retries = new ShortRetries(retries: 2, networkTimeoutSeconds: 2);
            using var session = ModuleSession.Start(connect: false);
            session.ConnectAt(new Uri($"http://127.0.0.1:{BadInputEnvironmentTests.ClosedPort()}/devstoreaccount1"));
            var local = WriteFiles(session);

            var result = session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path data", ("JobId", TestStorage.NewJobId("SharedFail")));

            Assert.Empty(result.Output);
            AssertFailureThenTheRest(result, "StorageUnreachable", ErrorCategory.ConnectionError, 3, local, "saved");
        }

        [Fact]
        public void DownloadingFromAContainerDeletedSinceTheListingFailsOnceAndWritesNothing()
        {
            using var session = ModuleSession.Start();
            var (_, container) = SaveFilesAndListThem(session);
            var blobs = TestStorage.Sdk.GetBlobContainerClient(container).GetBlobs().Select(b => b.Name).ToList();
            Assert.Equal(FileCount, blobs.Count);
            TestStorage.Sdk.GetBlobContainerClient(container).Delete();

            var result = session.Run("$Found | Receive-BatchOutput -Destination dl");

            Assert.Empty(result.Output);
            AssertFailureThenTheRest(result, "JobContainerNotFound", ErrorCategory.ObjectNotFound, 1, blobs, "downloaded");
            Assert.True(!Directory.Exists(session.Folder.Combine("dl")) || Directory.GetFiles(session.Folder.Combine("dl"), "*", SearchOption.AllDirectories).Length == 0);
        }

        /// <summary>Files piped from two jobs: the job whose container is gone fails once; the other job's files all download.</summary>
        [Fact]
        public void AFailureOfOneJobsContainerDoesNotStopAnotherJobsFiles()
        {
            using var session = ModuleSession.Start();
            var (goneJob, goneContainer) = SaveFilesAndListThem(session);
            session.Run("$Gone = $Found").ThrowIfFailed();
            var (keptJob, _) = SaveFilesAndListThem(session, "t2");
            TestStorage.Sdk.GetBlobContainerClient(goneContainer).Delete();

            var result = session.Run("@($Gone) + @($Found) | Receive-BatchOutput -Destination dl");

            Assert.Equal(FileCount, result.Output.Count);
            Assert.All(result.Output, file => Assert.Contains(Path.DirectorySeparatorChar + "t2" + Path.DirectorySeparatorChar, file.Str("FullName")));
            var blobs = Enumerable.Range(0, FileCount).Select(i => $"t1/$TaskOutput/file-{i:D2}.bin").ToList();
            AssertFailureThenTheRest(result, "JobContainerNotFound", ErrorCategory.ObjectNotFound, 1, blobs, "downloaded");
            Assert.Contains($"'{goneContainer}'", result.AllErrors.Last().ToString());
            Assert.NotEqual(goneJob, keptJob);
        }

        [Fact]
        public void RemovingWithAReadOnlySasFailsOnceAndRemovesNothing()
        {
            using var session = ModuleSession.Start();
            var (jobId, container) = SaveFilesAndListThem(session);
            var readOnly = TestStorage.Sdk.GetBlobContainerClient(container)
                .GenerateSasUri(BlobContainerSasPermissions.Read | BlobContainerSasPermissions.List, DateTimeOffset.UtcNow.AddHours(1)).ToString();
            var blobs = TestStorage.Sdk.GetBlobContainerClient(container).GetBlobs().Select(b => b.Name).ToList();

            var result = session.Run(
                "$ReadOnly = Connect-BatchOutputStorage -ContainerUrl $Url; Get-BatchTaskOutput -JobId $JobId -TaskId t1 -Context $ReadOnly | Remove-BatchOutput -Confirm:$false",
                ("Url", readOnly), ("JobId", jobId));

            Assert.Empty(result.Output);
            AssertFailureThenTheRest(result, "StoragePermissionDenied", ErrorCategory.PermissionDenied, 3, blobs, "removed");
            Assert.Equal(FileCount, TestStorage.Sdk.GetBlobContainerClient(container).GetBlobs().Count());
        }

        [Fact]
        public void FilesGoneSinceTheListingFailOneByOneAndTheOthersStillDownload()
        {
            using var session = ModuleSession.Start();
            var (_, container) = SaveFilesAndListThem(session);
            var gone = new[] { "t1/$TaskOutput/file-03.bin", "t1/$TaskOutput/file-17.bin", "t1/$TaskOutput/file-31.bin" };
            foreach (var blob in gone)
            {
                TestStorage.Sdk.GetBlobContainerClient(container).DeleteBlob(blob);
            }

            var result = session.Run("$Found | Receive-BatchOutput -Destination dl");

            Assert.Equal(FileCount - gone.Length, result.Output.Count);
            Assert.All(result.AllErrors, e => Assert.StartsWith("OutputNotFound,", e.FullyQualifiedErrorId));
            Assert.Equal(gone.OrderBy(n => n, StringComparer.Ordinal), result.AllErrors.Select(e => (string)e.TargetObject).OrderBy(n => n, StringComparer.Ordinal));
        }

        /// <summary>Saves the files to a new job's task t1 and lists them into $Found; returns the job and its container.</summary>
        private static (string JobId, string Container) SaveFilesAndListThem(ModuleSession session, string taskId = "t1")
        {
            var jobId = TestStorage.NewJobId("SharedFail");
            var container = session.InitializeJob(jobId);
            WriteFiles(session);
            session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId $TaskId -Path data | Out-Null; $Found = Get-BatchTaskOutput -JobId $JobId -TaskId $TaskId",
                ("JobId", jobId), ("TaskId", taskId)).ThrowIfFailed();
            return (jobId, container);
        }

        private static List<string> WriteFiles(ModuleSession session) =>
            Enumerable.Range(0, FileCount).Select(i => session.Folder.WriteRandomFile($"data/file-{i:D2}.bin", 1024 + i, seed: i)).ToList();

        /// <summary>
        /// The shared cause's errors (one, or three of a repeatable one), then one naming every other file; together they
        /// account for all of them.
        /// </summary>
        private void AssertFailureThenTheRest(PSResult result, string errorId, ErrorCategory category, int causes, IReadOnlyCollection<string> all, string done)
        {
            var errors = result.AllErrors.ToList();
            _output.WriteLine(string.Join(Environment.NewLine, errors.Select(e => $"{e.FullyQualifiedErrorId} [{e.CategoryInfo.Category}] {e}")));
            Assert.Equal(causes + 1, errors.Count);
            Assert.All(errors.Take(causes), e =>
            {
                Assert.StartsWith(errorId + ",", e.FullyQualifiedErrorId);
                Assert.Equal(category, e.CategoryInfo.Category);
            });

            var rest = errors[causes];
            Assert.StartsWith("StoppedAfterSharedFailure,", rest.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.OperationStopped, rest.CategoryInfo.Category);
            Assert.Matches($"^{all.Count - causes} other files in container '[a-z0-9-]+' were not {done}: the command stopped there at the {errorId} error above", rest.ToString());
            var named = ((IEnumerable<string>)rest.TargetObject).ToList();
            // Bare paths or blob names, as a script would pass them to the command again.
            var failed = errors.Take(causes).Select(e => (string)e.TargetObject);
            Assert.Equal(all.Count - causes, named.Count);
            Assert.Equal(all.OrderBy(n => n, StringComparer.Ordinal), named.Concat(failed).OrderBy(n => n, StringComparer.Ordinal));
        }
    }
}
