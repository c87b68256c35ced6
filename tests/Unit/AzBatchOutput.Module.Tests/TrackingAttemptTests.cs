using System;
using System.IO;
using System.Linq;
using System.Text;
using AzBatchOutput.Module.Tests.Infrastructure;
using Xunit;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>
    /// A retried Batch task tracks its fresh stdout.txt into the blob its earlier attempt left: the blob is replaced (with a
    /// warning), never appended to, so it holds the new attempt's output only. The reference library re-appended the
    /// whole log onto the old blob.
    /// </summary>
    public class TrackingAttemptTests
    {
        [Fact]
        public void RetriedTaskReplacesTheEarlierAttemptsBlob()
        {
            var jobId = TestStorage.NewJobId("TrackRetry");
            string container;
            const string blobName = "task-5/$TaskLog/stdout.txt";
            var first = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("attempt 1: working...\n", 250)));
            using (var attempt1 = ModuleSession.Start())
            {
                container = attempt1.InitializeJob(jobId);
                var file = attempt1.Folder.WriteFile("stdout.txt", first);
                var tracker = attempt1.StartTracking(file, jobId, "task-5", "-FlushInterval 1");
                TrackingTestKit.Append(file, "attempt 1: failed\n");
                var stopped = attempt1.StopTracking(tracker).ThrowIfFailed();
                Assert.Empty(stopped.Warnings);
                TrackingTestKit.AssertSameBytes(File.ReadAllBytes(file), TrackingTestKit.BlobBytes(container, blobName), "attempt 1");
            }

            // The retry runs in a new process with a new, shorter stdout.txt.
            using var attempt2 = ModuleSession.Start();
            var retryFile = attempt2.Folder.WriteFile("stdout.txt", Encoding.UTF8.GetBytes("attempt 2: starting\n"));
            var started = attempt2.Run("Start-BatchTaskOutputTracking -Path $File -JobId $JobId -TaskId task-5 -FlushInterval 1",
                ("File", retryFile), ("JobId", jobId)).ThrowIfFailed();
            var warning = Assert.Single(started.WarningTexts());
            Assert.Contains("earlier attempt", warning);
            Assert.Contains("replaced", warning);
            Assert.Contains($"{first.Length + 18:N0} bytes", warning);
            var retry = started.Output.Single();

            TrackingTestKit.Append(retryFile, "attempt 2: done\n");
            var final = attempt2.StopTracking(retry).ThrowIfFailed().Output.Single();
            var expected = Encoding.UTF8.GetBytes("attempt 2: starting\nattempt 2: done\n");
            TrackingTestKit.AssertSameBytes(expected, TrackingTestKit.BlobBytes(container, blobName), "after the retry");
            Assert.Equal(expected.Length, final.Long("BytesUploaded"));
            Assert.Equal("Stopped", final.Str("State"));
        }

        [Fact]
        public void TrackingAgainInTheSameSessionStartsAFreshBlob()
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("TrackAgain");
            var container = session.InitializeJob(jobId);
            var file = session.Folder.WriteRandomFile("run.log", 3000);
            session.StopTracking(session.StartTracking(file, jobId, "t1")).ThrowIfFailed();

            TrackingTestKit.Append(file, "more after the first stop\n");
            var again = session.Run("Start-BatchTaskOutputTracking -Path $File -JobId $JobId -TaskId t1", ("File", file), ("JobId", jobId)).ThrowIfFailed();
            Assert.Contains("3,000 bytes", Assert.Single(again.WarningTexts()));
            session.StopTracking(again.Output.Single()).ThrowIfFailed();

            // The whole file again, once: nothing of the first run is doubled.
            TrackingTestKit.AssertSameBytes(File.ReadAllBytes(file), TrackingTestKit.BlobBytes(container, "t1/$TaskLog/run.log"), "second run");
        }

        [Fact]
        public void ABlockBlobOfTheSameNameIsReplacedByTheAppendBlob()
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("TrackOverBlock");
            var container = session.InitializeJob(jobId);
            var saved = session.Folder.WriteRandomFile("saved/stdout.txt", 500);
            session.Run("Save-BatchTaskOutput -Path $File -JobId $JobId -TaskId t1 -Kind TaskLog | Out-Null", ("File", saved), ("JobId", jobId)).ThrowIfFailed();

            var file = session.Folder.WriteRandomFile("stdout.txt", 40);
            var started = session.Run("Start-BatchTaskOutputTracking -Path $File -JobId $JobId -TaskId t1", ("File", file), ("JobId", jobId)).ThrowIfFailed();
            Assert.Contains("500 bytes", Assert.Single(started.WarningTexts()));
            session.StopTracking(started.Output.Single()).ThrowIfFailed();
            var blob = TestStorage.Sdk.GetBlobContainerClient(container).GetBlobClient("t1/$TaskLog/stdout.txt");
            Assert.Equal(Azure.Storage.Blobs.Models.BlobType.Append, blob.GetProperties().Value.BlobType);
            TrackingTestKit.AssertSameBytes(File.ReadAllBytes(file), TrackingTestKit.BlobBytes(container, "t1/$TaskLog/stdout.txt"), "over a block blob");
        }
    }
}
