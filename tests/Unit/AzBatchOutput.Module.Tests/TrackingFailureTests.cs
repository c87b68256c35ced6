using System;
using System.IO;
using System.Linq;
using System.Threading;
using AzBatchOutput.Module.Tests.Infrastructure;
using Azure;
using Azure.Storage.Sas;
using Xunit;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>Flushes that fail: each failure is a warning (queued, written by the next tracking command), retried at the
    /// next interval, kept on the tracker as LastError, and nothing is dropped.</summary>
    public class TrackingFailureTests
    {
        [Fact]
        public void DeletedAndRecreatedContainerIsRetriedAndRecovered()
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("TrackRecover");
            var container = session.InitializeJob(jobId);
            var file = session.Folder.WriteRandomFile("stdout.txt", 5_000);
            var tracker = session.StartTracking(file, jobId, "t1", "-FlushInterval 1");
            TrackingTestKit.WaitForBlobLength(tracker, 5_000);

            var client = TestStorage.Sdk.GetBlobContainerClient(container);
            client.Delete();
            TrackingTestKit.Append(file, new byte[3_000]);
            TrackingTestKit.WaitUntil(() => tracker.Str("State") == "Retrying", TimeSpan.FromSeconds(30), () => $"State {tracker.Str("State")}");
            Assert.Equal("JobContainerNotFound", tracker.Str("LastErrorId"));

            // The admin re-creates the container (the service may still be deleting it for a while).
            TrackingTestKit.WaitUntil(() =>
            {
                try
                {
                    client.CreateIfNotExists();
                    return true;
                }
                catch (RequestFailedException ex) when (ex.Status == 409)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(60), () => "the container could not be re-created");
            TrackingTestKit.Append(file, "after the outage\n");
            var length = new FileInfo(file).Length;
            TrackingTestKit.WaitUntil(() => tracker.Long("BlobLength") == length && tracker.Str("State") == "Tracking", TimeSpan.FromSeconds(30),
                () => $"State {tracker.Str("State")}, BlobLength {tracker.Long("BlobLength")} of {length}, LastError {tracker.Str("LastError")}");

            var stopped = session.StopTracking(tracker).ThrowIfFailed();
            var warnings = stopped.WarningTexts();
            Assert.Contains(warnings, w => w.Contains("JobContainerNotFound") && w.Contains("retried every 1 s"));
            Assert.Contains(warnings, w => w.Contains("disappeared"));
            Assert.Contains(warnings, w => w.Contains("works again"));
            var final = stopped.Output.Single();
            Assert.Equal("Stopped", final.Str("State"));
            Assert.True(final.Long("FailedFlushCount") >= 1);
            Assert.Equal(1L, final.Long("RestartCount"));
            Assert.Equal("JobContainerNotFound", final.Str("LastErrorId")); // kept, though the tracker recovered
            TrackingTestKit.AssertSameBytes(File.ReadAllBytes(file), TrackingTestKit.BlobBytes(container, "t1/$TaskLog/stdout.txt"), "after recovery");
        }

        [Fact]
        public void SasThatCannotAppendWarnsRetriesAndFailsTheFinalFlush()
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("TrackNoAdd");
            var container = session.InitializeJob(jobId);
            // Create only: enough to create the new blob, but Append Block needs add or write.
            var noAdd = TestStorage.Sdk.GetBlobContainerClient(container)
                .GenerateSasUri(BlobContainerSasPermissions.Create, DateTimeOffset.UtcNow.AddHours(1)).ToString();
            var file = session.Folder.WriteRandomFile("stdout.txt", 2_000);

            var started = session.Run(
                "$ctx = Connect-BatchOutputStorage -ContainerUrl $Url; Start-BatchTaskOutputTracking -Path $File -JobId $JobId -TaskId t1 -FlushInterval 1 -Context $ctx",
                ("Url", noAdd), ("File", file), ("JobId", jobId)).ThrowIfFailed();
            var tracker = started.Output.Single();
            TrackingTestKit.WaitUntil(() => tracker.Long("FailedFlushCount") >= 3, TimeSpan.FromSeconds(30),
                () => $"FailedFlushCount {tracker.Long("FailedFlushCount")}, State {tracker.Str("State")}");
            Assert.Equal("Retrying", tracker.Str("State"));
            Assert.Equal("StoragePermissionDenied", tracker.Str("LastErrorId"));

            // The warnings wait in the queue until the next tracking command, which writes them: once per streak, not per try.
            // (The first flush runs at once, so Start itself may already have written it.)
            var stopped = session.StopTracking(tracker);
            var warning = Assert.Single(started.WarningTexts().Concat(stopped.WarningTexts()));
            Assert.Contains("StoragePermissionDenied", warning);
            Assert.Contains("retried", warning);
            var error = stopped.SingleError();
            Assert.Equal("StoragePermissionDenied,AzBatchOutput.Cmdlets.StopBatchTaskOutputTrackingCommand", error.FullyQualifiedErrorId);
            Assert.DoesNotContain("sig=", error.ToString());
            var final = stopped.Output.Single();
            Assert.Equal("Failed", final.Str("State"));
            Assert.Equal(0L, final.Long("BlobLength"));
            Assert.Empty(TrackingTestKit.BlobBytes(container, "t1/$TaskLog/stdout.txt"));
        }

        [Fact]
        public void WarningsOfBackgroundFlushesAreWrittenByTheNextTrackingCommand()
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("TrackQueue");
            var container = session.InitializeJob(jobId);
            var file = session.Folder.WriteRandomFile("stdout.txt", 3_000);
            var tracker = session.StartTracking(file, jobId, "t1", "-FlushInterval 1");
            TrackingTestKit.WaitForBlobLength(tracker, 3_000);
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Write, FileShare.ReadWrite))
            {
                stream.SetLength(10);
            }

            TrackingTestKit.WaitUntil(() => tracker.Long("RestartCount") == 1, TimeSpan.FromSeconds(20), () => "no restart");

            // Another tracker's Start writes the first one's queued warning.
            var other = session.Run("Start-BatchTaskOutputTracking -Path $File -JobId $JobId -TaskId t2", ("File", file), ("JobId", jobId)).ThrowIfFailed();
            Assert.Contains(other.WarningTexts(), w => w.Contains("was truncated"));
            var stopped = session.Run("Stop-BatchTaskOutputTracking -All -GracePeriod 0").ThrowIfFailed();
            Assert.Empty(stopped.Warnings);
            TrackingTestKit.AssertSameBytes(File.ReadAllBytes(file), TrackingTestKit.BlobBytes(container, "t1/$TaskLog/stdout.txt"), "t1");
        }
    }
}
