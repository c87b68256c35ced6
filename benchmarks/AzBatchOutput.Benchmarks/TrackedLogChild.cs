using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Threading;

namespace AzBatchOutput.Benchmarks
{
    /// <summary>
    /// The child side of case (d), in the module's engine: Start-BatchTaskOutputTracking on an empty log (untimed),
    /// then the log grows step by step to its final size while the tracker flushes every interval.
    ///
    /// Flush time: the tracker waits one interval after a flush ends before the next one starts. So this side appends a
    /// step's bytes right after it sees the previous flush end (the tracker's BlobLength reaching the file's length), and
    /// the next flush's time is (its end - the previous end - the interval), to within the timer's ~1-2 ms. A step whose
    /// bytes were not all written before the next tick is marked invalid.
    /// </summary>
    internal static class TrackedLog
    {
        private static object _tracker;
        private static PropertyInfo _blobLength;

        public static string Setup(ModuleOperation operation)
        {
            var spec = operation.SpecForTracking;
            File.WriteAllBytes(spec.Source, Array.Empty<byte>());
            var interval = double.Parse(spec.Settings["FlushSeconds"], CultureInfo.InvariantCulture);
            var started = operation.Invoke("Start-BatchTaskOutputTracking",
                ("Path", spec.Source), ("JobId", spec.JobId), ("TaskId", spec.TaskId), ("FlushInterval", TimeSpan.FromSeconds(interval)))
                .ThrowIfFailed("Start-BatchTaskOutputTracking");
            _tracker = started.Output.Single().BaseObject;
            _blobLength = _tracker.GetType().GetProperty("BlobLength");
            return null;
        }

        public static ChildResult Run(ModuleOperation operation)
        {
            var spec = operation.SpecForTracking;
            var interval = double.Parse(spec.Settings["FlushSeconds"], CultureInfo.InvariantCulture);
            var steps = spec.Settings["Steps"].Split(',').Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            var result = new ChildResult { Files = 1 };
            var line = Encoding.ASCII.GetBytes("2026-01-01T00:00:00.000Z INFO worker[17] step 0000123: processed 4096 records, 0 errors, checksum 9f86d081884c7d65\n");
            var chunk = new byte[1 << 20];
            for (var i = 0; i < chunk.Length; i++)
            {
                chunk[i] = line[i % line.Length];
            }

            var clock = Stopwatch.StartNew();
            long size = 0;
            double? previousEnd = null;
            using (var log = new FileStream(spec.Source, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, 1 << 16))
            {
                foreach (var delta in steps)
                {
                    var writeStart = clock.Elapsed.TotalSeconds;
                    for (long left = delta; left > 0;)
                    {
                        var n = (int)Math.Min(chunk.Length, left);
                        log.Write(chunk, 0, n);
                        left -= n;
                    }

                    log.Flush(flushToDisk: false);
                    var writeEnd = clock.Elapsed.TotalSeconds;
                    size += delta;
                    var deadline = clock.Elapsed + TimeSpan.FromSeconds(120 + interval);
                    while (BlobLength() < size)
                    {
                        if (clock.Elapsed > deadline)
                        {
                            throw new TimeoutException($"The tracker did not upload the log's first {size:N0} bytes within 120 s of the next flush (it holds {BlobLength():N0}).");
                        }

                        Thread.Sleep(1);
                    }

                    var end = clock.Elapsed.TotalSeconds;
                    if (previousEnd != null)
                    {
                        var flush = end - previousEnd.Value - interval;
                        var valid = writeEnd < previousEnd.Value + interval - 0.02 ? 1 : 0;
                        // [file size after, bytes added, flush seconds, write seconds, valid]
                        result.Series.Add(new[] { size, delta, flush, writeEnd - writeStart, valid });
                    }

                    previousEnd = end;
                }
            }

            var stop = Stopwatch.StartNew();
            var stopped = operation.Invoke("Stop-BatchTaskOutputTracking", ("Tracker", _tracker), ("GracePeriod", TimeSpan.Zero), ("PassThru", true));
            result.Numbers["StopSeconds"] = stop.Elapsed.TotalSeconds;
            result.Errors = stopped.Errors.Count;
            result.FirstError = stopped.Errors.FirstOrDefault();
            result.Numbers["TrackerBytesUploaded"] = Convert.ToDouble(_tracker.GetType().GetProperty("BytesUploaded").GetValue(_tracker), CultureInfo.InvariantCulture);
            result.Numbers["TrackerFlushCount"] = Convert.ToDouble(_tracker.GetType().GetProperty("FlushCount").GetValue(_tracker), CultureInfo.InvariantCulture);
            result.Numbers["TrackerRestartCount"] = Convert.ToDouble(_tracker.GetType().GetProperty("RestartCount").GetValue(_tracker), CultureInfo.InvariantCulture);
            result.Texts["TrackerState"] = _tracker.GetType().GetProperty("State").GetValue(_tracker)?.ToString();
            result.Bytes = size;
            result.Seconds = clock.Elapsed.TotalSeconds;
            return result;
        }

        private static long BlobLength() => (long)_blobLength.GetValue(_tracker);
    }
}
