using System;
using System.Collections.Generic;

namespace AzBatchOutput.Benchmarks
{
    /// <summary>One timed run of one client in one setting, with what each process spent meanwhile.</summary>
    internal sealed class Measurement
    {
        public string Case { get; set; }

        public string Operation { get; set; }

        public string Setting { get; set; }

        public string Client { get; set; }

        /// <summary>Which of the case's rounds this run was (1-based), and how many there were.</summary>
        public int Round { get; set; } = 1;

        public int Rounds { get; set; } = 1;

        /// <summary>The client as a table shows it: with the round when a case ran several.</summary>
        public string ClientLabel => Rounds > 1 ? $"{Client} ({Round}/{Rounds})" : Client;

        public double Seconds { get; set; }

        public long Files { get; set; }

        public long Bytes { get; set; }

        public long ExpectedFiles { get; set; }

        public int Errors { get; set; }

        public string Error { get; set; }

        /// <summary>CPU seconds Azurite (node) spent during the run.</summary>
        public double AzuriteCpu { get; set; }

        /// <summary>CPU seconds the client process spent during the run.</summary>
        public double ClientCpu { get; set; }

        /// <summary>CPU seconds the benchmark's own process spent (the delay proxy, when used).</summary>
        public double BenchCpu { get; set; }

        /// <summary>CPU seconds the whole machine was busy (all cores).</summary>
        public double MachineBusy { get; set; }

        public long PeakRssBytes { get; set; }

        /// <summary>CPU seconds of every other process on the machine during the run (noise: builds, tests).</summary>
        public double OtherCpu => Math.Max(0, MachineBusy - InterruptCpu - AzuriteCpu - ClientCpu - BenchCpu);

        /// <summary>CPU seconds the kernel spent in interrupts and softirqs (loopback TCP is processed there), machine-wide.</summary>
        public double InterruptCpu { get; set; }

        public double OtherShare => Seconds > 0 ? OtherCpu / Seconds : 0;

        public Dictionary<string, double> Numbers { get; } = new Dictionary<string, double>();

        /// <summary>Methods the client's runtime JIT-compiled during the timed run and the JIT's time ("-" for AzCopy).</summary>
        public string JitSummary()
        {
            if (!Numbers.TryGetValue("JitMethods", out var methods))
            {
                return "-";
            }

            var warmups = Numbers.TryGetValue("WarmupCalls", out var calls) && calls > 1 ? $", after {calls:0} warm-up calls" : string.Empty;
            return $"{methods:N0} ({Numbers.GetValueOrDefault("JitSeconds"):0.00} s{warmups})";
        }

        public bool Ok => Errors == 0 && (ExpectedFiles <= 0 || Files == ExpectedFiles);

        public double MiBPerSecond => Seconds > 0 ? Bytes / 1048576.0 / Seconds : 0;

        public double FilesPerSecond => Seconds > 0 ? Files / Seconds : 0;

        public double AzuriteShare => Seconds > 0 ? AzuriteCpu / Seconds : 0;

        public double ClientShare => Seconds > 0 ? ClientCpu / Seconds : 0;

        public double MachineShare => Seconds > 0 ? MachineBusy / (Environment.ProcessorCount * Seconds) : 0;

        /// <summary>A one-line diagnosis from the CPU figures: who was the limit during this run.</summary>
        public string Bottleneck()
        {
            if (!Ok)
            {
                return "failed";
            }

            if (OtherShare >= 0.25)
            {
                return $"disturbed: other processes took {OtherShare:P0} of a core";
            }

            if (AzuriteShare >= 0.85)
            {
                return $"Azurite: its one JS thread was busy {AzuriteShare:P0} of the time";
            }

            var machine = Seconds > 0 ? MachineBusy / Seconds : 0;
            if (MachineShare >= 0.9)
            {
                return $"CPU: both cores busy ({machine:P0} of {Environment.ProcessorCount * 100} %; client {ClientShare:P0}, Azurite {AzuriteShare:P0})";
            }

            if (ClientShare >= 0.9)
            {
                return $"the client: its process was busy {ClientShare:P0} (of one core)";
            }

            if (Setting != null && Setting.StartsWith("proxy", StringComparison.Ordinal))
            {
                return $"latency: too few requests in flight to hide the delay (machine {machine:P0} of {Environment.ProcessorCount * 100} % busy)";
            }

            return $"neither CPU saturated (machine {machine:P0} of {Environment.ProcessorCount * 100} %, Azurite {AzuriteShare:P0}, client {ClientShare:P0}): waits between requests";
        }
    }

    /// <summary>A target from the brief, measured: PASS or MISS.</summary>
    internal sealed class TargetCheck
    {
        public string Case { get; set; }

        public string What { get; set; }

        public string Measured { get; set; }

        public string Target { get; set; }

        /// <summary>True = PASS, false = MISS, null = not measured.</summary>
        public bool? Pass { get; set; }

        /// <summary>Shown beside the row that judges the target, for what it explains; it has no verdict of its own.</summary>
        public bool ForReference { get; set; }

        public string Verdict => ForReference ? "for reference" : Pass == null ? "n/a" : Pass.Value ? "PASS" : "MISS";
    }
}
