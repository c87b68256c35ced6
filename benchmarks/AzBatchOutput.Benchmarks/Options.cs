using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;

namespace AzBatchOutput.Benchmarks
{
    /// <summary>Command-line options of the benchmark (parent mode).</summary>
    internal sealed class Options
    {
        public bool Quick { get; private set; }

        /// <summary>The importable module folder to measure (default: out/AzBatchOutput of the repository).</summary>
        public string ModuleFolder { get; private set; }

        /// <summary>Where the Markdown report goes (default: benchmarks/RESULTS.md, or benchmarks/work/ for --module runs).</summary>
        public string ResultsPath { get; private set; }

        public string WorkFolder { get; private set; }

        /// <summary>Where downloads are written (default: a folder in /dev/shm, so another process's disk I/O cannot skew them).</summary>
        public string DownloadFolder { get; private set; }

        public HashSet<char> Cases { get; private set; } = new HashSet<char>("abcdef");

        public TimeSpan Delay { get; private set; } = TimeSpan.FromMilliseconds(10);

        /// <summary>-ThrottleLimit given to the module's cmdlets; 0 leaves the module's default.</summary>
        public int ModuleThrottle { get; private set; }

        public string Label { get; private set; }

        /// <summary>Extra module runs measured beside the module in cases a, b, c and e (A/B in the same run; no targets).</summary>
        public List<(string Label, string Folder, int Throttle, bool IlHost)> Variants { get; } = new List<(string, string, int, bool)>();

        /// <summary>True when the module folder is the repository's own module built by run.sh (not a --module variant).</summary>
        public bool RepoModule { get; private set; }

        public string AzCopyPath { get; private set; }

        /// <summary>A ReadyToRun build of this benchmark (run.sh publishes one): the module's host, and case (f)'s second; null: none.</summary>
        public string ReadyToRunHost { get; private set; }

        /// <summary>--module-il-host: run the module's operations in the IL build too, as before the ReadyToRun host was used for them.</summary>
        public bool ModuleInIlHost { get; private set; }

        /// <summary>
        /// Where the module's operations run: the ReadyToRun build when there is one, because pwsh ships its engine
        /// precompiled; null (this IL build, as `dotnet build` makes a plain SDK program) otherwise or with --module-il-host.
        /// </summary>
        public string ModuleHost => ModuleInIlHost || ReadyToRunHost == null || !File.Exists(ReadyToRunHost) ? null : ReadyToRunHost;

        public string Pwsh { get; private set; }

        // Sizes.
        public int SmallFiles => Quick ? 200 : 2000;

        public int SmallFileBytes => 64 * 1024;

        public long BigFileBytes => Quick ? 64L << 20 : 1L << 30;

        public long TrackedLogBytes => Quick ? 20L * 1000 * 1000 : 200L * 1000 * 1000;

        public int ListTasks => Quick ? 200 : 2000;

        public int ListFilesPerTask => 10;

        public int StartupProcesses => _startupProcesses > 0 ? _startupProcesses : Quick ? 4 : 15;

        private int _startupProcesses;

        public int[] SdkParallelism => new[] { 16, 32, 64 };

        /// <summary>
        /// How many times cases a, b and e run every client, interleaved (each round starting with the next client);
        /// targets compare each client's median run.
        /// Identical runs on 2 shared cores differ by up to ~20%, which alone can put a ratio on either side of a target;
        /// with 3 rounds, the medians of three full runs of the same code still put (a)'s direct ratio at 0.87x, 0.96x and
        /// 1.02x (2026-11-25), so the default is 5.
        /// </summary>
        public int Rounds => _rounds > 0 ? _rounds : Quick ? 1 : 5;

        private int _rounds;

        /// <summary>
        /// How many 64 KiB files each child's untimed warm-up call handles (default 1). One file runs every code path
        /// once; a few hundred also let the JIT promote the hot ones to optimized code before the timed run, which
        /// shows the steady state rather than a fresh session's first command.
        /// </summary>
        public int WarmupFiles { get; private set; } = 1;

        /// <summary>
        /// Repeat each child's warm-up call until one more call makes the runtime compile few new methods (see
        /// ChildOperation.WarmUp): the tiered JIT has then promoted the hot paths, and the timed run measures the
        /// steady state. Off by default: a fresh session's first big command is what a user meets first.
        /// </summary>
        public bool WarmupUntilSteady { get; private set; }

        /// <summary>
        /// Cases a and b also run straight to Azurite with Azurite and the client on a core each (see CoreSplit), where
        /// the machine allows it. On by default: it tells the server's ceiling apart from the client's CPU.
        /// </summary>
        public bool CoreSplitSetting { get; private set; } = true;

        public static void PrintUsage()
        {
            Console.WriteLine(@"AzBatchOutput benchmark: the module vs AzCopy vs the plain Azure SDK on one local Azurite,
straight and through a loopback proxy that delays each request.

Usage: bash benchmarks/run.sh [options]        (builds, installs AzCopy and Azurite, then runs this)
       AzBatchOutput.Benchmarks [options]

  --quick              small sizes (200 files, 64 MiB, 20 MB log, 2,000 outputs, 4 starts): a smoke run
  --cases LIST         which cases to run, e.g. abc or a,e (default abcdef)
  --module DIR         the importable module folder to measure (default out/AzBatchOutput)
  --throttle N         pass -ThrottleLimit N to the module's cmdlets (default: the module's own default)
  --rounds N           cases a, b and e: run every client N times, interleaved, each round starting with
                       the next client; targets use each client's median run (default 5; quick 1)
  --processes N        (f): fresh processes of each kind (default 15; quick 4)
  --warmup-files N     files of 64 KiB in each child's untimed warm-up call (default 1: the timed run is
                       then a fresh session's first big command, JIT compilation included)
  --warmup-until-steady repeat each child's warm-up call (3 to 12 times) until one call JIT-compiles fewer
                       than 100 methods: the timed run then measures the steady state (use with --warmup-files
                       2000 and --cases be; the one-at-a-time loop warms up once)
  --no-core-split      cases a and b: skip the setting ""direct, a core each"" (Azurite held to the first
                       core, the client to the second; on by default where taskset and 2 cores exist)
  --variant LABEL=DIR  also measure this module folder (e.g. a patched build) beside the module, in the
                       same run, in cases a, b, c and e (repeatable; no targets are computed for it)
  --variant-throttle N also measure the module with -ThrottleLimit N beside it (repeatable)
  --variant-il-host    also measure the module in the IL build beside it (the two hosts A/B in one run)
  --delay-ms N         the proxy's added delay per request (default 10)
  --results FILE       where to write the Markdown report (default benchmarks/RESULTS.md; with an option that
                       changes what is measured, such as --module, --throttle, --cases, a --variant or
                       --module-il-host, benchmarks/work/RESULTS-<label>.md unless given)
  --label TEXT         a name for this run in the report
  --work DIR           scratch folder (default benchmarks/work)
  --r2r-host PATH      a ReadyToRun build of the benchmark (run.sh publishes one): the module's runs in every
                       case use it, as pwsh ships its engine precompiled, and (f) times both builds; the
                       plain SDK always runs in this IL build, as `dotnet build` makes an SDK program
  --module-il-host     run the module in the IL build too (its engine JIT-compiled on first use)
  --pwsh PATH          (f) also time this pwsh's `-c` with and without Import-Module (run.sh publishes a
                       ReadyToRun one)
  --download-dir DIR   where downloads are written (default: a folder in /dev/shm, a tmpfs, so that the disk
                       I/O of other work on the machine cannot skew them; they are deleted after each run)
  --azcopy PATH        the AzCopy binary (default: benchmarks/node_modules/@azure-tools/azcopy-linux)
");
        }

        public static Options Parse(string[] args, string repoRoot)
        {
            var options = new Options();
            var benchmarks = Path.Combine(repoRoot, "benchmarks");
            string results = null;
            var custom = false;
            for (var i = 0; i < args.Length; i++)
            {
                string Next()
                {
                    if (i + 1 >= args.Length)
                    {
                        throw new ArgumentException($"{args[i]} needs a value.");
                    }

                    return args[++i];
                }

                switch (args[i])
                {
                    case "--quick":
                        options.Quick = true;
                        break;
                    case "--cases":
                        options.Cases = new HashSet<char>(Next().ToLowerInvariant().Where(char.IsLetter));
                        if (options.Cases.Any(c => c < 'a' || c > 'f'))
                        {
                            throw new ArgumentException("--cases takes letters a to f.");
                        }

                        custom |= options.Cases.Count < 6;
                        break;
                    case "--module":
                        options.ModuleFolder = Path.GetFullPath(Next());
                        custom = true;
                        break;
                    case "--repo-module":
                        // run.sh: the repository's own module, built from src/ into a private folder.
                        options.ModuleFolder = Path.GetFullPath(Next());
                        options.RepoModule = true;
                        break;
                    case "--throttle":
                        options.ModuleThrottle = int.Parse(Next(), CultureInfo.InvariantCulture);
                        custom = true;
                        break;
                    case "--warmup-files":
                        options.WarmupFiles = int.Parse(Next(), CultureInfo.InvariantCulture);
                        if (options.WarmupFiles < 1 || options.WarmupFiles > 5000)
                        {
                            throw new ArgumentException("--warmup-files takes a count from 1 to 5000.");
                        }

                        custom = true;
                        break;
                    case "--warmup-until-steady":
                        options.WarmupUntilSteady = true;
                        custom = true;
                        break;
                    case "--no-core-split":
                        options.CoreSplitSetting = false;
                        custom = true;
                        break;
                    case "--rounds":
                        options._rounds = int.Parse(Next(), CultureInfo.InvariantCulture);
                        if (options._rounds < 1)
                        {
                            throw new ArgumentException("--rounds takes a count of 1 or more.");
                        }

                        break;
                    case "--processes":
                        options._startupProcesses = int.Parse(Next(), CultureInfo.InvariantCulture);
                        break;
                    case "--variant":
                        {
                            var value = Next();
                            var eq = value.IndexOf('=');
                            if (eq <= 0)
                            {
                                throw new ArgumentException("--variant takes LABEL=DIR (a module folder).");
                            }

                            options.Variants.Add((value.Substring(0, eq), Path.GetFullPath(value.Substring(eq + 1)), 0, false));
                            custom = true;
                            break;
                        }

                    case "--variant-throttle":
                        {
                            var n = int.Parse(Next(), CultureInfo.InvariantCulture);
                            options.Variants.Add(($"-ThrottleLimit {n}", null, n, false));
                            custom = true;
                            break;
                        }

                    case "--variant-il-host":
                        options.Variants.Add(("in the IL build", null, 0, true));
                        custom = true;
                        break;

                    case "--delay-ms":
                        options.Delay = TimeSpan.FromMilliseconds(double.Parse(Next(), CultureInfo.InvariantCulture));
                        break;
                    case "--results":
                        results = Path.GetFullPath(Next());
                        break;
                    case "--label":
                        options.Label = Next();
                        break;
                    case "--work":
                        options.WorkFolder = Path.GetFullPath(Next());
                        break;
                    case "--r2r-host":
                        options.ReadyToRunHost = Path.GetFullPath(Next());
                        break;
                    case "--module-il-host":
                        options.ModuleInIlHost = true;
                        custom = true;
                        break;
                    case "--pwsh":
                        options.Pwsh = Path.GetFullPath(Next());
                        break;
                    case "--download-dir":
                        options.DownloadFolder = Path.GetFullPath(Next());
                        break;
                    case "--azcopy":
                        options.AzCopyPath = Path.GetFullPath(Next());
                        break;
                    default:
                        throw new ArgumentException($"Unknown option '{args[i]}'. Run with --help for the options.");
                }
            }

            options.ModuleFolder ??= Path.Combine(repoRoot, "out", "AzBatchOutput");
            options.WorkFolder ??= Path.Combine(benchmarks, "work");
            options.DownloadFolder ??= Directory.Exists("/dev/shm")
                ? Path.Combine("/dev/shm", $"azbatchoutput-bench-{Environment.ProcessId}")
                : Path.Combine(options.WorkFolder, "downloads");
            options.AzCopyPath ??= AzCopy.Find(benchmarks);
            options.Label ??= (options.Quick ? "quick" : "full") +
                              (options.ModuleThrottle > 0 ? $"-throttle{options.ModuleThrottle}" : string.Empty) +
                              (options.WarmupFiles > 1 ? $"-warmup{options.WarmupFiles}" : string.Empty) +
                              (options.WarmupUntilSteady ? "-steady" : string.Empty) +
                              (options.ModuleInIlHost ? "-il-host" : string.Empty) +
                              (custom && options.ModuleFolder != Path.Combine(repoRoot, "out", "AzBatchOutput") ? "-" + new DirectoryInfo(options.ModuleFolder).Parent?.Name : string.Empty);
            options.ResultsPath = results ?? (custom || options.Quick
                ? Path.Combine(options.WorkFolder, $"RESULTS-{Sanitize(options.Label)}.md")
                : Path.Combine(benchmarks, "RESULTS.md"));
            return options;
        }

        private static string Sanitize(string text) => new string(text.Select(c => char.IsLetterOrDigit(c) || c == '-' ? c : '-').ToArray());
    }
}
