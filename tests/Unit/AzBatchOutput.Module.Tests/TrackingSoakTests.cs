using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Threading;
using AzBatchOutput.Module.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>
    /// A log written for 20 seconds in bursts of random sizes (1 byte to 64 KiB) and random pauses, tracked every second:
    /// at every sample the blob is a prefix of the file, at the end the two are identical, and no byte went up twice.
    /// </summary>
    public class TrackingSoakTests
    {
        private static readonly TimeSpan WriteFor = TimeSpan.FromSeconds(20);
        private readonly ITestOutputHelper _output;

        public TrackingSoakTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Fact]
        public void RandomWriterIsMirroredExactlyWithoutDuplicates()
        {
            const int seed = 20240611;
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("TrackSoak");
            var container = session.InitializeJob(jobId);
            var file = session.Folder.Combine("app.log");
            const string blobName = "soak/$TaskLog/app.log";

            // Tracking starts before the file exists, as for an application log that appears later.
            var tracker = session.StartTracking(file, jobId, "soak", "-FlushInterval 1");
            Assert.Equal("WaitingForFile", tracker.Str("State"));

            var writes = new List<(TimeSpan At, long Length)>();
            var clock = Stopwatch.StartNew();
            Exception writerFailure = null;
            var writer = new Thread(() =>
            {
                try
                {
                    var random = new Random(seed);
                    using var stream = new FileStream(file, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
                    while (clock.Elapsed < WriteFor)
                    {
                        // Mostly small lines, some large bursts: 1 byte to 64 KiB.
                        var size = random.Next(4) == 0 ? random.Next(1, 65537) : random.Next(1, 2049);
                        var line = TrackingTestKit.Lines(random, size);
                        stream.Write(line, 0, line.Length);
                        stream.Flush();
                        lock (writes)
                        {
                            writes.Add((clock.Elapsed, stream.Length));
                        }

                        var pause = random.Next(5);
                        Thread.Sleep(pause == 0 ? 0 : pause == 1 ? random.Next(200, 900) : random.Next(1, 60));
                    }
                }
                catch (Exception ex)
                {
                    writerFailure = ex;
                }
            }) { IsBackground = true, Name = "soak writer" };
            writer.Start();

            var samples = 0;
            var maxLag = TimeSpan.Zero;
            long maxLagBytes = 0;
            while (writer.IsAlive)
            {
                Thread.Sleep(600);
                var blob = TrackingTestKit.BlobBytes(container, blobName) ?? Array.Empty<byte>();
                var at = clock.Elapsed;
                var fileNow = File.Exists(file) ? TrackingTestKit.ReadShared(file) : Array.Empty<byte>();
                TrackingTestKit.AssertPrefix(blob, fileNow, $"sample {samples} at {at.TotalSeconds:F1} s");
                samples++;

                // Lag: how long ago the oldest byte not yet in the blob was written (0 when the blob is complete).
                lock (writes)
                {
                    var firstMissing = writes.FirstOrDefault(w => w.Length > blob.Length);
                    if (firstMissing.Length > 0 && firstMissing.At <= at)
                    {
                        var lag = at - firstMissing.At;
                        var writtenBy = writes.Where(w => w.At <= at).Max(w => w.Length);
                        maxLag = lag > maxLag ? lag : maxLag;
                        maxLagBytes = Math.Max(maxLagBytes, writtenBy - blob.Length);
                    }
                }
            }

            writer.Join();
            Assert.Null(writerFailure);
            var stop = Stopwatch.StartNew();
            var stopped = session.StopTracking(tracker, string.Empty).ThrowIfFailed();
            var stopTime = stop.Elapsed;
            var final = stopped.Output.Single();
            Assert.Empty(stopped.Warnings);

            var fileBytes = File.ReadAllBytes(file);
            var blobBytes = TrackingTestKit.BlobBytes(container, blobName);
            TrackingTestKit.AssertSameBytes(fileBytes, blobBytes, "after Stop");
            var uploaded = final.Long("BytesUploaded");
            var flushes = final.Long("FlushCount");
            _output.WriteLine($"writer: {writes.Count} writes, seed {seed}, {WriteFor.TotalSeconds:F0} s; file {fileBytes.Length:N0} bytes");
            _output.WriteLine($"tracker: BytesUploaded {uploaded:N0} ({(double)uploaded / fileBytes.Length:P2} of the file), blob length {blobBytes.Length:N0}, " +
                              $"FlushCount {flushes}, FailedFlushCount {final.Long("FailedFlushCount")}, RestartCount {final.Long("RestartCount")}");
            _output.WriteLine($"samples: {samples}, every blob a prefix of the file; max lag {maxLag.TotalSeconds:F2} s ({maxLagBytes:N0} bytes behind); " +
                              $"Stop (default grace) took {stopTime.TotalSeconds:F2} s");

            Assert.Equal("Stopped", final.Str("State"));
            Assert.Equal(fileBytes.Length, final.Long("BlobLength"));
            Assert.True(uploaded <= fileBytes.Length, $"{uploaded} bytes were uploaded for a {fileBytes.Length}-byte file");
            Assert.True(blobBytes.Length <= fileBytes.Length);
            Assert.Equal(0L, final.Long("RestartCount"));
            Assert.True(flushes >= 10, $"only {flushes} flushes in {WriteFor.TotalSeconds} s at a 1 s interval");
            Assert.True(samples >= 15, $"only {samples} samples");
            Assert.True(maxLag < TimeSpan.FromSeconds(5), $"the blob lagged {maxLag.TotalSeconds:F1} s behind the file at a 1 s interval");
        }
    }
}
