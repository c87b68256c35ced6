using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Sas;
using AzBatchOutput.TestSupport;

namespace AzBatchOutput.Benchmarks
{
    /// <summary>
    /// Runs every case against one Azurite (a fresh one for each case, and for each run of case (a)), each client in each setting (straight, and
    /// through the delay proxy), and collects the measurements, target checks and notes for the report.
    /// </summary>
    internal sealed partial class Bench : IDisposable
    {
        private const string TaskId = "t1";
        private const string OutputPrefix = "t1/$TaskOutput/";
        private const string WarmupJob = "warmup";
        private string _warmupSource;
        private string _module;
        private bool _keepAccessLog;

        private readonly Options _options;
        private readonly string _repoRoot;
        private AzuriteServer _azurite;
        private DelayProxy _proxy;
        private BlobServiceClient _admin;
        private AzCopy _azcopy;
        private (string Name, int Port)[] _settings;

        public Bench(Options options, string repoRoot)
        {
            _options = options;
            _repoRoot = repoRoot;
        }

        public List<Measurement> Measurements { get; } = new List<Measurement>();

        public List<TargetCheck> Targets { get; } = new List<TargetCheck>();

        public List<string> Notes { get; } = new List<string>();

        public List<(string Name, string Value)> Machine { get; } = new List<(string, string)>();

        public Dictionary<char, string> CaseErrors { get; } = new Dictionary<char, string>();

        public TimeSpan Elapsed { get; private set; }

        /// <summary>What the delay proxy measurably added to a round trip, once for each Azurite started.</summary>
        public List<double> ProxyAddedMilliseconds { get; } = new List<double>();

        public void Dispose()
        {
            StopAzurite();
            if (_options.DownloadFolder.StartsWith("/dev/shm/", StringComparison.Ordinal))
            {
                DataSets.DeleteFolder(_options.DownloadFolder);
            }
        }

        public void Run()
        {
            var total = Stopwatch.StartNew();
            Prepare();
            // (e) runs before (c) and (d), as it has since runs on one Azurite for every case stalled there: Azurite's sweep of
            // what (c) and (d) deleted blocked its requests (see StartAzurite). Each case now has a fresh Azurite.
            var cases = new (char Id, string Title, Action Body)[]
            {
                ('a', "save 2,000 x 64 KiB", CaseA),
                ('b', "download them back", CaseB),
                ('e', "list outputs of every task", CaseE),
                ('c', "one big file up and down", CaseC),
                ('d', "tracked log", CaseD),
                ('f', "Import-Module cost", CaseF),
            };
            foreach (var (id, title, body) in cases)
            {
                if (!_options.Cases.Contains(id))
                {
                    continue;
                }

                Log($"== ({id}) {title}");
                try
                {
                    StartAzurite();
                    body();
                }
                catch (Exception ex)
                {
                    CaseErrors[id] = ex.GetType().Name + ": " + ex.Message;
                    Log($"   case ({id}) failed: {ex}");
                }
                finally
                {
                    StopAzurite();
                }
            }

            Elapsed = total.Elapsed;
        }

        private void Prepare()
        {
            var manifest = Path.Combine(_options.ModuleFolder, "AzBatchOutput.psd1");
            if (!File.Exists(manifest))
            {
                throw new InvalidOperationException($"No module to measure: {manifest} does not exist. Build it (bash benchmarks/run.sh does) or pass --module.");
            }

            if (_options.AzCopyPath == null || !File.Exists(_options.AzCopyPath))
            {
                throw new InvalidOperationException("AzCopy is not installed: run `npm ci` in benchmarks/ (bash benchmarks/run.sh does) or pass --azcopy.");
            }

            Directory.CreateDirectory(_options.WorkFolder);

            // Measure a private copy: another build may rewrite out/AzBatchOutput while this runs.
            _module = Path.Combine(_options.WorkFolder, "module", "AzBatchOutput");
            DataSets.DeleteFolder(_module);
            CopyFolder(_options.ModuleFolder, _module);
            _azcopy = new AzCopy(_options.AzCopyPath, Path.Combine(_options.WorkFolder, "azcopy"));

            // AZBO_BENCH_AZURITE_LOG=1 (a diagnosis aid, off by default): keep Azurite's access log, one line a request,
            // copied to benchmarks/work/azurite-access.log at the end.
            _keepAccessLog = Environment.GetEnvironmentVariable("AZBO_BENCH_AZURITE_LOG") == "1";
            if (_keepAccessLog)
            {
                File.Delete(AccessLogPath);
            }

            PrepareWarmupSource();
            DescribeMachine();
        }

        private string AccessLogPath => Path.Combine(_options.WorkFolder, "azurite-access.log");

        /// <summary>
        /// A fresh, empty Azurite (and delay proxy) for each case. Azurite frees deleted blobs only in a periodic sweep,
        /// which blocks every request for minutes once a run has deleted tens of thousands of blobs (see
        /// azurite-gc-deferral.js); in a fresh process there is nothing to sweep, and every client of a case, and so
        /// every ratio, still meets the same Azurite.
        /// </summary>
        private void StartAzurite(bool announce = true)
        {
            if (announce)
            {
                Log("   starting a fresh Azurite (in memory, silent) ...");
            }

            var options = new AzuriteOptions { Silent = !_keepAccessLog, StartTimeout = TimeSpan.FromSeconds(60) };
            options.Preloads.Add(Path.Combine(_repoRoot, "benchmarks", "azurite-gc-deferral.js"));
            _azurite = AzuriteServer.Start(options);
            _admin = new BlobServiceClient(_azurite.ConnectionString);
            _proxy = new DelayProxy(_azurite.Port, _options.Delay);
            _settings = new[] { ("direct", _azurite.Port), ($"proxy {_options.Delay.TotalMilliseconds:0} ms", _proxy.Port) };
            var added = ProbeAddedLatency();
            ProxyAddedMilliseconds.Add(added);
            if (announce)
            {
                Log($"   {_azurite}; delay proxy on 127.0.0.1:{_proxy.Port}");
                Log($"   proxy adds {added:0.0} ms per request round trip (median of 40, measured)");
            }

            WarmupAzurite(announce);
        }

        /// <summary>
        /// A fresh Azurite (warmed up, with its delay proxy) for one run of case (a); returns the port of the setting.
        /// Saved blobs stay in Azurite's memory until its process ends (its sweep of deleted blobs is deferred, see
        /// StartAzurite), so with one Azurite for the case a client's place in the order decided how full a server it met
        /// (about 9 GB by round 5; benchmarks/README.md has the figures).
        /// </summary>
        private int FreshAzuriteFor(string tag)
        {
            StopAzurite();
            StartAzurite(announce: false);
            HoldAzurite(tag);
            return tag == "p" ? _settings[1].Port : _settings[0].Port;
        }

        /// <summary>Whether cases a and b run the setting "direct, a core each" (see CoreSplit).</summary>
        private bool CoreSplitRuns => _options.CoreSplitSetting && CoreSplit.Unavailable == null;

        /// <summary>Holds Azurite to the server's core for the setting tagged "s", and frees it for any other.</summary>
        private void HoldAzurite(string tag)
        {
            if (CoreSplitRuns)
            {
                CoreSplit.HoldServer(_azurite.ProcessId, split: tag == "s");
            }
        }

        private static bool OnClientCore(Measurement m) => m.Setting == CoreSplit.SettingName;

        private void StopAzurite()
        {
            if (_keepAccessLog && _azurite != null)
            {
                File.AppendAllText(AccessLogPath, _azurite.ReadLog());
            }

            _proxy?.Dispose();
            _proxy = null;
            _azurite?.Dispose();
            _azurite = null;
        }

        private void DescribeMachine()
        {
            Machine.Add(("CPU", $"{Environment.ProcessorCount} logical cores, {ProcFs.CpuModel()}"));
            Machine.Add(("Memory", $"{ProcFs.TotalMemoryBytes() / (1024.0 * 1024 * 1024):0.0} GiB"));
            Machine.Add(("OS", ProcFs.OsDescription()));
            Machine.Add((".NET", System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription));
            Machine.Add(("PowerShell engine", "System.Management.Automation " + typeof(System.Management.Automation.PSObject).Assembly.GetName().Version + (_options.ModuleHost != null
                ? "; the module ran in a ReadyToRun build of this benchmark (engine and framework precompiled, as pwsh ships them; the module and its Azure SDK as IL, as the module ships them), the plain SDK in its IL build (as `dotnet build` makes an SDK program)"
                : "; the module and the plain SDK both ran in this benchmark's IL build (PowerShell's engine JIT-compiled on first use, unlike pwsh's)")));
            Machine.Add(("Plain SDK", "Azure.Storage.Blobs " + typeof(BlobClient).Assembly.GetName().Version + " (default options)"));
            Machine.Add(("Azurite", "azurite " + ReadNpmVersion(Path.Combine(RepoPaths.AzuriteToolFolder, "node_modules", "azurite", "package.json")) +
                                    " on node " + RunForText("node", "--version").Trim() + " (--inMemoryPersistence --silent --loose --skipApiVersionCheck); " +
                                    "a fresh one for each case and for each run of case (a), its sweep of deleted blobs deferred (benchmarks/azurite-gc-deferral.js)"));
            Machine.Add(("AzCopy", _azcopy.Version + " (npm @azure-tools/azcopy-linux " +
                                   ReadNpmVersion(Path.Combine(_repoRoot, "benchmarks", "node_modules", "@azure-tools", "azcopy-linux", "package.json")) + ", default settings)"));
            Machine.Add(("Module", _options.ModuleFolder + ModuleVersionNote() + ", imported from a copy made at start (benchmarks/work/module/AzBatchOutput)"));
            if (CoreSplitRuns && (_options.Cases.Contains('a') || _options.Cases.Contains('b')))
            {
                Machine.Add(("Cores", "cases a and b: " + CoreSplit.Describe + " (taskset); in the other settings every process could use every core"));
            }
            else if (_options.CoreSplitSetting && (_options.Cases.Contains('a') || _options.Cases.Contains('b')))
            {
                Machine.Add(("Cores", $"the setting \"{CoreSplit.SettingName}\" did not run: {CoreSplit.Unavailable}"));
            }

            Machine.Add(("Downloads", $"written to {_options.DownloadFolder}{(_options.DownloadFolder.StartsWith("/dev/shm/", StringComparison.Ordinal) ? " (tmpfs: no disk I/O, so other work's disk traffic cannot skew them)" : string.Empty)}; inputs read from benchmarks/work/data (in the page cache)"));
        }

        /// <summary>Added when the report is written, once every case's proxy has been measured.</summary>
        public (string Name, string Value) DescribeProxy() =>
            ("Proxy", $"TCP delay line on 127.0.0.1: each byte from a client reaches Azurite {_options.Delay.TotalMilliseconds:0} ms later; measured " +
                      (ProxyAddedMilliseconds.Count == 0 ? "in no case" : ProxyAddedMilliseconds.Count == 1
                          ? $"+{ProxyAddedMilliseconds[0]:0.0} ms per round trip"
                          : $"+{ProxyAddedMilliseconds.Min():0.0} to +{ProxyAddedMilliseconds.Max():0.0} ms per round trip (each case's Azurite)"));

        private string ModuleVersionNote()
        {
            var head = RunForText("git", "-C", _repoRoot, "rev-parse", "--short", "HEAD").Trim();
            var dirty = RunForText("git", "-C", _repoRoot, "status", "--porcelain", "--", "src").Trim();
            var dll = Path.Combine(_options.ModuleFolder, "AzBatchOutput.dll");
            var built = File.Exists(dll) ? File.GetLastWriteTimeUtc(dll).ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) : "?";
            var help = File.Exists(Path.Combine(_options.ModuleFolder, "en-US", "AzBatchOutput.dll-Help.xml")) ? string.Empty : ", without generated help";
            var debug = IsDebugBuild(dll) ? ", DEBUG build" : string.Empty;
            return $" (built {built}{debug}{help}; repository at {head}{(dirty.Length > 0 ? ", src/ with uncommitted changes" : string.Empty)})";
        }

        /// <summary>True when the assembly was compiled without optimisations (DebuggableAttribute with DisableOptimizations).</summary>
        private static bool IsDebugBuild(string path)
        {
            try
            {
                using var stream = File.OpenRead(path);
                using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
                var reader = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
                foreach (var handle in reader.GetAssemblyDefinition().GetCustomAttributes())
                {
                    var attribute = reader.GetCustomAttribute(handle);
                    if (attribute.Constructor.Kind != System.Reflection.Metadata.HandleKind.MemberReference)
                    {
                        continue;
                    }

                    var member = reader.GetMemberReference((System.Reflection.Metadata.MemberReferenceHandle)attribute.Constructor);
                    if (member.Parent.Kind != System.Reflection.Metadata.HandleKind.TypeReference ||
                        reader.GetString(reader.GetTypeReference((System.Reflection.Metadata.TypeReferenceHandle)member.Parent).Name) != "DebuggableAttribute")
                    {
                        continue;
                    }

                    // DebuggingModes argument: DisableOptimizations = 256.
                    var blob = reader.GetBlobReader(attribute.Value);
                    blob.ReadUInt16(); // prolog
                    var modes = blob.ReadInt32();
                    return (modes & 256) != 0;
                }
            }
            catch (Exception ex) when (ex is IOException || ex is BadImageFormatException || ex is InvalidOperationException)
            {
            }

            return false;
        }

        /// <summary>Median round trip of a tiny request straight vs through the proxy, on kept-alive connections.</summary>
        private double ProbeAddedLatency()
        {
            double Median(int port)
            {
                using var client = new HttpClient();
                var uri = new Uri($"http://127.0.0.1:{port}/devstoreaccount1?comp=list");
                var samples = new List<double>();
                for (var i = 0; i < 45; i++)
                {
                    var clock = Stopwatch.StartNew();
                    using (var response = client.GetAsync(uri).GetAwaiter().GetResult())
                    {
                        response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
                    }

                    if (i >= 5)
                    {
                        samples.Add(clock.Elapsed.TotalMilliseconds);
                    }
                }

                return Stats.Median(samples);
            }

            return Median(_proxy.Port) - Median(_azurite.Port);
        }

        /// <summary>Untimed: wakes Azurite's JIT and the disk cache so the first timed case is not the one that pays.</summary>
        private void WarmupAzurite(bool announce)
        {
            if (announce)
            {
                Log("   warming up Azurite ...");
            }

            var container = _admin.GetBlobContainerClient("warmup");
            container.CreateIfNotExists();
            var payload = BinaryData.FromBytes(new byte[64 * 1024]);
            Parallel.For(0, 600, new ParallelOptions { MaxDegreeOfParallelism = 16 }, i =>
            {
                var blob = container.GetBlobClient($"w/{i}");
                blob.Upload(payload, overwrite: true);
                blob.DownloadContent();
            });
            var count = container.GetBlobs(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, null, CancellationToken.None).Count();
            container.Delete();
            if (announce)
            {
                Log($"   {count} blobs up, down and listed");
            }

            var warm = FreshContainer(WarmupJob);
            foreach (var file in Directory.GetFiles(_warmupSource))
            {
                warm.GetBlobClient("w/$TaskOutput/" + Path.GetFileName(file)).Upload(file, overwrite: true);
            }
        }

        private void PrepareWarmupSource()
        {
            // Every child warms up on this job first (untimed), with one call of the kind it then times, on
            // --warmup-files files of 64 KiB (default 1: the first use of each code path is not timed, its tiering is).
            _warmupSource = Path.Combine(_options.WorkFolder, "data", $"warm-{_options.WarmupFiles}");
            if (Directory.Exists(_warmupSource))
            {
                Directory.Delete(_warmupSource, recursive: true);
            }

            Directory.CreateDirectory(_warmupSource);
            for (var i = 0; i < _options.WarmupFiles; i++)
            {
                File.WriteAllBytes(Path.Combine(_warmupSource, i == 0 ? "warm.bin" : $"warm{i}.bin"), new byte[64 * 1024]);
            }
        }

        // ---------------------------------------------------------------- helpers used by the cases

        private string ConnectionString(int port) =>
            $"DefaultEndpointsProtocol=http;AccountName={AzuriteServer.WellKnownAccountName};AccountKey={AzuriteServer.WellKnownAccountKey};" +
            $"BlobEndpoint=http://127.0.0.1:{port}/{AzuriteServer.WellKnownAccountName};";

        /// <summary>A container SAS URL (all permissions, a day) through the given port, optionally to a path inside.</summary>
        private static string ContainerUrl(string container, int port, string path = null)
        {
            var builder = new BlobSasBuilder
            {
                BlobContainerName = container,
                Resource = "c",
                StartsOn = DateTimeOffset.UtcNow.AddMinutes(-5),
                ExpiresOn = DateTimeOffset.UtcNow.AddDays(1),
            };
            builder.SetPermissions(BlobContainerSasPermissions.All);
            var sas = builder.ToSasQueryParameters(new StorageSharedKeyCredential(AzuriteServer.WellKnownAccountName, AzuriteServer.WellKnownAccountKey));
            return $"http://127.0.0.1:{port}/{AzuriteServer.WellKnownAccountName}/{container}{(path == null ? string.Empty : "/" + path)}?{sas}";
        }

        private static string ContainerFor(string jobId) => "job-" + jobId;

        private static void CopyFolder(string from, string to)
        {
            Directory.CreateDirectory(to);
            foreach (var file in Directory.GetFiles(from))
            {
                File.Copy(file, Path.Combine(to, Path.GetFileName(file)), overwrite: true);
            }

            foreach (var folder in Directory.GetDirectories(from))
            {
                CopyFolder(folder, Path.Combine(to, Path.GetFileName(folder)));
            }
        }

        private BlobContainerClient FreshContainer(string jobId)
        {
            var container = _admin.GetBlobContainerClient(ContainerFor(jobId));
            container.DeleteIfExists();
            WaitUntil(() => !container.Exists().Value);
            container.Create();
            return container;
        }

        private void DropContainer(string jobId) => _admin.GetBlobContainerClient(ContainerFor(jobId)).DeleteIfExists();

        private static void WaitUntil(Func<bool> condition)
        {
            var clock = Stopwatch.StartNew();
            while (!condition())
            {
                if (clock.Elapsed > TimeSpan.FromSeconds(30))
                {
                    throw new TimeoutException("Azurite did not finish deleting a container within 30 s.");
                }

                Thread.Sleep(100);
            }
        }

        private (long Files, long Bytes) CountBlobs(string jobId, string prefix)
        {
            long files = 0;
            long bytes = 0;
            foreach (var item in _admin.GetBlobContainerClient(ContainerFor(jobId)).GetBlobs(Azure.Storage.Blobs.Models.BlobTraits.None, Azure.Storage.Blobs.Models.BlobStates.None, prefix, CancellationToken.None))
            {
                files++;
                bytes += item.Properties.ContentLength ?? 0;
            }

            return (files, bytes);
        }

        private string NewDownloadFolder(string name)
        {
            var folder = Path.Combine(_options.DownloadFolder, name);
            DataSets.DeleteFolder(folder);
            Directory.CreateDirectory(folder);
            return folder;
        }

        private sealed class CpuWindow
        {
            public double Azurite;
            public double Bench;
            public double Machine;
            public double Interrupts;
            public double Client;
        }

        private CpuWindow Sample(Func<double?> clientCpu)
        {
            return new CpuWindow
            {
                Azurite = ProcFs.CpuSeconds(_azurite.ProcessId) ?? double.NaN,
                Bench = ProcFs.CpuSeconds(Environment.ProcessId) ?? double.NaN,
                Machine = ProcFs.MachineCpuSeconds().Busy,
                Interrupts = ProcFs.MachineCpuSeconds().Interrupts,
                Client = clientCpu?.Invoke() ?? 0,
            };
        }

        private static void Apply(Measurement m, CpuWindow before, CpuWindow after)
        {
            m.AzuriteCpu = after.Azurite - before.Azurite;
            m.BenchCpu = after.Bench - before.Bench;
            m.MachineBusy = after.Machine - before.Machine;
            m.InterruptCpu = after.Interrupts - before.Interrupts;
            if (after.Client > 0)
            {
                m.ClientCpu = after.Client - before.Client;
            }
        }

        /// <summary>A --variant-il-host run of the module: in this IL build rather than the ReadyToRun one.</summary>
        private const string IlHostSetting = "IlHost";

        /// <summary>The build a child runs in: the module's (see Options.ModuleHost) or this one (null).</summary>
        private string HostFor(ChildSpec spec) =>
            spec.Op.StartsWith("module", StringComparison.Ordinal) && !spec.Settings.ContainsKey(IlHostSetting) ? _options.ModuleHost : null;

        /// <summary>Runs one child operation: untimed set-up, then the timed run with CPU windows and its peak memory.</summary>
        private Measurement RunChild(Measurement m, ChildSpec spec, Action<ChildResult> inspect = null)
        {
            Log($"   {m.Setting,-19} {m.ClientLabel,-28} ...", newLine: false);
            using (var child = ChildSession.Start(spec, HostFor(spec), OnClientCore(m)))
            {
                child.WaitReady();
                var trace = StartTrace(child.ProcessId, spec.Op, m);
                var before = Sample(child.CpuSeconds);
                child.Go();
                var result = child.WaitDone();
                var after = Sample(child.CpuSeconds);
                m.PeakRssBytes = child.PeakRssBytes() ?? 0;
                child.Exit();
                trace?.WaitForExit(120_000);
                trace?.Dispose();
                Apply(m, before, after);
                m.Seconds = result.Seconds;
                m.Files = result.Files;
                m.Bytes = result.Bytes;
                m.Errors = result.Errors;
                m.Error = result.FirstError;
                foreach (var pair in result.Numbers)
                {
                    m.Numbers[pair.Key] = pair.Value;
                }

                inspect?.Invoke(result);
            }

            Measurements.Add(m);
            LogResult(m);
            return m;
        }

        /// <summary>
        /// A profiling aid, off by default: with AZBO_BENCH_TRACE=TEXT (matched against the child's operation, client and
        /// setting) and AZBO_BENCH_TRACE_TOOL=path/to/dotnet-trace, a thread-time trace of that child's timed run is written
        /// to benchmarks/work/traces as Speedscope JSON.
        /// </summary>
        private Process StartTrace(int pid, string op, Measurement m)
        {
            var match = Environment.GetEnvironmentVariable("AZBO_BENCH_TRACE");
            var tool = Environment.GetEnvironmentVariable("AZBO_BENCH_TRACE_TOOL");
            var what = $"{op} {m.Client} {m.Setting}";
            if (string.IsNullOrEmpty(match) || string.IsNullOrEmpty(tool) || !what.Contains(match, StringComparison.OrdinalIgnoreCase))
            {
                return null;
            }

            var folder = Path.Combine(_options.WorkFolder, "traces");
            Directory.CreateDirectory(folder);
            var name = new string($"{op}-{m.Client}-{m.Setting}".Select(c => char.IsLetterOrDigit(c) || c == '-' ? c : '_').ToArray());
            var startInfo = new ProcessStartInfo(tool) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
            foreach (var argument in new[] { "collect", "-p", pid.ToString(CultureInfo.InvariantCulture), "--profile", "dotnet-sampled-thread-time", "--format", "Speedscope", "-o", Path.Combine(folder, name + ".nettrace") })
            {
                startInfo.ArgumentList.Add(argument);
            }

            var process = Process.Start(startInfo);
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            Thread.Sleep(1500); // let the session start before the timed run
            return process;
        }

        private Measurement RunAzCopy(Measurement m, long expectedBytes, string source, string destination, params string[] extra)
        {
            Log($"   {m.Setting,-19} {m.ClientLabel,-28} ...", newLine: false);
            var before = Sample(null);
            var run = _azcopy.Copy(source, destination, OnClientCore(m), extra);
            var after = Sample(null);
            Apply(m, before, after);
            m.Seconds = run.Seconds;
            m.ClientCpu = run.CpuSeconds;
            m.PeakRssBytes = run.PeakRssBytes;
            m.Files = Math.Max(0, run.Completed);
            if (!run.Succeeded || run.Failed > 0)
            {
                m.Errors = (int)Math.Max(1, run.Failed);
                m.Error = $"exit {run.ExitCode}, status {run.FinalStatus}: {run.OutputTail}";
            }
            else
            {
                m.Bytes = expectedBytes;
            }

            Measurements.Add(m);
            LogResult(m);
            return m;
        }

        private void LogResult(Measurement m)
        {
            var status = m.Ok ? string.Empty : $"  FAILED ({m.Errors} errors, {m.Files}/{m.ExpectedFiles} files): {Shorten(m.Error)}";
            var rate = m.Bytes > 0 ? $"{m.MiBPerSecond,8:0.0} MiB/s" : string.Empty;
            Log($" {m.Seconds,7:0.000} s {m.FilesPerSecond,8:0} files/s {rate}  Azurite {m.AzuriteShare,4:P0} client {m.ClientShare,4:P0}" +
                (m.PeakRssBytes > 0 ? $"  peak {m.PeakRssBytes / 1048576.0:0} MiB" : string.Empty) + status);
        }

        private static string Shorten(string text) => text == null ? null : text.Length > 600 ? text.Substring(0, 600) + " ..." : text;

        private static string ReadNpmVersion(string packageJson)
        {
            try
            {
                using var document = System.Text.Json.JsonDocument.Parse(File.ReadAllText(packageJson));
                return document.RootElement.GetProperty("version").GetString();
            }
            catch (Exception ex) when (ex is IOException || ex is System.Text.Json.JsonException || ex is KeyNotFoundException)
            {
                return "?";
            }
        }

        private static string RunForText(string file, params string[] arguments)
        {
            try
            {
                return ToolRun.Run(file, arguments).Output;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return "?";
            }
        }

        internal static void Log(string text, bool newLine = true)
        {
            if (newLine)
            {
                Console.WriteLine(text);
            }
            else
            {
                Console.Write(text);
            }
        }
    }

    internal static class Stats
    {
        public static double Median(IEnumerable<double> values)
        {
            var sorted = values.Where(v => !double.IsNaN(v)).OrderBy(v => v).ToList();
            if (sorted.Count == 0)
            {
                return double.NaN;
            }

            return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
        }
    }
}
