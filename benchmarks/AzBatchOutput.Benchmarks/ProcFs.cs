using System;
using System.Globalization;
using System.IO;
using System.Runtime.InteropServices;

namespace AzBatchOutput.Benchmarks
{
    /// <summary>Readings from Linux /proc: a process's CPU time and peak memory, the machine's busy time.</summary>
    internal static class ProcFs
    {
        private const int ScClkTck = 2; // _SC_CLK_TCK on Linux
        private const int RusageChildren = -1;
        private const int RusageSelf = 0;

        private static readonly double TicksPerSecond = ReadTicksPerSecond();

        /// <summary>User + system CPU seconds of a live process (all its threads), or null when it is gone.</summary>
        public static double? CpuSeconds(int pid)
        {
            var text = TryRead($"/proc/{pid}/stat");
            if (text == null)
            {
                return null;
            }

            // Fields after "(comm)": state is field 3, utime 14, stime 15.
            var close = text.LastIndexOf(')');
            var fields = text.Substring(close + 2).Split(' ');
            var utime = long.Parse(fields[11], CultureInfo.InvariantCulture);
            var stime = long.Parse(fields[12], CultureInfo.InvariantCulture);
            return (utime + stime) / TicksPerSecond;
        }

        /// <summary>VmHWM (peak resident set) of a live process in bytes, or null.</summary>
        public static long? PeakRssBytes(int pid) => StatusKilobytes(pid, "VmHWM:") * 1024;

        /// <summary>VmRSS (current resident set) of a live process in bytes, or null.</summary>
        public static long? RssBytes(int pid) => StatusKilobytes(pid, "VmRSS:") * 1024;

        /// <summary>CPU seconds of every child this process has waited for (getrusage RUSAGE_CHILDREN).</summary>
        public static double ReapedChildrenCpuSeconds()
        {
            if (getrusage(RusageChildren, out var usage) != 0)
            {
                return double.NaN;
            }

            return usage.UserSeconds + usage.UserMicroseconds / 1e6 + usage.SystemSeconds + usage.SystemMicroseconds / 1e6;
        }

        /// <summary>User + system CPU seconds of this process so far (getrusage RUSAGE_SELF, microsecond resolution).</summary>
        public static double SelfCpuSeconds()
        {
            if (getrusage(RusageSelf, out var usage) != 0)
            {
                return double.NaN;
            }

            return usage.UserSeconds + usage.UserMicroseconds / 1e6 + usage.SystemSeconds + usage.SystemMicroseconds / 1e6;
        }

        /// <summary>The machine's busy and total CPU time in seconds (summed over cores) from /proc/stat.</summary>
        public static (double Busy, double Total, double Interrupts) MachineCpuSeconds()
        {
            var text = TryRead("/proc/stat");
            if (text == null)
            {
                return (double.NaN, double.NaN, double.NaN);
            }

            var line = text.Substring(0, text.IndexOf('\n'));
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // cpu user nice system idle iowait irq softirq steal
            long total = 0;
            for (var i = 1; i <= 8 && i < parts.Length; i++)
            {
                total += long.Parse(parts[i], CultureInfo.InvariantCulture);
            }

            var idle = long.Parse(parts[4], CultureInfo.InvariantCulture) + long.Parse(parts[5], CultureInfo.InvariantCulture);
            var interrupts = long.Parse(parts[6], CultureInfo.InvariantCulture) + long.Parse(parts[7], CultureInfo.InvariantCulture);
            return ((total - idle) / TicksPerSecond, total / TicksPerSecond, interrupts / TicksPerSecond);
        }

        public static long TotalMemoryBytes() => MeminfoKilobytes("MemTotal:") * 1024 ?? 0;

        public static string OsDescription()
        {
            var text = TryRead("/etc/os-release");
            if (text != null)
            {
                foreach (var line in text.Split('\n'))
                {
                    if (line.StartsWith("PRETTY_NAME=", StringComparison.Ordinal))
                    {
                        return line.Substring("PRETTY_NAME=".Length).Trim('"') + ", kernel " + Environment.OSVersion.Version;
                    }
                }
            }

            return RuntimeInformation.OSDescription;
        }

        public static string CpuModel()
        {
            var text = TryRead("/proc/cpuinfo");
            if (text != null)
            {
                foreach (var line in text.Split('\n'))
                {
                    if (line.StartsWith("model name", StringComparison.Ordinal))
                    {
                        return line.Substring(line.IndexOf(':') + 1).Trim();
                    }
                }
            }

            return "unknown";
        }

        private static long? StatusKilobytes(int pid, string key) => Kilobytes(TryRead($"/proc/{pid}/status"), key);

        private static long? MeminfoKilobytes(string key) => Kilobytes(TryRead("/proc/meminfo"), key);

        private static long? Kilobytes(string text, string key)
        {
            if (text == null)
            {
                return null;
            }

            foreach (var line in text.Split('\n'))
            {
                if (line.StartsWith(key, StringComparison.Ordinal))
                {
                    var value = line.Substring(key.Length).Trim();
                    var space = value.IndexOf(' ');
                    return long.Parse(space > 0 ? value.Substring(0, space) : value, CultureInfo.InvariantCulture);
                }
            }

            return null;
        }

        private static string TryRead(string path)
        {
            try
            {
                return File.ReadAllText(path);
            }
            catch (IOException)
            {
                return null;
            }
            catch (UnauthorizedAccessException)
            {
                return null;
            }
        }

        private static double ReadTicksPerSecond()
        {
            try
            {
                var value = sysconf(ScClkTck);
                return value > 0 ? value : 100;
            }
            catch (Exception ex) when (ex is DllNotFoundException || ex is EntryPointNotFoundException)
            {
                return 100;
            }
        }

        [DllImport("libc", SetLastError = true)]
        private static extern long sysconf(int name);

        [DllImport("libc", SetLastError = true)]
        private static extern int getrusage(int who, out RUsage usage);

        [StructLayout(LayoutKind.Sequential)]
        private struct RUsage
        {
            public long UserSeconds;
            public long UserMicroseconds;
            public long SystemSeconds;
            public long SystemMicroseconds;
            public long MaxRss;
            public long IxRss;
            public long IdRss;
            public long IsRss;
            public long MinFlt;
            public long MajFlt;
            public long NSwap;
            public long InBlock;
            public long OuBlock;
            public long MsgSnd;
            public long MsgRcv;
            public long NSignals;
            public long NVCsw;
            public long NIvCsw;
        }
    }
}
