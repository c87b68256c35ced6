using System;
using System.Buffers;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace AzBatchOutput.Benchmarks
{
    /// <summary>One thing a child process times: set up untimed, then run once.</summary>
    internal abstract class ChildOperation : IDisposable
    {
        protected ChildOperation(ChildSpec spec)
        {
            Spec = spec;
        }

        protected ChildSpec Spec { get; }

        public static ChildOperation Create(ChildSpec spec)
        {
            if (spec.Op.StartsWith("module-", StringComparison.Ordinal))
            {
                return new ModuleOperation(spec);
            }

            if (spec.Op.StartsWith("sdk-", StringComparison.Ordinal))
            {
                return new SdkOperation(spec);
            }

            if (spec.Op.StartsWith("startup-", StringComparison.Ordinal))
            {
                return new StartupOperation(spec);
            }

            throw new ArgumentException($"Unknown benchmark child operation '{spec.Op}'.");
        }

        /// <summary>Untimed preparation; returns a short note for the parent (or null).</summary>
        public abstract string Setup();

        /// <summary>How many untimed warm-up calls Setup made (0 when the operation has none).</summary>
        public int WarmupCalls { get; private set; }

        /// <summary>
        /// Runs the untimed warm-up call once, or with --warmup-until-steady at least three times and until one call
        /// (and a 0.5 s pause after it, for the background compiler to finish what the call queued) makes the runtime
        /// JIT-compile fewer than 100 methods, at most 12 calls. A fresh process keeps promoting hot methods through the tiers for its
        /// first ~10,000 files of 64 KiB, in the module's host and the SDK's alike; loops are promoted only once they
        /// run long, so the warm-up call should be as big as the timed one (--warmup-files 2000).
        /// </summary>
        protected void WarmUp(Action call)
        {
            var untilSteady = Spec.Settings.TryGetValue("WarmupUntilSteady", out var value) && value == "true";
            while (true)
            {
                var before = System.Runtime.JitInfo.GetCompiledMethodCount();
                call();
                WarmupCalls++;
                if (!untilSteady || WarmupCalls >= 12)
                {
                    return;
                }

                Thread.Sleep(500);
                // At least three calls: a first call can compile little (cold code runs as quick tier-0 copies) and
                // queue its promotions for later.
                if (WarmupCalls >= 3 && System.Runtime.JitInfo.GetCompiledMethodCount() - before < 100)
                {
                    return;
                }
            }
        }

        public abstract ChildResult Run();

        /// <summary>
        /// Deletes what an upload warm-up saved (untimed, part of the warm-up call): in-memory Azurite holds at most
        /// 12.6 GB, and steady-state warm-ups of 2,000 files, 3 to 12 per child, filled it within one run.
        /// </summary>
        protected void DeleteWarmupUploads(string job, string prefix)
        {
            var container = new BlobContainerClient(Spec.ConnectionString, "job-" + job);
            var names = container.GetBlobs(BlobTraits.None, BlobStates.None, prefix, CancellationToken.None).Select(b => b.Name).ToList();
            Parallel.ForEach(names, new ParallelOptions { MaxDegreeOfParallelism = 16 }, name => container.DeleteBlobIfExists(name));
        }

        public virtual void Dispose()
        {
        }
    }

    /// <summary>
    /// The module in a real PowerShell 7 engine, as a user's session has it: CreateDefault2, Import-Module of the
    /// module folder, Connect-BatchOutputStorage; then one cmdlet call, its output collected as `$r = ...` would.
    /// </summary>
    internal sealed class ModuleOperation : ChildOperation
    {
        private Runspace _runspace;

        public ModuleOperation(ChildSpec spec)
            : base(spec)
        {
        }

        public override string Setup()
        {
            _runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
            _runspace.Open();
            Invoke("Import-Module", ("Name", Spec.ModuleFolder), ("ErrorAction", "Stop")).ThrowIfFailed("Import-Module");
            if (Spec.ConnectionString != null)
            {
                Invoke("Connect-BatchOutputStorage", ("ConnectionString", Spec.ConnectionString)).ThrowIfFailed("Connect-BatchOutputStorage");
            }

            if (Spec.Op == "module-track")
            {
                return TrackedLog.Setup(this);
            }

            Warmup();
            return null;
        }

        /// <summary>
        /// An untimed call of the same cmdlet against a separate job (repeated with --warmup-until-steady), so the
        /// timed call does not pay for the first JIT and the first connection (the plain SDK's child warms up the same way).
        /// </summary>
        private void Warmup()
        {
            if (!Spec.Settings.TryGetValue("WarmupJob", out var job))
            {
                return;
            }

            var task = "w" + Environment.ProcessId;
            switch (Spec.Op)
            {
                case "module-save":
                    WarmUp(() =>
                    {
                        Invoke("Save-BatchTaskOutput", ("Path", Spec.Settings["WarmupSource"]), ("JobId", job), ("TaskId", task)).ThrowIfFailed("warm-up Save-BatchTaskOutput");
                        DeleteWarmupUploads(job, task + "/");
                    });
                    break;
                case "module-download":
                    var folder = Path.Combine(Spec.Settings["WarmupFolder"], task);
                    WarmUp(() =>
                    {
                        Invoke("Get-BatchTaskOutput", ("JobId", job), ("TaskId", "w"), ("Destination", folder), ("Force", true)).ThrowIfFailed("warm-up Get-BatchTaskOutput -Destination");
                        Directory.Delete(folder, recursive: true);
                    });
                    break;
                case "module-list":
                    WarmUp(() => Invoke("Get-BatchTaskOutput", ("JobId", job)).ThrowIfFailed("warm-up Get-BatchTaskOutput"));
                    break;
            }
        }

        public override ChildResult Run()
        {
            switch (Spec.Op)
            {
                case "module-idle":
                    return new ChildResult();
                case "module-commands":
                    {
                        var found = Invoke("Get-Command", ("Module", "AzBatchOutput"));
                        var result = new ChildResult();
                        result.Texts["Commands"] = string.Join(",", found.Output.Select(o => o.Properties["Name"]?.Value?.ToString()).OrderBy(n => n, StringComparer.Ordinal));
                        var tracking = Invoke("Get-Command", ("Name", "Start-BatchTaskOutputTracking"), ("Module", "AzBatchOutput"), ("ErrorAction", "SilentlyContinue"));
                        if (tracking.Output.Count > 0 && tracking.Output[0].BaseObject is CommandInfo info)
                        {
                            result.Texts["StartTrackingParameters"] = string.Join(",", info.Parameters.Keys.OrderBy(k => k, StringComparer.Ordinal));
                        }

                        var stop = Invoke("Get-Command", ("Name", "Stop-BatchTaskOutputTracking"), ("Module", "AzBatchOutput"), ("ErrorAction", "SilentlyContinue"));
                        if (stop.Output.Count > 0 && stop.Output[0].BaseObject is CommandInfo stopInfo)
                        {
                            result.Texts["StopTrackingParameters"] = string.Join(",", stopInfo.Parameters.Keys.OrderBy(k => k, StringComparer.Ordinal));
                        }

                        return result;
                    }

                case "module-save":
                    return TimedThenCounted(() => Invoke("Save-BatchTaskOutput", Throttled(("Path", Spec.Source), ("JobId", Spec.JobId), ("TaskId", Spec.TaskId))));
                case "module-download":
                    {
                        var parameters = new List<(string, object)> { ("JobId", Spec.JobId), ("Destination", Spec.Destination) };
                        if (Spec.TaskId != null)
                        {
                            parameters.Add(("TaskId", Spec.TaskId));
                        }

                        return TimedThenCounted(() => Invoke("Get-BatchTaskOutput", Throttled(parameters.ToArray())));
                    }

                case "module-list":
                    return TimedThenCounted(() => Invoke("Get-BatchTaskOutput", ("JobId", Spec.JobId)));
                case "module-track":
                    return TrackedLog.Run(this);
                default:
                    throw new ArgumentException($"Unknown module operation '{Spec.Op}'.");
            }
        }

        public override void Dispose() => _runspace?.Dispose();

        internal ChildSpec SpecForTracking => Spec;

        internal PsCall Invoke(string command, params (string Name, object Value)[] parameters)
        {
            using (var shell = PowerShell.Create())
            {
                shell.Runspace = _runspace;
                shell.AddCommand(command);
                foreach (var (name, value) in parameters)
                {
                    if (value is bool flag)
                    {
                        if (flag)
                        {
                            shell.AddParameter(name);
                        }
                    }
                    else
                    {
                        shell.AddParameter(name, value);
                    }
                }

                var call = new PsCall();
                try
                {
                    call.Output = shell.Invoke();
                }
                catch (RuntimeException terminating)
                {
                    call.Output = new System.Collections.ObjectModel.Collection<PSObject>();
                    call.Errors.Add(terminating.ErrorRecord?.ToString() ?? terminating.Message);
                }

                foreach (var error in shell.Streams.Error)
                {
                    call.Errors.Add(error.FullyQualifiedErrorId + ": " + error);
                }

                return call;
            }
        }

        private (string, object)[] Throttled(params (string, object)[] parameters) =>
            Spec.Parallelism > 0 ? parameters.Concat(new (string, object)[] { ("ThrottleLimit", Spec.Parallelism) }).ToArray() : parameters;

        /// <summary>
        /// Times the command alone, then counts its output files and bytes for the check: reading Length from each of
        /// 20,000 PSObjects (a stat per FileInfo) is the benchmark's check, not the module's work, and the SDK clients
        /// count as they go at no cost worth timing.
        /// </summary>
        private static ChildResult TimedThenCounted(Func<PsCall> invoke)
        {
            var clock = Stopwatch.StartNew();
            var call = invoke();
            var seconds = clock.Elapsed.TotalSeconds;
            var result = Count(call);
            result.Seconds = seconds;
            return result;
        }

        private static ChildResult Count(PsCall call)
        {
            var result = new ChildResult { Files = call.Output.Count, Errors = call.Errors.Count, FirstError = call.Errors.FirstOrDefault() };
            foreach (var item in call.Output)
            {
                if (item.Properties["Length"]?.Value is long length)
                {
                    result.Bytes += length;
                }
            }

            return result;
        }

        internal sealed class PsCall
        {
            public System.Collections.ObjectModel.Collection<PSObject> Output { get; set; }

            public List<string> Errors { get; } = new List<string>();

            public PsCall ThrowIfFailed(string what)
            {
                if (Errors.Count > 0)
                {
                    throw new InvalidOperationException($"{what} failed: {Errors[0]}");
                }

                return this;
            }
        }
    }

    /// <summary>The plain Azure SDK (Azure.Storage.Blobs 12.30.1, default options) as a yardstick.</summary>
    internal sealed class SdkOperation : ChildOperation
    {
        private BlobContainerClient _container;

        public SdkOperation(ChildSpec spec)
            : base(spec)
        {
        }

        public override string Setup()
        {
            _container = new BlobContainerClient(Spec.ConnectionString, Spec.Container);
            // Untimed warm-up, as the module's child does: the very code it then times, against a separate container,
            // so the timed run does not pay for the JIT and the first connection (--warmup-files sets how much).
            if (Spec.Settings.TryGetValue("WarmupJob", out var job))
            {
                var warm = new BlobContainerClient(Spec.ConnectionString, "job-" + job);
                var task = "w" + Environment.ProcessId;
                switch (Spec.Op)
                {
                    case "sdk-upload":
                        WarmUp(() =>
                        {
                            UploadAsync(warm, Spec.Settings["WarmupSource"], task + "/$TaskOutput/").GetAwaiter().GetResult();
                            DeleteWarmupUploads(job, task + "/");
                        });
                        break;
                    case "sdk-download":
                        var folder = Path.Combine(Spec.Settings["WarmupFolder"], task);
                        WarmUp(() =>
                        {
                            DownloadAsync(warm, "w/", folder).GetAwaiter().GetResult();
                            Directory.Delete(folder, recursive: true);
                        });
                        break;
                    case "sdk-list":
                        WarmUp(() => ListAsync(warm, null).GetAwaiter().GetResult());
                        break;
                }
            }
            else
            {
                _container.GetProperties();
            }

            return null;
        }

        public override ChildResult Run() => RunAsync().GetAwaiter().GetResult();

        private async Task<ChildResult> RunAsync()
        {
            switch (Spec.Op)
            {
                case "sdk-upload":
                    return await UploadAsync(_container, Spec.Source, Spec.Prefix).ConfigureAwait(false);
                case "sdk-download":
                    return await DownloadAsync(_container, Spec.Prefix, Spec.Destination).ConfigureAwait(false);
                case "sdk-list":
                    return await ListAsync(_container, Spec.Prefix).ConfigureAwait(false);
                default:
                    throw new ArgumentException($"Unknown SDK operation '{Spec.Op}'.");
            }
        }

        private async Task<ChildResult> UploadAsync(BlobContainerClient container, string source, string prefix)
        {
            var root = Path.GetFullPath(source);
            var files = Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal).ToList();
            var result = new ChildResult();
            long bytes = 0;
            long done = 0;
            await ForEachAsync(files, async (file, ct) =>
            {
                var blobName = prefix + Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 81920, useAsync: true);
                if (CheckMd5)
                {
                    // The SDK's own option: Content-MD5 on each request, which the service checks (as the module sends).
                    await container.GetBlobClient(blobName).UploadAsync(stream, new BlobUploadOptions
                    {
                        TransferValidation = new UploadTransferValidationOptions { ChecksumAlgorithm = StorageChecksumAlgorithm.MD5 },
                    }, ct).ConfigureAwait(false);
                }
                else
                {
                    await container.GetBlobClient(blobName).UploadAsync(stream, overwrite: true, ct).ConfigureAwait(false);
                }

                Interlocked.Add(ref bytes, stream.Length);
                Interlocked.Increment(ref done);
            }).ConfigureAwait(false);
            result.Files = done;
            result.Bytes = bytes;
            return result;
        }

        private async Task<ChildResult> DownloadAsync(BlobContainerClient container, string prefix, string destination)
        {
            var items = new List<(string Name, long Length)>();
            await foreach (var page in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, CancellationToken.None).AsPages(pageSizeHint: 5000).ConfigureAwait(false))
            {
                foreach (var item in page.Values)
                {
                    items.Add((item.Name, item.Properties.ContentLength ?? 0));
                }
            }

            var root = Path.GetFullPath(destination);
            long bytes = 0;
            long done = 0;
            await ForEachAsync(items, async (item, ct) =>
            {
                var local = Path.Combine(root, item.Name.Substring(prefix?.Length ?? 0).Replace('/', Path.DirectorySeparatorChar));
                Directory.CreateDirectory(Path.GetDirectoryName(local));
                using (var stream = new FileStream(local, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true))
                {
                    if (CheckMd5)
                    {
                        await DownloadCheckingMd5Async(container.GetBlobClient(item.Name), stream, ct).ConfigureAwait(false);
                    }
                    else
                    {
                        await container.GetBlobClient(item.Name).DownloadToAsync(stream, ct).ConfigureAwait(false);
                    }
                }

                Interlocked.Add(ref bytes, item.Length);
                Interlocked.Increment(ref done);
            }).ConfigureAwait(false);
            return new ChildResult { Files = done, Bytes = bytes };
        }

        /// <summary>
        /// "CheckMd5": the same integrity work as the module does by default, done by hand over the plain SDK. Uploads
        /// send Content-MD5; downloads hash the bytes as they are written and compare them with the blob's stored MD5
        /// (one whole GET per blob: the benchmark's blobs are small).
        /// </summary>
        private bool CheckMd5 => Spec.Settings.TryGetValue("CheckMd5", out var value) && value == "true";

        private static async Task DownloadCheckingMd5Async(BlobClient blob, Stream destination, CancellationToken ct)
        {
            var response = await blob.DownloadStreamingAsync(cancellationToken: ct).ConfigureAwait(false);
            var buffer = ArrayPool<byte>.Shared.Rent(81920);
            try
            {
                using var content = response.Value.Content;
                using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
                int read;
                while ((read = await content.ReadAsync(buffer.AsMemory(), ct).ConfigureAwait(false)) > 0)
                {
                    md5.AppendData(buffer, 0, read);
                    await destination.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
                }

                var expected = response.Value.Details.ContentHash ?? response.Value.Details.BlobContentHash;
                if (expected == null || !md5.GetHashAndReset().AsSpan().SequenceEqual(expected))
                {
                    throw new InvalidDataException($"'{blob.Name}' does not match its stored MD5.");
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        private async Task<ChildResult> ListAsync(BlobContainerClient container, string prefix)
        {
            long count = 0;
            long bytes = 0;
            await foreach (var page in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, CancellationToken.None).AsPages(pageSizeHint: 5000).ConfigureAwait(false))
            {
                foreach (var item in page.Values)
                {
                    count++;
                    bytes += item.Properties.ContentLength ?? 0;
                }
            }

            return new ChildResult { Files = count, Bytes = bytes };
        }

        private Task ForEachAsync<T>(IReadOnlyList<T> items, Func<T, CancellationToken, Task> body)
        {
            if (Spec.Parallelism <= 1)
            {
                return SequentialAsync();
            }

            return Parallel.ForEachAsync(items, new ParallelOptions { MaxDegreeOfParallelism = Spec.Parallelism }, (item, ct) => new ValueTask(body(item, ct)));

            async Task SequentialAsync()
            {
                foreach (var item in items)
                {
                    await body(item, CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>
    /// Start-up cost of a fresh PowerShell engine: "startup-open" opens a runspace (CreateDefault2); "startup-import"
    /// also imports the module. Each runs in its own fresh process, which is how a node task or a new pwsh starts.
    /// </summary>
    internal sealed class StartupOperation : ChildOperation
    {
        private Runspace _runspace;

        public StartupOperation(ChildSpec spec)
            : base(spec)
        {
        }

        public override string Setup() => null;

        public override ChildResult Run()
        {
            var result = new ChildResult();
            var cpu0 = ProcFs.SelfCpuSeconds();
            var clock = Stopwatch.StartNew();
            OpenRunspace();
            var open = clock.Elapsed.TotalSeconds;
            var cpu1 = ProcFs.SelfCpuSeconds();
            result.Numbers["OpenSeconds"] = open;
            result.Numbers["OpenCpuSeconds"] = cpu1 - cpu0;
            if (Spec.Op == "startup-import")
            {
                var import = ImportModule();
                result.Numbers["ImportSeconds"] = import;
                result.Numbers["ImportCpuSeconds"] = ProcFs.SelfCpuSeconds() - cpu1;
                if (Spec.Settings.TryGetValue("FirstCommand", out var first) && first == "true")
                {
                    var connect = Stopwatch.StartNew();
                    if (ConnectOnce())
                    {
                        result.Numbers["FirstConnectSeconds"] = connect.Elapsed.TotalSeconds;
                    }
                }
            }

            result.Seconds = clock.Elapsed.TotalSeconds;
            return result;
        }

        public override void Dispose() => _runspace?.Dispose();

        [MethodImpl(MethodImplOptions.NoInlining)]
        private void OpenRunspace()
        {
            _runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
            _runspace.Open();
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private double ImportModule()
        {
            var clock = Stopwatch.StartNew();
            using (var shell = PowerShell.Create())
            {
                shell.Runspace = _runspace;
                shell.AddCommand("Import-Module").AddParameter("Name", Spec.ModuleFolder).AddParameter("ErrorAction", "Stop");
                shell.Invoke();
            }

            return clock.Elapsed.TotalSeconds;
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        private bool ConnectOnce()
        {
            using (var shell = PowerShell.Create())
            {
                shell.Runspace = _runspace;
                shell.AddCommand("Connect-BatchOutputStorage").AddParameter("UseDevelopmentStorage");
                try
                {
                    shell.Invoke();
                    return !shell.HadErrors;
                }
                catch (RuntimeException)
                {
                    return false; // a baseline module without the cmdlet
                }
            }
        }
    }
}
