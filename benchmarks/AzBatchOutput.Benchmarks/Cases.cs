using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using Azure.Storage.Blobs;

namespace AzBatchOutput.Benchmarks
{
    internal sealed partial class Bench
    {
        private const string ModuleClient = "module";
        private const string AzCopyClient = "AzCopy";
        private const string LoopClient = "SDK one at a time";

        private static string SdkParallelClient(int n) => $"SDK {n}-way";

        /// <summary>
        /// Not a target's yardstick: the plain SDK at the module's default parallelism doing the module's integrity work
        /// (Content-MD5 on uploads; downloads hashed and compared with the stored MD5), to show what that work costs.
        /// </summary>
        private const int Md5CheckedParallelism = 32;

        private static readonly string Md5CheckedClient = $"SDK {Md5CheckedParallelism}-way + MD5 check";

        private ChildSpec ModuleSpec(string op, int port) => WithWarmup(new ChildSpec
        {
            Op = op,
            ModuleFolder = _module,
            ConnectionString = ConnectionString(port),
            Parallelism = _options.ModuleThrottle,
        });

        private ChildSpec SdkSpec(string op, int port, string jobId, int parallelism) => WithWarmup(new ChildSpec
        {
            Op = op,
            ConnectionString = ConnectionString(port),
            Container = ContainerFor(jobId),
            Parallelism = parallelism,
        });

        /// <summary>The module's run, then each --variant's, as (client name, spec, index).</summary>
        private IEnumerable<(string Client, ChildSpec Spec, int Index)> ModuleRuns(string op, int port)
        {
            yield return (ModuleClient, ModuleSpec(op, port), 0);
            var index = 0;
            foreach (var (label, folder, throttle, ilHost) in _options.Variants)
            {
                var spec = ModuleSpec(op, port);
                spec.ModuleFolder = folder ?? spec.ModuleFolder;
                spec.Parallelism = throttle > 0 ? throttle : spec.Parallelism;
                if (ilHost)
                {
                    spec.Settings[IlHostSetting] = "true";
                }

                yield return ($"{ModuleClient} {label}", spec, ++index);
            }
        }

        private ChildSpec WithWarmup(ChildSpec spec)
        {
            spec.Settings["WarmupJob"] = WarmupJob;
            spec.Settings["WarmupSource"] = _warmupSource;
            spec.Settings["WarmupFolder"] = Path.Combine(_options.DownloadFolder, "warmup");
            // The one-at-a-time transfer loop is latency-bound through the proxy (and 2,000 files take it 25 s a call):
            // it warms up once. The SDK's listing (also one request at a time) warms up like every other client.
            if (_options.WarmupUntilSteady && (spec.Parallelism != 1 || spec.Op == "sdk-list"))
            {
                spec.Settings["WarmupUntilSteady"] = "true";
            }

            return spec;
        }

        private void Verify(Measurement m, (long Files, long Bytes) found, long files, long bytes, string where)
        {
            if (found.Files != files || found.Bytes != bytes)
            {
                m.Errors++;
                m.Error = (m.Error == null ? string.Empty : m.Error + " | ") +
                          $"{where} holds {found.Files} files / {found.Bytes} bytes, expected {files} / {bytes}";
                Log($"      check FAILED: {m.Error}");
            }
        }

        // ---------------------------------------------------------------- (a) save 2,000 files of 64 KiB

        private void CaseA()
        {
            var source = DataSets.SmallFiles(_options.WorkFolder, _options.SmallFiles, _options.SmallFileBytes);
            long files = _options.SmallFiles;
            long bytes = files * _options.SmallFileBytes;
            var operation = $"save {files:N0} x {_options.SmallFileBytes / 1024} KiB";
            Log("   each run below meets a fresh Azurite of its own (see FreshAzuriteFor)");
            foreach (var (round, setting, port, tag) in Rounds(withCoreSplit: true))
            {
                Measurement New(string client) => new Measurement { Case = "a", Operation = operation, Setting = setting, Client = client, ExpectedFiles = files, Round = round, Rounds = _options.Rounds };

                var runs = new List<Action>();
                foreach (var (client, moduleSpec, index) in ModuleRuns("module-save", port))
                {
                    runs.Add(() =>
                    {
                        var job = $"a-{tag}{round}-module{index}";
                        var freshPort = FreshAzuriteFor(tag);
                        moduleSpec.ConnectionString = ConnectionString(freshPort);
                        FreshContainer(job);
                        moduleSpec.JobId = job;
                        moduleSpec.TaskId = TaskId;
                        moduleSpec.Source = source;
                        var m = RunChild(New(client), moduleSpec);
                        Verify(m, CountBlobs(job, OutputPrefix), files, bytes, "the container");
                        DropContainer(job);
                    });
                }

                runs.Add(() =>
                {
                    var job = $"a-{tag}{round}-azcopy";
                    var freshPort = FreshAzuriteFor(tag);
                    FreshContainer(job);
                    var m = RunAzCopy(New(AzCopyClient), bytes, source, ContainerUrl(ContainerFor(job), freshPort, "t1/$TaskOutput"), "--recursive", "--from-to", "LocalBlob");
                    Verify(m, CountBlobs(job, OutputPrefix), files, bytes, "the container");
                    DropContainer(job);
                });

                foreach (var parallelism in new[] { 1 }.Concat(_options.SdkParallelism))
                {
                    runs.Add(() => SdkSave($"a-{tag}{round}-sdk{parallelism}", parallelism == 1 ? LoopClient : SdkParallelClient(parallelism), parallelism, checkMd5: false));
                }

                runs.Add(() => SdkSave($"a-{tag}{round}-sdk-md5", Md5CheckedClient, Md5CheckedParallelism, checkMd5: true));
                RunInRotation(round, runs);

                void SdkSave(string job, string client, int parallelism, bool checkMd5)
                {
                    var freshPort = FreshAzuriteFor(tag);
                    FreshContainer(job);
                    var spec = SdkSpec("sdk-upload", freshPort, job, parallelism);
                    spec.Source = source;
                    spec.Prefix = OutputPrefix;
                    if (checkMd5)
                    {
                        spec.Settings["CheckMd5"] = "true";
                    }

                    var m = RunChild(New(client), spec);
                    Verify(m, CountBlobs(job, OutputPrefix), files, bytes, "the container");
                    DropContainer(job);
                }
            }

            CheckTransferTargets("a", operation);
        }

        // ---------------------------------------------------------------- (b) download them back

        private void CaseB()
        {
            var source = DataSets.SmallFiles(_options.WorkFolder, _options.SmallFiles, _options.SmallFileBytes);
            long files = _options.SmallFiles;
            long bytes = files * _options.SmallFileBytes;
            var operation = $"download {files:N0} x {_options.SmallFileBytes / 1024} KiB";

            // One source for every client: a task's output saved by the plain SDK (untimed).
            const string job = "b-source";
            var container = FreshContainer(job);
            Parallel.ForEach(Directory.GetFiles(source), new ParallelOptions { MaxDegreeOfParallelism = 32 }, file =>
                container.GetBlobClient(OutputPrefix + Path.GetFileName(file)).Upload(file, overwrite: true));
            var found = CountBlobs(job, OutputPrefix);
            if (found.Files != files)
            {
                throw new InvalidOperationException($"Could not prepare the download source: {found.Files} of {files} blobs.");
            }

            // Untimed: Azurite serves the whole source once (and collects what the upload left behind) before any client
            // is timed, so the first timed download does not meet a server that has never served these blobs.
            Parallel.ForEach(Directory.GetFiles(source), new ParallelOptions { MaxDegreeOfParallelism = 32 }, file =>
                container.GetBlobClient(OutputPrefix + Path.GetFileName(file)).DownloadContent());

            foreach (var (round, setting, port, tag) in Rounds(withCoreSplit: true))
            {
                HoldAzurite(tag);
                Measurement New(string client) => new Measurement { Case = "b", Operation = operation, Setting = setting, Client = client, ExpectedFiles = files, Round = round, Rounds = _options.Rounds };

                var runs = new List<Action>();
                foreach (var (client, moduleSpec, index) in ModuleRuns("module-download", port))
                {
                    runs.Add(() =>
                    {
                        var destination = NewDownloadFolder($"b-module{index}");
                        moduleSpec.JobId = job;
                        moduleSpec.TaskId = TaskId;
                        moduleSpec.Destination = destination;
                        var m = RunChild(New(client), moduleSpec);
                        Verify(m, DataSets.Measure(destination), files, bytes, "the destination folder");
                        DataSets.DeleteFolder(destination);
                    });
                }

                runs.Add(() =>
                {
                    var destination = NewDownloadFolder("b-azcopy");
                    var m = RunAzCopy(New(AzCopyClient), bytes, ContainerUrl(ContainerFor(job), port, "t1/$TaskOutput/*"), destination, "--recursive", "--from-to", "BlobLocal");
                    Verify(m, DataSets.Measure(destination), files, bytes, "the destination folder");
                    DataSets.DeleteFolder(destination);
                });

                foreach (var parallelism in new[] { 1 }.Concat(_options.SdkParallelism))
                {
                    runs.Add(() => SdkDownload($"b-sdk{parallelism}", parallelism == 1 ? LoopClient : SdkParallelClient(parallelism), parallelism, checkMd5: false));
                }

                runs.Add(() => SdkDownload("b-sdk-md5", Md5CheckedClient, Md5CheckedParallelism, checkMd5: true));
                RunInRotation(round, runs);

                void SdkDownload(string folder, string client, int parallelism, bool checkMd5)
                {
                    var destination = NewDownloadFolder(folder);
                    var spec = SdkSpec("sdk-download", port, job, parallelism);
                    spec.Prefix = OutputPrefix;
                    spec.Destination = destination;
                    if (checkMd5)
                    {
                        spec.Settings["CheckMd5"] = "true";
                    }

                    var m = RunChild(New(client), spec);
                    Verify(m, DataSets.Measure(destination), files, bytes, "the destination folder");
                    DataSets.DeleteFolder(destination);
                }
            }

            DropContainer(job);
            CheckTransferTargets("b", operation);
        }

        /// <summary>
        /// The case's settings, each run <see cref="Options.Rounds"/> times, rounds interleaved (all clients, then again).
        /// Tags: "d" direct, "p" through the proxy, "s" direct with Azurite and the client on a core each (CoreSplit;
        /// only <paramref name="withCoreSplit"/>, when enabled and possible here). The port is read as each setting
        /// starts: case (a) starts a fresh Azurite for each run (see FreshAzuriteFor).
        /// </summary>
        private IEnumerable<(int Round, string Setting, int Port, string Tag)> Rounds(bool withCoreSplit = false)
        {
            for (var round = 1; round <= _options.Rounds; round++)
            {
                yield return (round, _settings[0].Name, _settings[0].Port, "d");
                yield return (round, _settings[1].Name, _settings[1].Port, "p");
                if (withCoreSplit && CoreSplitRuns)
                {
                    yield return (round, CoreSplit.SettingName, _settings[0].Port, "s");
                }
            }
        }

        /// <summary>
        /// Runs one round's clients, each round starting one place further along the list (round 1 with the first, round 2
        /// with the second, ...), so no client always goes first. Order was not neutral when it was fixed (the module
        /// first): in three full runs the module's round-1 direct downloads, the first timed ones from that Azurite, took
        /// 1.7 to 2.1 s against 1.1 to 1.6 s for the SDK clients right after them (benchmarks/README.md).
        /// </summary>
        private static void RunInRotation(int round, IReadOnlyList<Action> runs)
        {
            for (var i = 0; i < runs.Count; i++)
            {
                runs[(round - 1 + i) % runs.Count]();
            }
        }

        /// <summary>
        /// A client's run with the median time among its runs in these rows (the upper middle of an even count); a failed
        /// run, if any, so that the target reports the failure; null if the client did not run.
        /// </summary>
        private static Measurement MedianRun(IReadOnlyCollection<Measurement> rows, string client)
        {
            var runs = rows.Where(m => m.Client == client).ToList();
            if (runs.Count == 0)
            {
                return null;
            }

            var failed = runs.FirstOrDefault(m => !m.Ok);
            return failed ?? runs.OrderBy(m => m.Seconds).ElementAt(runs.Count / 2);
        }

        private void CheckTransferTargets(string id, string operation)
        {
            foreach (var setting in Measurements.Where(m => m.Case == id).Select(m => m.Setting).Distinct().ToList())
            {
                var rows = Measurements.Where(m => m.Case == id && m.Setting == setting).ToList();
                var module = MedianRun(rows, ModuleClient);
                var azcopy = MedianRun(rows, AzCopyClient);
                var loop = MedianRun(rows, LoopClient);
                var best = rows.Where(m => m.Client.StartsWith("SDK ", StringComparison.Ordinal) && m.Client != LoopClient && m.Client != Md5CheckedClient)
                               .Select(m => m.Client).Distinct().Select(client => MedianRun(rows, client)).Where(m => m.Ok)
                               .OrderByDescending(m => m.FilesPerSecond).FirstOrDefault();
                AddRatio(id, $"{operation}, {setting}: module / AzCopy throughput", module, azcopy, 1.0);
                if (setting == _settings[1].Name)
                {
                    AddRatio(id, $"{operation}, {setting}: module / SDK one at a time", module, loop, 10.0);
                }
                else
                {
                    AddRatio(id, $"{operation}, {setting}: module / best SDK parallel ({best?.Client ?? "none"})", module, best, 0.9);
                    NoteIntegrityCost(id, operation, setting, module, best, MedianRun(rows, Md5CheckedClient));
                }
            }
        }

        /// <summary>What the integrity check costs here: the plain SDK with and without it, beside the module (which always does it).</summary>
        private void NoteIntegrityCost(string id, string operation, string setting, Measurement module, Measurement best, Measurement checkedSdk)
        {
            if (module == null || best == null || checkedSdk == null || !module.Ok || !best.Ok || !checkedSdk.Ok)
            {
                return;
            }

            Notes.Add($"({id}) {operation}, {setting}: {Md5CheckedClient} (the plain SDK doing the integrity work the module does by default) " +
                      $"took {checkedSdk.Seconds:0.00} s, {best.Seconds / checkedSdk.Seconds:0.00}x the throughput of the best SDK parallel run without it " +
                      $"({best.Client}, {best.Seconds:0.00} s); the module is {checkedSdk.Seconds / module.Seconds:0.00}x of the checked SDK's throughput. " +
                      "Medians of the rounds; for reference, not a target.");
        }

        private void AddRatio(string id, string what, Measurement module, Measurement other, double target)
        {
            var check = new TargetCheck { Case = id, What = what, Target = $">= {target:0.0#}x" };
            if (module == null || other == null || !module.Ok || !other.Ok)
            {
                check.Measured = module == null || other == null ? "not measured" : "a run failed";
                Targets.Add(check);
                return;
            }

            var ratio = other.Seconds / module.Seconds;
            var medians = module.Rounds > 1 ? $"; medians of {module.Rounds} runs" : string.Empty;
            check.Measured = $"{ratio:0.00}x ({module.Seconds:0.00} s vs {other.Seconds:0.00} s{medians}){ByRound(module, other, target)}";
            check.Pass = ratio >= target;
            Targets.Add(check);
        }

        /// <summary>
        /// The same ratio round by round (each round's runs were next to each other in time), and how many rounds met the
        /// target: it shows whether a verdict on the medians stands clear of the noise or sits on the line. Not a verdict.
        /// </summary>
        private string ByRound(Measurement module, Measurement other, double target)
        {
            if (module.Rounds < 2)
            {
                return string.Empty;
            }

            var rows = Measurements.Where(m => m.Case == module.Case && m.Setting == module.Setting && m.Ok).ToList();
            var ratios = new List<double>();
            for (var round = 1; round <= module.Rounds; round++)
            {
                var mine = rows.FirstOrDefault(m => m.Client == module.Client && m.Round == round);
                var theirs = rows.FirstOrDefault(m => m.Client == other.Client && m.Round == round);
                if (mine != null && theirs != null && mine.Seconds > 0)
                {
                    ratios.Add(theirs.Seconds / mine.Seconds);
                }
            }

            return ratios.Count < 2
                ? string.Empty
                : $"; by round: {string.Join(", ", ratios.Select(r => r.ToString("0.00", CultureInfo.InvariantCulture)))} ({ratios.Count(r => r >= target)} of {ratios.Count} at target)";
        }

        // ---------------------------------------------------------------- (c) one big file up and down

        private void CaseC()
        {
            var file = DataSets.BigFile(_options.WorkFolder, _options.BigFileBytes);
            var length = _options.BigFileBytes;
            var size = length >= 1L << 30 ? $"{length / (double)(1L << 30):0.#} GiB" : $"{length >> 20} MiB";
            var blob = OutputPrefix + Path.GetFileName(file);

            // The idle engine: a fresh child with the module imported and connected, doing nothing.
            var idle = RunChild(new Measurement { Case = "c", Operation = "idle engine", Setting = "-", Client = ModuleClient + " (idle)" }, ModuleSpec("module-idle", _azurite.Port));
            Measurements.Remove(idle);
            IdlePeakRss = idle.PeakRssBytes;
            Log($"      idle engine peak RSS (VmHWM) {IdlePeakRss / 1048576.0:0} MiB");

            var n = 0;
            foreach (var (setting, port) in _settings)
            {
                var tag = n++ == 0 ? "d" : "p";
                Measurement Up(string client) => new Measurement { Case = "c", Operation = $"upload 1 x {size}", Setting = setting, Client = client, ExpectedFiles = 1 };
                Measurement Down(string client) => new Measurement { Case = "c", Operation = $"download 1 x {size}", Setting = setting, Client = client, ExpectedFiles = 1 };

                Measurement m;
                var moduleJob = $"c-{tag}-module0";
                foreach (var (client, moduleSpec, index) in ModuleRuns("module-save", port))
                {
                    var job = $"c-{tag}-module{index}";
                    FreshContainer(job);
                    moduleSpec.JobId = job;
                    moduleSpec.TaskId = TaskId;
                    moduleSpec.Source = file;
                    m = RunChild(Up(client), moduleSpec);
                    Verify(m, CountBlobs(job, OutputPrefix), 1, length, "the container");
                    if (index > 0)
                    {
                        DropContainer(job);
                    }
                }

                var azJob = $"c-{tag}-azcopy";
                FreshContainer(azJob);
                m = RunAzCopy(Up(AzCopyClient), length, file, ContainerUrl(ContainerFor(azJob), port, blob), "--from-to", "LocalBlob");
                Verify(m, CountBlobs(azJob, OutputPrefix), 1, length, "the container");
                DropContainer(azJob);

                string destination;
                foreach (var (client, moduleSpec, index) in ModuleRuns("module-download", port))
                {
                    destination = NewDownloadFolder($"c-module{index}");
                    moduleSpec.JobId = moduleJob;
                    moduleSpec.TaskId = TaskId;
                    moduleSpec.Destination = destination;
                    m = RunChild(Down(client), moduleSpec);
                    Verify(m, DataSets.Measure(destination), 1, length, "the destination folder");
                    DataSets.DeleteFolder(destination);
                }

                destination = NewDownloadFolder("c-azcopy");
                m = RunAzCopy(Down(AzCopyClient), length, ContainerUrl(ContainerFor(moduleJob), port, blob), Path.Combine(destination, "big.bin"), "--from-to", "BlobLocal");
                Verify(m, DataSets.Measure(destination), 1, length, "the destination folder");
                DataSets.DeleteFolder(destination);
                DropContainer(moduleJob);
            }

            foreach (var (setting, _) in _settings)
            {
                foreach (var direction in new[] { "upload", "download" })
                {
                    var rows = Measurements.Where(r => r.Case == "c" && r.Setting == setting && r.Operation.StartsWith(direction, StringComparison.Ordinal)).ToList();
                    var module = rows.FirstOrDefault(r => r.Client == ModuleClient);
                    var azcopy = rows.FirstOrDefault(r => r.Client == AzCopyClient);
                    AddRatio("c", $"{direction} 1 x {size}, {setting}: module / AzCopy throughput", module, azcopy, 0.9);
                    if (module != null && module.Ok)
                    {
                        var extra = module.PeakRssBytes - IdlePeakRss;
                        Targets.Add(new TargetCheck
                        {
                            Case = "c",
                            What = $"{direction} 1 x {size}, {setting}: module peak memory over the idle engine",
                            Measured = $"+{extra / 1048576.0:0} MiB (peak {module.PeakRssBytes / 1048576.0:0} MiB, idle {IdlePeakRss / 1048576.0:0} MiB; AzCopy peak {(azcopy?.PeakRssBytes ?? 0) / 1048576.0:0} MiB)",
                            Target = "< +256 MiB",
                            Pass = extra < 256L << 20,
                        });
                    }
                }
            }
        }

        public long IdlePeakRss { get; private set; }

        // ---------------------------------------------------------------- (e) list 20,000 outputs across 2,000 tasks

        private void CaseE()
        {
            var tasks = _options.ListTasks;
            var perTask = _options.ListFilesPerTask;
            long files = (long)tasks * perTask;
            var operation = $"list {files:N0} outputs of {tasks:N0} tasks";
            const string job = "e-list";
            var container = FreshContainer(job);
            Log($"   preparing {files:N0} blobs (untimed) ...");
            var kinds = new[] { "$TaskOutput", "$TaskOutput", "$TaskOutput", "$TaskOutput", "$TaskOutput", "$TaskOutput", "$TaskLog", "$TaskLog", "$TaskPreview", "$TaskIntermediate" };
            var payload = BinaryData.FromBytes(new byte[100]);
            var names = Enumerable.Range(0, tasks).SelectMany(t => Enumerable.Range(0, perTask).Select(j =>
                $"task-{t:D5}/{kinds[j % kinds.Length]}/{(j < 6 ? "results/" : string.Empty)}file-{j:D2}.txt")).ToList();
            Parallel.ForEach(names, new ParallelOptions { MaxDegreeOfParallelism = 32 }, name => container.GetBlobClient(name).Upload(payload, overwrite: true));
            var found = CountBlobs(job, null);
            if (found.Files != files)
            {
                throw new InvalidOperationException($"Could not prepare the listing: {found.Files} of {files} blobs.");
            }

            foreach (var (round, setting, port, _) in Rounds())
            {
                Measurement New(string client) => new Measurement { Case = "e", Operation = operation, Setting = setting, Client = client, ExpectedFiles = files, Round = round, Rounds = _options.Rounds };
                var runs = new List<Action>();
                foreach (var (client, moduleSpec, _) in ModuleRuns("module-list", port))
                {
                    moduleSpec.JobId = job;
                    runs.Add(() => RunChild(New(client), moduleSpec));
                }

                runs.Add(() => RunChild(New("SDK flat listing"), SdkSpec("sdk-list", port, job, 1)));
                RunInRotation(round, runs);
            }

            DropContainer(job);
            foreach (var (setting, _) in _settings)
            {
                var rows = Measurements.Where(r => r.Case == "e" && r.Setting == setting).ToList();
                var module = MedianRun(rows, ModuleClient);
                var sdk = MedianRun(rows, "SDK flat listing");
                AddRatio("e", $"{operation}, {setting}: module / SDK listing rate", module, sdk, 0.9);
            }
        }

    }
}
