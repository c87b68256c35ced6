using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;

namespace AzBatchOutput.Benchmarks
{
    internal sealed partial class Bench
    {
        public string TrackingAvailability { get; private set; }

        public string TrackingNote { get; private set; }

        // ---------------------------------------------------------------- (d) a tracked log that grows to 200 MB

        private void CaseD()
        {
            var probe = RunChild(new Measurement { Case = "d", Operation = "probe", Setting = "-", Client = "Get-Command" }, ModuleSpec("module-commands", _azurite.Port), r =>
            {
                r.Texts.TryGetValue("Commands", out var commands);
                r.Texts.TryGetValue("StartTrackingParameters", out var start);
                r.Texts.TryGetValue("StopTrackingParameters", out var stop);
                TrackingAvailability = start == null
                    ? $"not available: the module has no Start-BatchTaskOutputTracking (Get-Command -Module AzBatchOutput: {commands})"
                    : $"available (Start-BatchTaskOutputTracking parameters: {start}; Stop-BatchTaskOutputTracking: {stop ?? "missing"})";
                TrackingStartParameters = start;
                TrackingStopParameters = stop;
            });
            Measurements.Remove(probe);
            Log($"   Start-BatchTaskOutputTracking: {TrackingAvailability}");
            if (TrackingStartParameters == null)
            {
                Targets.Add(new TargetCheck { Case = "d", What = "tracked log: bytes uploaded / file size", Measured = "not available", Target = "<= 1.01x" });
                Targets.Add(new TargetCheck { Case = "d", What = "tracked log: flush time proportional to bytes added, not file size", Measured = "not available", Target = "flat in file size" });
                return;
            }

            RunTrackedLog();
        }

        /// <summary>
        /// The log grows to its final size in steps of 1, 10 and 40 (MB, full size) at a small, a middle and a large file
        /// size, so flush time can be read against bytes added and against file size separately. The first step only
        /// synchronises with the tracker's interval and is not measured. Bytes on the wire are counted by a forwarder in
        /// front of Azurite: the delay proxy, or for the straight setting a 0 ms forwarder that only counts.
        /// </summary>
        private void RunTrackedLog()
        {
            var scale = _options.TrackedLogBytes / 200_000_000.0;
            long Mb(double mb) => (long)Math.Round(mb * 1_000_000 * scale);
            // [sync] | small file: 1 1 1 10 10 40 | +40 | middle: 1 1 1 10 10 | +40 | large: 1 1 1 10 10 10  (MB at full size)
            var steps = new List<long> { Mb(1) };
            steps.AddRange(new[] { Mb(1), Mb(1), Mb(1), Mb(10), Mb(10), Mb(40) });
            steps.Add(Mb(40));
            steps.AddRange(new[] { Mb(1), Mb(1), Mb(1), Mb(10), Mb(10) });
            steps.Add(Mb(40));
            steps.AddRange(new[] { Mb(1), Mb(1), Mb(1), Mb(10), Mb(10), Mb(10) });
            steps[steps.Count - 1] += _options.TrackedLogBytes - steps.Sum();
            const double flushSeconds = 1;
            var sizeText = $"{_options.TrackedLogBytes / 1e6:0} MB";
            var report = new StringBuilder();
            report.AppendLine($"The log grows to {sizeText} in {steps.Count} steps while Start-BatchTaskOutputTracking -FlushInterval {flushSeconds} tracks it; " +
                              "each step's bytes are written right after the previous flush ended, and its flush time is (its end - the previous end - the interval). " +
                              "Bytes on the wire: every byte of every HTTP request the tracker sent (headers included), counted by the forwarder in front of Azurite " +
                              "(straight: a 0 ms forwarder that only counts).");
            report.AppendLine();

            using var counter = new DelayProxy(_azurite.Port, TimeSpan.Zero);
            var n = 0;
            foreach (var (setting, port) in new[] { (_settings[0].Name, counter.Port), (_settings[1].Name, _settings[1].Port) })
            {
                var forwarder = port == counter.Port ? counter : _proxy;
                var job = $"d-{(n++ == 0 ? "d" : "p")}-track";
                FreshContainer(job);
                var spec = ModuleSpec("module-track", port);
                spec.JobId = job;
                spec.TaskId = TaskId;
                spec.Source = Path.Combine(_options.WorkFolder, "data", $"tracked-{job}.log");
                spec.Settings["FlushSeconds"] = flushSeconds.ToString(CultureInfo.InvariantCulture);
                spec.Settings["Steps"] = string.Join(",", steps.Select(s => s.ToString(CultureInfo.InvariantCulture)));
                var m = new Measurement { Case = "d", Operation = $"tracked log grows to {sizeText}", Setting = setting, Client = ModuleClient, ExpectedFiles = 1 };
                long wireBefore = 0;
                ChildResult child = null;
                Log($"   {m.Setting,-14} {m.Client,-22} ...", newLine: false);
                using (var session = ChildSession.Start(spec))
                {
                    session.WaitReady();
                    wireBefore = forwarder.BytesUp;
                    var before = Sample(session.CpuSeconds);
                    session.Go();
                    child = session.WaitDone();
                    var after = Sample(session.CpuSeconds);
                    m.PeakRssBytes = session.PeakRssBytes() ?? 0;
                    session.Exit();
                    Apply(m, before, after);
                }

                var wire = forwarder.BytesUp - wireBefore;
                m.Seconds = child.Seconds;
                m.Files = child.Files;
                m.Bytes = child.Bytes;
                m.Errors = child.Errors;
                m.Error = child.FirstError;
                foreach (var pair in child.Numbers)
                {
                    m.Numbers[pair.Key] = pair.Value;
                }

                m.Numbers["BytesOnWire"] = wire;
                Measurements.Add(m);
                LogResult(m);
                var blob = CountBlobs(job, "t1/$TaskLog/");
                Verify(m, blob, 1, _options.TrackedLogBytes, "the append blob");
                File.Delete(spec.Source);
                DropContainer(job);

                var samples = child.Series.Where(s => s[4] > 0).ToList();
                report.AppendLine($"**{setting}**: {wire:N0} bytes on the wire for a {m.Bytes:N0}-byte log = **{wire / (double)m.Bytes:0.0000}x**; " +
                                  $"the tracker counts {child.Numbers.GetValueOrDefault("TrackerBytesUploaded"):N0} bytes uploaded in {child.Numbers.GetValueOrDefault("TrackerFlushCount"):0} flushes " +
                                  $"({child.Numbers.GetValueOrDefault("TrackerRestartCount"):0} restarts); Stop-BatchTaskOutputTracking -GracePeriod 0 took {child.Numbers.GetValueOrDefault("StopSeconds") * 1000:0} ms. " +
                                  $"{child.Series.Count - samples.Count} of {child.Series.Count} steps invalid (written after the next tick).");
                report.AppendLine();
                report.AppendLine("| file size after (MB) | bytes added (MB) | flush time ms | ms per MB added |");
                report.AppendLine("|---:|---:|---:|---:|");
                foreach (var s in samples)
                {
                    report.AppendLine($"| {s[0] / 1e6:0.0} | {s[1] / 1e6:0.0} | {s[2] * 1000:0.0} | {s[2] * 1000 / (s[1] / 1e6):0.0} |");
                }

                report.AppendLine();
                Targets.Add(new TargetCheck
                {
                    Case = "d",
                    What = $"tracked log to {sizeText}, {setting}: bytes uploaded / file size",
                    Measured = m.Bytes > 0 ? $"{wire / (double)m.Bytes:0.0000}x ({wire:N0} bytes on the wire, headers included)" : "no bytes",
                    Target = "<= 1.01x",
                    Pass = m.Ok && m.Bytes > 0 && wire <= 1.01 * m.Bytes,
                });

                // Same bytes added at a small and at a large file size: the flush should take as long.
                double MedianAt(long delta, Func<double, bool> where) =>
                    Stats.Median(samples.Where(s => (long)s[1] == delta && where(s[0])).Select(s => s[2]));
                var small1 = MedianAt(Mb(1), size => size < _options.TrackedLogBytes * 0.2);
                var large1 = MedianAt(Mb(1), size => size > _options.TrackedLogBytes * 0.8);
                var small10 = MedianAt(Mb(10), size => size < _options.TrackedLogBytes * 0.2);
                var large10 = MedianAt(Mb(10), size => size > _options.TrackedLogBytes * 0.8);
                var big40 = Stats.Median(samples.Where(s => (long)s[1] == Mb(40)).Select(s => s[2]));
                var flat = Within(large1, small1) && Within(large10, small10);
                var proportional = big40 > small10 && small10 > small1;
                Targets.Add(new TargetCheck
                {
                    Case = "d",
                    What = $"tracked log to {sizeText}, {setting}: flush time grows with bytes added, not with file size",
                    Measured = $"+{Mb(1) / 1e6:0.#} MB: {small1 * 1000:0} ms at a small file, {large1 * 1000:0} ms at {_options.TrackedLogBytes / 1e6 * 0.85:0}+ MB; " +
                               $"+{Mb(10) / 1e6:0.#} MB: {small10 * 1000:0} / {large10 * 1000:0} ms; +{Mb(40) / 1e6:0.#} MB: {big40 * 1000:0} ms",
                    Target = "same bytes added: within 1.5x (or 25 ms) at any file size; more bytes: longer",
                    Pass = m.Ok && !double.IsNaN(small1) && !double.IsNaN(large1) ? flat && proportional : (bool?)null,
                });
            }

            TrackingNote = report.ToString();

            static bool Within(double large, double small) => !double.IsNaN(large) && !double.IsNaN(small) && (large <= small * 1.5 || large - small <= 0.025);
        }

        private string TrackingStartParameters { get; set; }

        private string TrackingStopParameters { get; set; }
    }
}
