using System;
using System.IO;
using System.Linq;
using System.Text;
using AzBatchOutput.Module.Tests.Infrastructure;
using Xunit;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>
    /// A tracked file that does not only grow: truncated, replaced by a new file (log rotation), rewritten, deleted, or not
    /// there yet. Each is noticed with a warning, and the documented result is that the blob starts again with the file's
    /// new content: never a silent stall, never new bytes appended onto old ones.
    /// </summary>
    public class TrackingFileChangeTests
    {
        [Fact]
        public void TruncatedFileRestartsTheBlobWithItsNewContent()
        {
            using var session = ModuleSession.Start();
            var (jobId, container) = NewJob(session, "TrackTrunc");
            var file = session.Folder.WriteRandomFile("stdout.txt", 10_000);
            var tracker = session.StartTracking(file, jobId, "t1", "-FlushInterval 1");
            TrackingTestKit.WaitForBlobLength(tracker, 10_000);

            // As `command > stdout.txt` run again: truncated to 0, then written anew (shorter than before).
            var fresh = TrackingTestKit.Lines(new Random(3), 3_000, "second run ");
            using (var stream = new FileStream(file, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
            {
                stream.SetLength(0);
                stream.Write(fresh, 0, fresh.Length);
            }

            TrackingTestKit.WaitUntil(() => tracker.Long("RestartCount") == 1 && tracker.Long("BlobLength") == 3_000, TimeSpan.FromSeconds(20),
                () => $"RestartCount {tracker.Long("RestartCount")}, BlobLength {tracker.Long("BlobLength")}");
            var stopped = session.StopTracking(tracker).ThrowIfFailed();

            var warning = Assert.Single(stopped.WarningTexts());
            Assert.Contains("was truncated", warning);
            Assert.Contains("started again", warning);
            TrackingTestKit.AssertSameBytes(fresh, TrackingTestKit.BlobBytes(container, "t1/$TaskLog/stdout.txt"), "after truncation");
            Assert.Equal(13_000L, stopped.Output.Single().Long("BytesUploaded"));
        }

        [Fact]
        public void ReplacedFileRestartsTheBlobWithTheNewFile()
        {
            using var session = ModuleSession.Start();
            var (jobId, container) = NewJob(session, "TrackRotate");
            var file = session.Folder.WriteFile("app.log", TrackingTestKit.Lines(new Random(1), 10_000, "old log "));
            var tracker = session.StartTracking(file, jobId, "t1", "-FlushInterval 1");
            TrackingTestKit.WaitForBlobLength(tracker, 10_000);

            // Log rotation: the old file moves away and a new, longer one takes its name. Its length alone would look like growth.
            File.Move(file, file + ".1");
            var replacement = TrackingTestKit.Lines(new Random(2), 20_000, "new log ");
            File.WriteAllBytes(file, replacement);

            TrackingTestKit.WaitUntil(() => tracker.Long("RestartCount") == 1 && tracker.Long("BlobLength") == 20_000, TimeSpan.FromSeconds(20),
                () => $"RestartCount {tracker.Long("RestartCount")}, BlobLength {tracker.Long("BlobLength")}");
            var stopped = session.StopTracking(tracker).ThrowIfFailed();
            Assert.Contains(stopped.WarningTexts(), w => w.Contains("was replaced") && w.Contains("started again"));
            TrackingTestKit.AssertSameBytes(replacement, TrackingTestKit.BlobBytes(container, "t1/$TaskLog/app.log"), "after rotation");
        }

        [Fact]
        public void ReplacementWithTheSameHeaderIsNoticedByItsTail()
        {
            using var session = ModuleSession.Start();
            var (jobId, container) = NewJob(session, "TrackSameHead");
            var header = TrackingTestKit.Lines(new Random(7), 6_000, "=== build log header ===");
            var file = session.Folder.WriteFile("build.log", header.Concat(TrackingTestKit.Lines(new Random(8), 4_000, "run A ")).ToArray());
            var tracker = session.StartTracking(file, jobId, "t1", "-FlushInterval 1");
            TrackingTestKit.WaitForBlobLength(tracker, 10_000);

            // Same first 6,000 bytes, then different content and longer: only the remembered tail tells them apart.
            var second = header.Concat(TrackingTestKit.Lines(new Random(9), 9_000, "run B ")).ToArray();
            File.WriteAllBytes(file + ".new", second);
            File.Move(file + ".new", file, overwrite: true);

            TrackingTestKit.WaitUntil(() => tracker.Long("RestartCount") == 1 && tracker.Long("BlobLength") == second.Length, TimeSpan.FromSeconds(20),
                () => $"RestartCount {tracker.Long("RestartCount")}, BlobLength {tracker.Long("BlobLength")}");
            var stopped = session.StopTracking(tracker).ThrowIfFailed();
            Assert.Contains(stopped.WarningTexts(), w => w.Contains("replaced or rewritten"));
            TrackingTestKit.AssertSameBytes(second, TrackingTestKit.BlobBytes(container, "t1/$TaskLog/build.log"), "after a same-header replacement");
        }

        [Fact]
        public void DeletedFileIsWaitedForAndItsSuccessorTracked()
        {
            using var session = ModuleSession.Start();
            var (jobId, container) = NewJob(session, "TrackDeleted");
            var file = session.Folder.WriteRandomFile("worker.log", 2_000);
            var tracker = session.StartTracking(file, jobId, "t1", "-FlushInterval 1");
            TrackingTestKit.WaitForBlobLength(tracker, 2_000);

            File.Delete(file);
            TrackingTestKit.WaitUntil(() => tracker.Str("State") == "WaitingForFile", TimeSpan.FromSeconds(20), () => tracker.Str("State"));
            Assert.Equal(2_000L, tracker.Long("BlobLength")); // the blob keeps what was sent while the file is gone

            var successor = TrackingTestKit.Lines(new Random(4), 700, "restarted worker ");
            File.WriteAllBytes(file, successor);
            TrackingTestKit.WaitUntil(() => tracker.Long("RestartCount") == 1 && tracker.Long("BlobLength") == 700, TimeSpan.FromSeconds(20),
                () => $"RestartCount {tracker.Long("RestartCount")}, BlobLength {tracker.Long("BlobLength")}");
            var stopped = session.StopTracking(tracker).ThrowIfFailed();
            var warnings = stopped.WarningTexts();
            Assert.Contains(warnings, w => w.Contains("no longer exists"));
            Assert.Contains(warnings, w => w.Contains("was truncated"));
            TrackingTestKit.AssertSameBytes(successor, TrackingTestKit.BlobBytes(container, "t1/$TaskLog/worker.log"), "successor");
        }

        [Fact]
        public void FileThatAppearsLaterIsTrackedFromWhenItAppears()
        {
            using var session = ModuleSession.Start();
            var (jobId, container) = NewJob(session, "TrackLater");
            var file = session.Folder.Combine("later", "app.log"); // not even its folder exists yet
            var tracker = session.StartTracking(file, jobId, "t1", "-FlushInterval 1");
            Assert.Equal("WaitingForFile", tracker.Str("State"));
            Assert.Empty(TrackingTestKit.BlobBytes(container, "t1/$TaskLog/app.log")); // created empty at start

            Directory.CreateDirectory(Path.GetDirectoryName(file));
            TrackingTestKit.Append(file, "application started\n");
            TrackingTestKit.WaitForBlobLength(tracker, 20);
            Assert.Equal("Tracking", tracker.Str("State"));
            TrackingTestKit.Append(file, "application done\n");
            var stopped = session.StopTracking(tracker).ThrowIfFailed();
            Assert.Empty(stopped.Warnings);
            TrackingTestKit.AssertSameBytes(File.ReadAllBytes(file), TrackingTestKit.BlobBytes(container, "t1/$TaskLog/app.log"), "late file");
        }

        [Fact]
        public void LargeFileGoesUpInAppendsOfAtMostFourMiB()
        {
            using var session = ModuleSession.Start();
            var (jobId, container) = NewJob(session, "TrackLarge");
            var file = session.Folder.WriteRandomFile("big.log", 10 * 1024 * 1024 + 5);
            var tracker = session.StartTracking(file, jobId, "t1");
            session.StopTracking(tracker).ThrowIfFailed();
            var properties = TestStorage.Sdk.GetBlobContainerClient(container).GetBlobClient("t1/$TaskLog/big.log").GetProperties().Value;
            Assert.Equal(3, properties.BlobCommittedBlockCount); // 4 MiB + 4 MiB + 2 MiB and 5 bytes
            TrackingTestKit.AssertSameBytes(File.ReadAllBytes(file), TrackingTestKit.BlobBytes(container, "t1/$TaskLog/big.log"), "10 MiB");
            Assert.Equal(1L, tracker.Long("FlushCount"));
        }

        [Fact]
        public void StopWaitsForLateWritesWithinTheGracePeriod()
        {
            using var session = ModuleSession.Start();
            var (jobId, container) = NewJob(session, "TrackGrace");
            var file = session.Folder.WriteFile("stdout.txt", Encoding.UTF8.GetBytes("task output\n"));
            var tracker = session.StartTracking(file, jobId, "t1", "-FlushInterval 60");
            TrackingTestKit.WaitForBlobLength(tracker, 12);

            // As Batch's late copy of stdout.txt: more arrives 0.6 s and 1.2 s after the task (and Stop) began.
            var late = new System.Threading.Thread(() =>
            {
                System.Threading.Thread.Sleep(600);
                TrackingTestKit.Append(file, "late line 1\n");
                System.Threading.Thread.Sleep(600);
                TrackingTestKit.Append(file, "late line 2\n");
            });
            late.Start();
            var clock = System.Diagnostics.Stopwatch.StartNew();
            session.StopTracking(tracker, string.Empty).ThrowIfFailed();
            late.Join();
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3.5), $"Stop took {clock.Elapsed.TotalSeconds:F1} s");
            Assert.Equal("task output\nlate line 1\nlate line 2\n", Encoding.UTF8.GetString(TrackingTestKit.BlobBytes(container, "t1/$TaskLog/stdout.txt")));
        }

        private static (string JobId, string Container) NewJob(ModuleSession session, string stem)
        {
            var jobId = TestStorage.NewJobId(stem);
            return (jobId, session.InitializeJob(jobId));
        }
    }
}
