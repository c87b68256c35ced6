using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;

namespace AzBatchOutput.Benchmarks
{
    /// <summary>
    /// The setting "direct, a core each": Azurite held to the first core and the client under test to the second (Linux
    /// CPU affinity, set with util-linux's taskset). With both free to use both cores, every CPU-second a client spends
    /// is one Azurite cannot have, so "straight to Azurite" measures the client's CPU as much as how well it keeps the
    /// server busy. A storage account has CPUs of its own: with a core each, a client's own work no longer slows the
    /// server, and the best plain-SDK client's rate is the ceiling of a server that has one core.
    /// </summary>
    internal static class CoreSplit
    {
        public const string SettingName = "direct, a core each";

        private static readonly Lazy<string> TasksetPath = new Lazy<string>(FindTaskset);

        // The cores this benchmark may use (a container may be given others than 0 and 1): the first for the server, the
        // second for the client, all of them again once the setting is over.
        private static readonly Lazy<(string All, string[] Each)> Allowed = new Lazy<(string, string[])>(ReadAllowedCores);

        private static string ServerCores => Allowed.Value.Each[0];

        private static string ClientCores => Allowed.Value.Each[1];

        /// <summary>Why the setting cannot run here, or null if it can.</summary>
        public static string Unavailable =>
            !OperatingSystem.IsLinux() ? "not Linux"
            : Allowed.Value.Each.Length < 2 ? $"only {Allowed.Value.Each.Length} core allowed"
            : TasksetPath.Value == null ? "no taskset on PATH (Debian package util-linux)"
            : null;

        public static string Describe =>
            $"in the setting \"{SettingName}\", Azurite (every thread of its process) ran on core {ServerCores} only and the client under test " +
            $"(its whole process, started so) on core {ClientCores} only, so the client's CPU does not take the server's";

        /// <summary>Holds every thread of a running process (Azurite) to the server's core, or frees it to all cores.</summary>
        public static void HoldServer(int processId, bool split) =>
            Run("-a", "-c", "-p", split ? ServerCores : Allowed.Value.All, processId.ToString(CultureInfo.InvariantCulture));

        /// <summary>Makes a start of a client run it on the client's core from its first instruction (taskset execs it: same pid).</summary>
        public static void StartOnClientCore(ProcessStartInfo startInfo)
        {
            var arguments = startInfo.ArgumentList.ToList();
            startInfo.ArgumentList.Clear();
            startInfo.ArgumentList.Add("-c");
            startInfo.ArgumentList.Add(ClientCores);
            startInfo.ArgumentList.Add(startInfo.FileName);
            foreach (var argument in arguments)
            {
                startInfo.ArgumentList.Add(argument);
            }

            startInfo.FileName = TasksetPath.Value;
        }

        /// <summary>Cpus_allowed_list of this process, as "0-1" or "2,5,7-8", and each core in it.</summary>
        private static (string All, string[] Each) ReadAllowedCores()
        {
            var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal));
            var list = line?.Substring("Cpus_allowed_list:".Length).Trim() ?? string.Empty;
            var each = list.Split(',', StringSplitOptions.RemoveEmptyEntries).SelectMany(range =>
            {
                var ends = range.Split('-');
                var first = int.Parse(ends[0], CultureInfo.InvariantCulture);
                var last = ends.Length > 1 ? int.Parse(ends[1], CultureInfo.InvariantCulture) : first;
                return Enumerable.Range(first, last - first + 1);
            }).Select(core => core.ToString(CultureInfo.InvariantCulture)).ToArray();
            return (list, each);
        }

        private static void Run(params string[] arguments)
        {
            var (exitCode, _, error) = ToolRun.Run(TasksetPath.Value, arguments);
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"taskset {string.Join(' ', arguments)} failed (exit {exitCode}): {error.Trim()}");
            }
        }

        private static string FindTaskset() =>
            (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator)
                .Where(folder => folder.Length > 0)
                .Select(folder => Path.Combine(folder, "taskset"))
                .FirstOrDefault(File.Exists);
    }
}
