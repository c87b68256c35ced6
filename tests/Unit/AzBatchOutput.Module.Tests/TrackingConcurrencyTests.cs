using System;
using System.IO;
using System.Linq;
using AzBatchOutput.Module.Tests.Infrastructure;
using Xunit;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>A task's stdout, stderr and application log tracked at once; -All; one tracker per blob; one runspace's -All.</summary>
    public class TrackingConcurrencyTests
    {
        [Fact]
        public void SeveralTrackersRunTogetherAndStopAllStopsThemAll()
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("TrackMany");
            var container = session.InitializeJob(jobId);
            var stdout = session.Folder.WriteRandomFile("stdout.txt", 1_000);
            var stderr = session.Folder.WriteRandomFile("stderr.txt", 500);
            var appLog = session.Folder.Combine("app.log"); // appears later

            var started = session.Run("$Files | Start-BatchTaskOutputTracking -JobId $JobId -TaskId multi -FlushInterval 1",
                ("Files", new[] { stdout, stderr, appLog }), ("JobId", jobId)).ThrowIfFailed();
            Assert.Equal(new[] { "stdout.txt", "stderr.txt", "app.log" }, started.Output.Strs("Path"));
            Assert.Equal("WaitingForFile", started.Output[2].Str("State"));

            TrackingTestKit.Append(stdout, "more output\n");
            TrackingTestKit.Append(stderr, "a warning\n");
            TrackingTestKit.Append(appLog, "app log line\n");
            TrackingTestKit.WaitForBlobLength(started.Output[2], 13);

            var stopped = session.Run("Stop-BatchTaskOutputTracking -All -PassThru -GracePeriod 0").ThrowIfFailed();
            Assert.Equal(3, stopped.Output.Count);
            Assert.All(stopped.Output, t => Assert.Equal("Stopped", t.Str("State")));
            foreach (var (file, name) in new[] { (stdout, "stdout.txt"), (stderr, "stderr.txt"), (appLog, "app.log") })
            {
                TrackingTestKit.AssertSameBytes(File.ReadAllBytes(file), TrackingTestKit.BlobBytes(container, "multi/$TaskLog/" + name), name);
            }

            Assert.Empty(session.Run("Stop-BatchTaskOutputTracking -All -PassThru").ThrowIfFailed().Output);
        }

        [Fact]
        public void TwoTrackersOnOneBlobAreRefused()
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("TrackTwice");
            var container = session.InitializeJob(jobId);
            var stdout = session.Folder.WriteRandomFile("stdout.txt", 100);
            var other = session.Folder.WriteRandomFile("other.txt", 100);
            var first = session.StartTracking(stdout, jobId, "t1");

            var again = session.Run("Start-BatchTaskOutputTracking -Path $File -JobId $JobId -TaskId t1", ("File", stdout), ("JobId", jobId));
            var error = again.SingleError();
            Assert.Equal("TrackerAlreadyRunning,AzBatchOutput.Cmdlets.StartBatchTaskOutputTrackingCommand", error.FullyQualifiedErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.ResourceBusy, error.CategoryInfo.Category);
            Assert.Contains("Stop-BatchTaskOutputTracking", error.ToString());
            Assert.Empty(again.Output);

            // Another file onto the same blob name, and the same blob from another runspace of this process: refused too.
            var renamed = session.Run("Start-BatchTaskOutputTracking -Path $File -JobId $JobId -TaskId t1 -DestinationPath stdout.txt", ("File", other), ("JobId", jobId));
            Assert.StartsWith("TrackerAlreadyRunning,", renamed.SingleError().FullyQualifiedErrorId);
            using (var second = ModuleSession.Start())
            {
                var elsewhere = second.Run("Start-BatchTaskOutputTracking -Path $File -JobId $JobId -TaskId t1", ("File", stdout), ("JobId", jobId));
                Assert.StartsWith("TrackerAlreadyRunning,", elsewhere.SingleError().FullyQualifiedErrorId);
            }

            // The refusals did not disturb the running tracker.
            TrackingTestKit.Append(stdout, "still tracked\n");
            session.StopTracking(first).ThrowIfFailed();
            TrackingTestKit.AssertSameBytes(File.ReadAllBytes(stdout), TrackingTestKit.BlobBytes(container, "t1/$TaskLog/stdout.txt"), "first tracker");

            // Once stopped, the blob may be tracked again.
            var next = session.StartTracking(other, jobId, "t1", "-DestinationPath stdout.txt");
            session.StopTracking(next).ThrowIfFailed();
            TrackingTestKit.AssertSameBytes(File.ReadAllBytes(other), TrackingTestKit.BlobBytes(container, "t1/$TaskLog/stdout.txt"), "after restart");
        }

        [Fact]
        public void StopAllStopsOnlyThisRunspacesTrackers()
        {
            using var mine = ModuleSession.Start();
            using var theirs = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("TrackOwners");
            mine.InitializeJob(jobId);
            var myTracker = mine.StartTracking(mine.Folder.WriteRandomFile("a.log", 10), jobId, "t1");
            var theirTracker = theirs.StartTracking(theirs.Folder.WriteRandomFile("b.log", 10), jobId, "t1");

            var stopped = mine.Run("Stop-BatchTaskOutputTracking -All -PassThru -GracePeriod 0").ThrowIfFailed().Output;
            Assert.Equal(new[] { "a.log" }, stopped.Strs("Path"));
            Assert.Equal("Stopped", myTracker.Str("State"));
            Assert.NotEqual("Stopped", theirTracker.Str("State"));

            // A tracker object can still be stopped from anywhere it is passed to.
            var passed = mine.StopTracking(theirTracker).ThrowIfFailed().Output.Single();
            Assert.Equal("Stopped", passed.Str("State"));
        }

        [Fact]
        public void StoppingAStoppedTrackerPassesItThrough()
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("TrackStopTwice");
            session.InitializeJob(jobId);
            var tracker = session.StartTracking(session.Folder.WriteRandomFile("a.log", 10), jobId, "t1");
            session.StopTracking(tracker).ThrowIfFailed();
            var again = session.StopTracking(tracker).ThrowIfFailed();
            Assert.Equal("Stopped", again.Output.Single().Str("State"));
            Assert.Empty(session.Run("$Tracker | Stop-BatchTaskOutputTracking", ("Tracker", tracker)).ThrowIfFailed().Output);
        }
    }
}
