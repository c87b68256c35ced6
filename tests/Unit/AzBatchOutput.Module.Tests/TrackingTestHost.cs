using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using AzBatchOutput.TestSupport;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>
    /// A child "pwsh": tests/Unit/AzBatchOutput.TestHost run as <c>dotnet AzBatchOutput.TestHost.dll -c "&lt;script&gt;"</c>.
    /// The test project does not reference it, so it is found (first match wins):
    /// 1. the AZBATCHOUTPUT_TESTHOST environment variable (the full path of AzBatchOutput.TestHost.dll);
    /// 2. next to the test assembly (if a build copies it there);
    /// 3. tests/Unit/AzBatchOutput.TestHost/bin/{this test assembly's configuration, then Release, Debug}/net10.0/;
    /// 4. else it is built once, with `dotnet build` in this test assembly's configuration, and found as in 3.
    /// </summary>
    public sealed class TestHostProcess : IDisposable
    {
        public const string PathVariable = "AZBATCHOUTPUT_TESTHOST";
        private const string DllName = "AzBatchOutput.TestHost.dll";
        private static readonly Lazy<string> Dll = new Lazy<string>(Locate, LazyThreadSafetyMode.ExecutionAndPublication);

        private readonly StringBuilder _stdout = new StringBuilder();
        private readonly StringBuilder _stderr = new StringBuilder();

        private TestHostProcess(Process process)
        {
            Process = process;
        }

        public Process Process { get; }

        public static string DllPath => Dll.Value;

        public string StandardOutput
        {
            get
            {
                lock (_stdout)
                {
                    return _stdout.ToString();
                }
            }
        }

        public string StandardError
        {
            get
            {
                lock (_stderr)
                {
                    return _stderr.ToString();
                }
            }
        }

        /// <summary>Starts <c>TestHost -NoProfile -c script</c> with these variables added to its environment.</summary>
        public static TestHostProcess Start(string script, IDictionary<string, string> environment = null)
        {
            var start = new ProcessStartInfo(DotnetHost())
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(DllPath);
            start.ArgumentList.Add("-NoProfile");
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(script);
            foreach (var pair in environment ?? new Dictionary<string, string>())
            {
                start.Environment[pair.Key] = pair.Value;
            }

            var process = new Process { StartInfo = start };
            var child = new TestHostProcess(process);
            process.OutputDataReceived += (_, e) => Append(child._stdout, e.Data);
            process.ErrorDataReceived += (_, e) => Append(child._stderr, e.Data);
            process.Start();
            process.StandardInput.Close();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return child;
        }

        /// <summary>Waits for a line of output; fails early when the child exits without it.</summary>
        public void WaitForOutput(string text, TimeSpan timeout)
        {
            var clock = Stopwatch.StartNew();
            while (!StandardOutput.Contains(text, StringComparison.Ordinal))
            {
                if (Process.HasExited || clock.Elapsed > timeout)
                {
                    Thread.Sleep(200); // let the last lines arrive
                    throw new InvalidOperationException(
                        $"The TestHost child did not write '{text}' ({(Process.HasExited ? "exited with " + Process.ExitCode : "timed out")}).\n" +
                        $"stdout:\n{StandardOutput}\nstderr:\n{StandardError}");
                }

                Thread.Sleep(50);
            }
        }

        public int WaitForExit(TimeSpan timeout)
        {
            if (!Process.WaitForExit((int)timeout.TotalMilliseconds))
            {
                Kill();
                throw new TimeoutException($"The TestHost child did not exit within {timeout.TotalSeconds} s.\nstdout:\n{StandardOutput}\nstderr:\n{StandardError}");
            }

            Process.WaitForExit(); // drains the output readers
            return Process.ExitCode;
        }

        public void Kill()
        {
            try
            {
                Process.Kill(entireProcessTree: true);
                Process.WaitForExit(10000);
            }
            catch (InvalidOperationException)
            {
            }
        }

        /// <summary>Sends a POSIX signal (INT, TERM) with kill(1); Unix only.</summary>
        public void Signal(string name)
        {
            if (name == "INT" && SigIntIgnoredHere())
            {
                // A child inherits an ignored SIGINT and cannot un-ignore it: its Ctrl+C handling would never run.
                throw new InvalidOperationException(
                    "SIGINT is ignored in this test process, and so in the child: the tests were started in the background by a " +
                    "non-interactive shell (as `cmd &` does). Run them in the foreground, or under `timeout`, which restores it.");
            }

            using var kill = Process.Start(new ProcessStartInfo("kill", $"-{name} {Process.Id}") { UseShellExecute = false });
            kill.WaitForExit();
        }

        /// <summary>Whether this process ignores SIGINT (signal 2: bit 1 of SigIgn in /proc/self/status).</summary>
        internal static bool SigIntIgnoredHere()
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
            return line != null && (Convert.ToUInt64(line.Substring("SigIgn:".Length).Trim(), 16) & 0x2UL) != 0;
        }

        public void Dispose()
        {
            if (!Process.HasExited)
            {
                Kill();
            }

            Process.Dispose();
        }

        private static void Append(StringBuilder builder, string line)
        {
            if (line == null)
            {
                return;
            }

            lock (builder)
            {
                builder.AppendLine(line);
            }
        }

        private static string DotnetHost()
        {
            var fromCli = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            if (!string.IsNullOrEmpty(fromCli) && File.Exists(fromCli))
            {
                return fromCli;
            }

            var self = Environment.ProcessPath;
            var name = Path.GetFileNameWithoutExtension(self ?? string.Empty);
            return string.Equals(name, "dotnet", StringComparison.OrdinalIgnoreCase) ? self : "dotnet";
        }

        private static string Locate()
        {
            var explicitPath = Environment.GetEnvironmentVariable(PathVariable);
            if (!string.IsNullOrWhiteSpace(explicitPath))
            {
                return File.Exists(explicitPath)
                    ? explicitPath
                    : throw new FileNotFoundException($"{PathVariable} is '{explicitPath}', which does not exist.");
            }

            var beside = Path.Combine(AppContext.BaseDirectory, DllName);
            if (File.Exists(beside) && File.Exists(Path.ChangeExtension(beside, ".runtimeconfig.json")))
            {
                return beside;
            }

            var configuration = OwnConfiguration();
            var found = FindBuilt(configuration);
            if (found != null)
            {
                return found;
            }

            var project = Path.Combine(ProjectFolder(), "AzBatchOutput.TestHost.csproj");
            var build = new ProcessStartInfo(DotnetHost())
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[] { "build", project, "-c", configuration, "-nologo", "-v", "q" })
            {
                build.ArgumentList.Add(argument);
            }

            using (var process = Process.Start(build))
            {
                var output = process.StandardOutput.ReadToEndAsync();
                var errors = process.StandardError.ReadToEndAsync();
                if (!process.WaitForExit(5 * 60 * 1000) || process.ExitCode != 0)
                {
                    throw new InvalidOperationException($"Building {project} failed:\n{output.Result}\n{errors.Result}");
                }
            }

            return FindBuilt(configuration) ?? throw new FileNotFoundException($"Built {project}, but found no {DllName} under its bin folder.");
        }

        private static string FindBuilt(string preferred)
        {
            foreach (var configuration in new[] { preferred, "Release", "Debug" })
            {
                var candidate = Path.Combine(ProjectFolder(), "bin", configuration, "net10.0", DllName);
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            return null;
        }

        private static string ProjectFolder() => Path.Combine(RepoPaths.Root, "tests", "Unit", "AzBatchOutput.TestHost");

        /// <summary>Debug or Release: the folder after "bin" in this test assembly's path.</summary>
        private static string OwnConfiguration()
        {
            var parts = AppContext.BaseDirectory.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);
            var bin = Array.LastIndexOf(parts, "bin");
            return bin >= 0 && bin + 1 < parts.Length ? parts[bin + 1] : "Debug";
        }
    }
}
