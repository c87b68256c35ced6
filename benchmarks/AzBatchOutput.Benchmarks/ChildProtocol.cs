using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace AzBatchOutput.Benchmarks
{
    /// <summary>What a child process of the benchmark runs (passed as JSON in an environment variable).</summary>
    internal sealed class ChildSpec
    {
        public string Op { get; set; }

        public string ModuleFolder { get; set; }

        public string ConnectionString { get; set; }

        public string JobId { get; set; }

        public string TaskId { get; set; }

        public string Container { get; set; }

        public string Prefix { get; set; }

        public string Source { get; set; }

        public string Destination { get; set; }

        /// <summary>Module cmdlets: -ThrottleLimit when above 0. Plain SDK: files in flight (1 = one at a time).</summary>
        public int Parallelism { get; set; }

        /// <summary>Extra per-op settings (tracked-log steps and so on).</summary>
        public Dictionary<string, string> Settings { get; set; } = new Dictionary<string, string>();
    }

    /// <summary>What a child reports when its timed operation is done.</summary>
    internal sealed class ChildResult
    {
        public double Seconds { get; set; }

        public long Files { get; set; }

        public long Bytes { get; set; }

        public int Errors { get; set; }

        public string FirstError { get; set; }

        public Dictionary<string, double> Numbers { get; set; } = new Dictionary<string, double>();

        public Dictionary<string, string> Texts { get; set; } = new Dictionary<string, string>();

        public List<double[]> Series { get; set; } = new List<double[]>();
    }

    /// <summary>
    /// The parent's handle on one child process: it waits until the child is set up ("READY"), samples CPU
    /// counters, lets it run ("GO"), samples again when it reports "DONE", reads its peak memory while it is
    /// still alive, then lets it exit. Only the operation itself is timed; start-up is not.
    /// </summary>
    internal sealed class ChildSession : IDisposable
    {
        public const string EnvironmentVariable = "AZBO_BENCH_CHILD";
        public const string Marker = "@@BENCH ";
        private static readonly TimeSpan SetupTimeout = TimeSpan.FromMinutes(3);
        private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(30);

        private readonly Process _process;
        private readonly BlockingCollection<string> _lines = new BlockingCollection<string>();
        private readonly Queue<string> _stderrTail = new Queue<string>();

        private ChildSession(Process process)
        {
            _process = process;
        }

        public int ProcessId => _process.Id;

        public string Op { get; private set; }

        /// <summary>
        /// Starts this benchmark's own executable in child mode, or another build of it (<paramref name="host"/>: an apphost
        /// or a .dll); with <paramref name="onClientCore"/>, held to the client's core (see CoreSplit).
        /// </summary>
        public static ChildSession Start(ChildSpec spec, string host = null, bool onClientCore = false)
        {
            var startInfo = new ProcessStartInfo
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                CreateNoWindow = true,
            };

            var self = Environment.ProcessPath;
            if (host != null)
            {
                if (host.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
                {
                    startInfo.FileName = "dotnet";
                    startInfo.ArgumentList.Add(host);
                }
                else
                {
                    startInfo.FileName = host;
                }
            }
            else if (Path.GetFileNameWithoutExtension(self).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            {
                startInfo.FileName = self;
                startInfo.ArgumentList.Add(Assembly.GetEntryAssembly().Location);
            }
            else
            {
                startInfo.FileName = self;
            }

            startInfo.ArgumentList.Add("--child");
            startInfo.Environment[EnvironmentVariable] = JsonSerializer.Serialize(spec);
            if (onClientCore)
            {
                CoreSplit.StartOnClientCore(startInfo);
            }

            var process = new Process { StartInfo = startInfo };
            var session = new ChildSession(process) { Op = spec.Op };
            process.OutputDataReceived += (_, e) =>
            {
                if (e.Data == null)
                {
                    session._lines.Add(null);
                }
                else if (e.Data.StartsWith(Marker, StringComparison.Ordinal))
                {
                    session._lines.Add(e.Data.Substring(Marker.Length));
                }
            };
            process.ErrorDataReceived += (_, e) =>
            {
                if (e.Data != null)
                {
                    lock (session._stderrTail)
                    {
                        session._stderrTail.Enqueue(e.Data);
                        while (session._stderrTail.Count > 40)
                        {
                            session._stderrTail.Dequeue();
                        }
                    }
                }
            };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return session;
        }

        /// <summary>Waits for "READY"; returns what the child said with it (may be empty).</summary>
        public string WaitReady() => Expect("READY", SetupTimeout);

        public void Go() => Send("GO");

        public ChildResult WaitDone()
        {
            var payload = Expect("DONE", RunTimeout);
            return JsonSerializer.Deserialize<ChildResult>(payload);
        }

        public double? CpuSeconds() => ProcFs.CpuSeconds(_process.Id);

        public long? PeakRssBytes() => ProcFs.PeakRssBytes(_process.Id);

        public void Exit()
        {
            Send("EXIT");
            if (!_process.WaitForExit(60_000))
            {
                throw new TimeoutException($"Benchmark child '{Op}' did not exit.{StderrTail()}");
            }

            _process.WaitForExit();
        }

        public void Dispose()
        {
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(10_000);
                }
            }
            catch (InvalidOperationException)
            {
            }

            _process.Dispose();
            _lines.Dispose();
        }

        private void Send(string line)
        {
            _process.StandardInput.WriteLine(line);
            _process.StandardInput.Flush();
        }

        private string Expect(string word, TimeSpan timeout)
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                var left = timeout - clock.Elapsed;
                if (left <= TimeSpan.Zero || !_lines.TryTake(out var line, left))
                {
                    throw new TimeoutException($"Benchmark child '{Op}' did not say {word} within {timeout.TotalMinutes:0} min.{StderrTail()}");
                }

                if (line == null)
                {
                    _process.WaitForExit();
                    throw new InvalidOperationException($"Benchmark child '{Op}' exited with code {_process.ExitCode} before it said {word}.{StderrTail()}");
                }

                if (line.StartsWith("FAIL ", StringComparison.Ordinal))
                {
                    throw new InvalidOperationException($"Benchmark child '{Op}' failed: {line.Substring(5)}{StderrTail()}");
                }

                if (line == word || line.StartsWith(word + " ", StringComparison.Ordinal))
                {
                    return line.Length > word.Length ? line.Substring(word.Length + 1) : string.Empty;
                }
            }
        }

        private string StderrTail()
        {
            lock (_stderrTail)
            {
                return _stderrTail.Count == 0 ? string.Empty : Environment.NewLine + "child stderr:" + Environment.NewLine + string.Join(Environment.NewLine, _stderrTail);
            }
        }
    }

    /// <summary>The child side of the protocol: set up, say READY, wait for GO, run, say DONE, wait for EXIT.</summary>
    internal static class ChildMain
    {
        public static int Run()
        {
            var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true };
            void Say(string line) => stdout.WriteLine(ChildSession.Marker + line.Replace('\n', ' ').Replace('\r', ' '));

            ChildSpec spec;
            ChildOperation operation;
            try
            {
                spec = JsonSerializer.Deserialize<ChildSpec>(Environment.GetEnvironmentVariable(ChildSession.EnvironmentVariable));
                operation = ChildOperation.Create(spec);
                var info = operation.Setup();
                Say("READY" + (string.IsNullOrEmpty(info) ? string.Empty : " " + info));
            }
            catch (Exception ex)
            {
                Say("FAIL setup: " + ex);
                return 2;
            }

            if (Console.In.ReadLine() != "GO")
            {
                return 3;
            }

            try
            {
                var jitMethods = System.Runtime.JitInfo.GetCompiledMethodCount();
                var jitTime = System.Runtime.JitInfo.GetCompilationTime();
                var clock = Stopwatch.StartNew();
                var result = operation.Run();
                clock.Stop();
                if (result.Seconds <= 0)
                {
                    result.Seconds = clock.Elapsed.TotalSeconds;
                }

                // What the runtime compiled while the operation ran (tier-0 and tier-1 JIT, all threads).
                result.Numbers["JitMethods"] = System.Runtime.JitInfo.GetCompiledMethodCount() - jitMethods;
                result.Numbers["JitSeconds"] = (System.Runtime.JitInfo.GetCompilationTime() - jitTime).TotalSeconds;
                result.Numbers["WarmupCalls"] = operation.WarmupCalls;

                Say("DONE " + JsonSerializer.Serialize(result));
            }
            catch (Exception ex)
            {
                Say("FAIL run: " + ex);
                return 4;
            }

            Console.In.ReadLine(); // EXIT
            operation.Dispose();
            return 0;
        }
    }
}
