using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;

namespace AzBatchOutput.Benchmarks
{
    /// <summary>Runs the AzCopy binary of the npm package @azure-tools/azcopy-linux, its logs and plans under benchmarks/work.</summary>
    internal sealed class AzCopy
    {
        private static readonly Regex Completed = new Regex(@"Number of (?:File )?Transfers Completed:\s*(\d+)", RegexOptions.CultureInvariant);
        private static readonly Regex Failed = new Regex(@"Number of (?:File )?Transfers Failed:\s*(\d+)", RegexOptions.CultureInvariant);
        private static readonly Regex Status = new Regex(@"Final Job Status:\s*(\w+)", RegexOptions.CultureInvariant);

        private readonly string _workFolder;

        public AzCopy(string executable, string workFolder)
        {
            Executable = executable;
            _workFolder = workFolder;
            Directory.CreateDirectory(Path.Combine(workFolder, "logs"));
            Directory.CreateDirectory(Path.Combine(workFolder, "plans"));
            Version = RunForText("--version").Trim();
        }

        public string Executable { get; }

        public string Version { get; }

        public static string Find(string benchmarksFolder)
        {
            var path = Path.Combine(benchmarksFolder, "node_modules", "@azure-tools", "azcopy-linux", "dist", "bin", "azcopy_linux_amd64");
            return File.Exists(path) ? path : null;
        }

        /// <summary>
        /// Runs one copy; wall time from start to exit, CPU time of the process, peak RSS polled every 10 ms. With
        /// <paramref name="onClientCore"/>, held to the client's core (see CoreSplit).
        /// </summary>
        public Run Copy(string source, string destination, bool onClientCore, params string[] extra)
        {
            var arguments = new List<string> { "copy", source, destination };
            arguments.AddRange(extra);
            var startInfo = CreateStartInfo(arguments);
            if (onClientCore)
            {
                CoreSplit.StartOnClientCore(startInfo);
            }

            var output = new List<string>();
            var reapedBefore = ProcFs.ReapedChildrenCpuSeconds();
            var clock = Stopwatch.StartNew();
            using var process = new Process { StartInfo = startInfo };
            process.OutputDataReceived += (_, e) => { if (e.Data != null) { lock (output) { output.Add(e.Data); } } };
            process.ErrorDataReceived += (_, e) => { if (e.Data != null) { lock (output) { output.Add(e.Data); } } };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            long peak = 0;
            double polledCpu = 0;
            while (!process.WaitForExit(10))
            {
                peak = Math.Max(peak, ProcFs.PeakRssBytes(process.Id) ?? 0);
                polledCpu = Math.Max(polledCpu, ProcFs.CpuSeconds(process.Id) ?? 0);
                if (clock.Elapsed > TimeSpan.FromMinutes(30))
                {
                    process.Kill(entireProcessTree: true);
                    throw new TimeoutException("AzCopy ran for more than 30 minutes.");
                }
            }

            process.WaitForExit();
            var seconds = clock.Elapsed.TotalSeconds;
            var reaped = ProcFs.ReapedChildrenCpuSeconds() - reapedBefore;
            string text;
            lock (output)
            {
                text = string.Join("\n", output);
            }

            var run = new Run
            {
                Seconds = seconds,
                ExitCode = process.ExitCode,
                CpuSeconds = double.IsNaN(reaped) || reaped <= 0 ? polledCpu : reaped,
                PeakRssBytes = peak,
                Completed = Completed.Match(text) is { Success: true } c ? long.Parse(c.Groups[1].Value) : -1,
                Failed = Failed.Match(text) is { Success: true } f ? long.Parse(f.Groups[1].Value) : -1,
                FinalStatus = Status.Match(text) is { Success: true } s ? s.Groups[1].Value : "unknown",
                OutputTail = string.Join("\n", text.Split('\n').TakeLast(25)),
            };
            return run;
        }

        private string RunForText(params string[] arguments)
        {
            using var process = Process.Start(CreateStartInfo(arguments));
            var text = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return text;
        }

        private ProcessStartInfo CreateStartInfo(IEnumerable<string> arguments)
        {
            var startInfo = new ProcessStartInfo(Executable)
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = false,
                CreateNoWindow = true,
            };
            foreach (var argument in arguments)
            {
                startInfo.ArgumentList.Add(argument);
            }

            startInfo.Environment["AZCOPY_LOG_LOCATION"] = Path.Combine(_workFolder, "logs");
            startInfo.Environment["AZCOPY_JOB_PLAN_LOCATION"] = Path.Combine(_workFolder, "plans");
            // Loopback only: never let a proxy setting of the environment route AzCopy elsewhere.
            foreach (var name in new[] { "HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy" })
            {
                startInfo.Environment.Remove(name);
            }

            startInfo.Environment["NO_PROXY"] = "127.0.0.1,localhost";
            return startInfo;
        }

        internal sealed class Run
        {
            public double Seconds { get; set; }

            public int ExitCode { get; set; }

            public double CpuSeconds { get; set; }

            public long PeakRssBytes { get; set; }

            public long Completed { get; set; }

            public long Failed { get; set; }

            public string FinalStatus { get; set; }

            public string OutputTail { get; set; }

            public bool Succeeded => ExitCode == 0 && FinalStatus == "Completed";
        }
    }
}
