using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using AzBatchOutput.Module.Tests.Faults;
using AzBatchOutput.Module.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>
    /// Through a proxy that resets, stalls, fails and corrupts requests: what can succeed does, byte for byte, and what
    /// cannot fails with a clear error after the retries, never with a silently wrong file. These tests shorten the
    /// module's retries through a process environment variable, so they run alone.
    /// </summary>
    [Collection(ProcessEnvironmentCollection.Name)]
    public class FaultTests
    {
        private const int Seed = 20260611;
        private readonly ITestOutputHelper _output;

        public FaultTests(ITestOutputHelper output) => _output = output;

        /// <summary>Runs a command that should end in one error; logs how long it took and what the error said.</summary>
        private (PSResult Result, ErrorRecord Error, TimeSpan Elapsed) RunToOneError(ModuleSession session, string script, string faults, params (string Name, object Value)[] variables)
        {
            var clock = Stopwatch.StartNew();
            var result = session.Run(script, variables);
            var elapsed = clock.Elapsed;
            var error = result.SingleError();
            _output.WriteLine($"{elapsed.TotalSeconds:0.00} s; {faults}; {error.FullyQualifiedErrorId}: {error}");
            return (result, error, elapsed);
        }

        [Fact]
        public void FiveHundredFilesSurviveTenPercentFaultsByteForByte()
        {
            const int fileCount = 500;
            using var retries = new ShortRetries(retries: 6, networkTimeoutSeconds: 1.5, delaySeconds: 0.05, maxDelaySeconds: 0.5);
            var plan = new FaultPlan(Seed, 0.10) { StallTime = TimeSpan.FromSeconds(3) };
            using var proxy = new FaultProxy(TestStorage.Server.BlobEndpoint, plan);
            using var session = ModuleSession.Start(connect: false);
            session.ConnectAt(proxy.BlobEndpoint);
            var jobId = TestStorage.NewJobId("Faults");
            var random = new Random(Seed);
            for (var i = 0; i < fileCount; i++)
            {
                // Mostly small files, a few empty, and two that go up in blocks and come down in several ranges.
                var length = i < 2 ? 9 * 1024 * 1024 + random.Next(4096) : i % 50 == 7 ? 0 : random.Next(1, 48 * 1024);
                session.Folder.WriteRandomFile($"data/part{i % 7}/file-{i:D3}.bin", length, seed: Seed + i);
            }

            var clock = Stopwatch.StartNew();
            var containerName = (string)session.Run("(Initialize-BatchJobOutputStorage -JobId $JobId).ContainerName", ("JobId", jobId)).ThrowIfFailed().Output.Single().BaseObject;
            var saved = session.Run("$VerbosePreference = 'Continue'; Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path data");
            Assert.Empty(saved.AllErrors.Select(e => e.FullyQualifiedErrorId + ": " + e));
            Assert.Equal(fileCount, saved.Output.Count);
            var saveSeconds = clock.Elapsed.TotalSeconds;

            // What the service holds, read directly from Azurite, is exactly what is on disk.
            var local = ProxiedStorage.HashTree(session.Folder.Combine("data"));
            var stored = ProxiedStorage.HashContainer(containerName);
            Assert.Equal(fileCount, stored.Count);
            var wrongStored = local.Count(p => !stored.TryGetValue("t1/$TaskOutput/" + p.Key, out var hash) || hash != p.Value);

            clock.Restart();
            var downloaded = session.Run("$VerbosePreference = 'Continue'; Get-BatchTaskOutput -JobId $JobId -TaskId t1 -Destination dl");
            Assert.Empty(downloaded.AllErrors.Select(e => e.FullyQualifiedErrorId + ": " + e));
            Assert.Equal(fileCount, downloaded.Output.Count);
            var got = ProxiedStorage.HashTree(session.Folder.Combine("dl", "t1", "TaskOutput"));
            var wrongDownloaded = local.Count(p => !got.TryGetValue(p.Key, out var hash) || hash != p.Value) + got.Keys.Count(k => !local.ContainsKey(k));

            var resent = saved.Verbose.Count(v => v.Message.Contains("sending it again"));
            var refetched = downloaded.Verbose.Count(v => v.Message.Contains("fetching it again"));
            _output.WriteLine($"Fault rate 10%, seed {Seed}, module retries: {retries.Setting}");
            _output.WriteLine(proxy.Describe());
            _output.WriteLine($"files re-sent after a checksum refusal {resent}, files re-fetched after a checksum mismatch {refetched}");
            _output.WriteLine($"save {saveSeconds:0.0} s, download {clock.Elapsed.TotalSeconds:0.0} s");
            _output.WriteLine($"files checked {local.Count * 2} ({local.Count} stored, {local.Count} downloaded), files wrong {wrongStored + wrongDownloaded}");

            Assert.Equal(0, wrongStored);
            Assert.Equal(0, wrongDownloaded);
            Assert.Empty(Directory.GetFiles(session.Folder.Combine("dl"), "*partial*", SearchOption.AllDirectories));
            // The plan really did fault about one request in ten, of every kind, and the module retried through them.
            Assert.InRange(proxy.FaultsTotal, proxy.RequestsSeen / 20, proxy.RequestsSeen / 5);
            Assert.All(FaultPlan.AllKinds, kind => Assert.True(proxy.FaultsByKind[kind] > 0, $"no {kind} fault was injected"));
            Assert.True(proxy.Retries > 0);
        }

        [Fact]
        public void ATrackedLogThroughFaultsEndsIdenticalToItsFile()
        {
            using var retries = new ShortRetries(retries: 6, networkTimeoutSeconds: 1.5, delaySeconds: 0.05, maxDelaySeconds: 0.5);
            // A tracker makes few requests (one append a second), so a third of them are faulted to meet every kind that applies.
            var plan = new FaultPlan(Seed + 1, 0.33) { StallTime = TimeSpan.FromSeconds(3) };
            using var proxy = new FaultProxy(TestStorage.Server.BlobEndpoint, plan);
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("TrackFaults");
            var containerName = session.InitializeJob(jobId);
            session.ConnectAt(proxy.BlobEndpoint);
            var log = session.Folder.WriteFile("app.log", System.Text.Encoding.UTF8.GetBytes("start\n"));

            session.Run("$Tracker = Start-BatchTaskOutputTracking -Path app.log -JobId $JobId -TaskId t1 -FlushInterval 1", ("JobId", jobId)).ThrowIfFailed();
            var random = new Random(Seed);
            var clock = Stopwatch.StartNew();
            using (var writer = new FileStream(log, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
            {
                // About five seconds of a chatty application: lines of varied length, flushed as they are written.
                for (var line = 0; clock.Elapsed < TimeSpan.FromSeconds(5); line++)
                {
                    var text = System.Text.Encoding.UTF8.GetBytes($"{DateTime.UtcNow:O} line {line} " + new string((char)('a' + line % 26), random.Next(0, 400)) + "\n");
                    writer.Write(text, 0, text.Length);
                    writer.Flush();
                    Thread.Sleep(random.Next(1, 15));
                }
            }

            var stopped = session.Run("Stop-BatchTaskOutputTracking -Tracker $Tracker -GracePeriod 0 -PassThru");
            _output.WriteLine($"tracked log: {new FileInfo(log).Length} bytes; {proxy.Describe()}");
            Assert.Empty(stopped.AllErrors.Select(e => e.FullyQualifiedErrorId + ": " + e));
            var blob = TestStorage.Sdk.GetBlobContainerClient(containerName).GetBlobClient("t1/$TaskLog/app.log");
            using (var sha = System.Security.Cryptography.SHA256.Create())
            using (var content = blob.OpenRead())
            {
                Assert.Equal(TempFolder.Sha256(log), Convert.ToHexString(sha.ComputeHash(content)));
            }

            Assert.True(proxy.FaultsTotal >= 3, $"only {proxy.FaultsTotal} faults were injected into the tracker's requests");
        }

        [Fact]
        public void ClientTimeoutPerRequestEndsEachTryOfAStalledSaveLongBeforeTheStallEnds()
        {
            // Retries shortened, the network timeout left to the context: the SDK's default would hold each try 100 s.
            using var retries = new ShortRetries(retries: 1, networkTimeoutSeconds: null, delaySeconds: 0.05, maxDelaySeconds: 0.1);
            var stall = TimeSpan.FromSeconds(60);
            var plan = new FaultPlan(Seed, 1.0, FaultKind.Stall) { StallTime = stall, Applies = r => r.IsContentUpload };
            using var proxy = new FaultProxy(TestStorage.Server.BlobEndpoint, plan);
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("Timeout");
            var containerName = session.InitializeJob(jobId);
            session.Folder.WriteRandomFile("result.bin", 70_000, seed: 6);
            var context = session.Run(
                "Connect-BatchOutputStorage -StorageAccountName $AccountName -StorageAccountKey $AccountKey -BlobEndpoint $Endpoint -ClientTimeoutPerRequest 2",
                ("AccountName", TestStorage.Server.AccountName),
                ("AccountKey", ProxiedStorage.Secure(TestStorage.Server.AccountKey)),
                ("Endpoint", proxy.BlobEndpoint)).ThrowIfFailed().Output.Single();
            Assert.Equal(TimeSpan.FromSeconds(2), context.Prop("ClientTimeoutPerRequest"));

            var (result, error, elapsed) = RunToOneError(session, "Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path result.bin", proxy.Describe(), ("JobId", jobId));

            Assert.StartsWith("StorageUnreachable,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
            Assert.Contains("-ClientTimeoutPerRequest", error.ToString());
            Assert.Empty(result.Output);
            Assert.Empty(ProxiedStorage.HashContainer(containerName));
            // Both tries (one retry) were stalled, and each was given up after its 2 s, not held for the 60 s stall.
            Assert.Equal(2, proxy.FaultsByKind[FaultKind.Stall]);
            Assert.True(elapsed < stall / 2, $"the save took {elapsed.TotalSeconds:0.0} s against stalls of {stall.TotalSeconds} s");
        }

        [Fact]
        public void AnAccountDnsDoesNotKnowFailsAtOnceNotAfterTheRetries()
        {
            // DNS answers that a .invalid name does not exist (RFC 6761): nearly always a mistyped account name. With the
            // default retries (6, from 0.4 s, doubling) a retried failure takes about 25 s; a refused or reset connection
            // still does (StorageUnreachable, HopelessCases).
            using var session = ModuleSession.Start(connect: false);
            session.Run(
                "Connect-BatchOutputStorage -StorageAccountName $AccountName -StorageAccountKey $AccountKey -BlobEndpoint 'http://no-such-account.invalid/'",
                ("AccountName", TestStorage.Server.AccountName),
                ("AccountKey", ProxiedStorage.Secure(TestStorage.Server.AccountKey))).ThrowIfFailed();

            var (result, error, elapsed) = RunToOneError(session, "Get-BatchTaskOutput -JobId j1 -TaskId t1", "no proxy");

            Assert.StartsWith("StorageHostNotFound,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
            Assert.Contains("DNS found no host for http://no-such-account.invalid/", error.ToString());
            Assert.Contains("Check the storage account name or the endpoint URL", error.ToString());
            Assert.DoesNotContain(TestStorage.Server.AccountKey, error.ToString());
            Assert.Empty(result.Output);
            Assert.True(elapsed < TimeSpan.FromSeconds(5), $"the failure took {elapsed.TotalSeconds:0.0} s: it was retried");

            // Every file would meet it: a save of 10 files stops at the first, with one error and the list of the rest.
            for (var i = 0; i < 10; i++)
            {
                session.Folder.WriteRandomFile($"out/f{i}.bin", 1000, seed: i);
            }

            var saved = session.Run("Save-BatchTaskOutput -JobId j1 -TaskId t1 -Path out -ThrottleLimit 2");
            Assert.Equal(new[] { "StorageHostNotFound", "StoppedAfterSharedFailure" }, saved.AllErrors.Select(e => e.FullyQualifiedErrorId.Split(',')[0]));
            Assert.Empty(saved.Output);
        }

        public static IEnumerable<object[]> HopelessCases()
        {
            // direction, fault, error id, category, key phrase of the message
            yield return new object[] { "save", FaultKind.Reset, "StorageUnreachable", ErrorCategory.ConnectionError, "could not be reached after retries" };
            yield return new object[] { "save", FaultKind.Stall, "StorageUnreachable", ErrorCategory.ConnectionError, "no answer within the time each try allows: Connect-BatchOutputStorage -ClientTimeoutPerRequest" };
            yield return new object[] { "save", FaultKind.Status500, "StorageServerError", ErrorCategory.ConnectionError, "kept failing with 500" };
            yield return new object[] { "save", FaultKind.Status503, "StorageBusy", ErrorCategory.ResourceBusy, "-ThrottleLimit" };
            yield return new object[] { "save", FaultKind.FlipRequestByte, "ChecksumMismatch", ErrorCategory.InvalidData, "did not match its MD5" };
            yield return new object[] { "download", FaultKind.Reset, "StorageUnreachable", ErrorCategory.ConnectionError, "could not be reached after retries" };
            yield return new object[] { "download", FaultKind.Stall, "StorageUnreachable", ErrorCategory.ConnectionError, "no answer within the time each try allows: Connect-BatchOutputStorage -ClientTimeoutPerRequest" };
            yield return new object[] { "download", FaultKind.Status500, "StorageServerError", ErrorCategory.ConnectionError, "kept failing with 500" };
            yield return new object[] { "download", FaultKind.Status503, "StorageBusy", ErrorCategory.ResourceBusy, "-ThrottleLimit" };
            yield return new object[] { "download", FaultKind.FlipResponseByte, "ChecksumMismatch", ErrorCategory.InvalidData, "did not match its MD5" };
            yield return new object[] { "download", FaultKind.Truncate, "StorageUnreachable", ErrorCategory.ConnectionError, "could not be reached after retries" };
        }

        [Theory]
        [MemberData(nameof(HopelessCases))]
        public void WhenEveryAttemptFailsTheErrorIsClearAndNothingIsLeftBehind(string direction, FaultKind kind, string errorId, ErrorCategory category, string phrase)
        {
            using var retries = new ShortRetries(retries: 2, networkTimeoutSeconds: 1, delaySeconds: 0.02, maxDelaySeconds: 0.1);
            var plan = new FaultPlan(Seed, 1.0, kind)
            {
                StallTime = TimeSpan.FromSeconds(2),
                Applies = r => direction == "save" ? r.IsContentUpload : r.IsBlobDownload,
            };
            using var proxy = new FaultProxy(TestStorage.Server.BlobEndpoint, plan);
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("Hopeless");
            var containerName = session.InitializeJob(jobId);
            session.Folder.WriteRandomFile("result.bin", 70_000, seed: 5);
            if (direction == "download")
            {
                session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path result.bin | Out-Null", ("JobId", jobId)).ThrowIfFailed();
            }

            session.ConnectAt(proxy.BlobEndpoint);

            PSResult result;
            if (direction == "save")
            {
                result = session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path result.bin", ("JobId", jobId));
                // A reset after the server applied an upload may leave the blob stored (the client never heard); whatever
                // is stored is the file exactly. Corrupted content is refused by the service, so it is never stored.
                var stored = ProxiedStorage.HashContainer(containerName);
                Assert.All(stored, p => Assert.Equal(TempFolder.Sha256(session.Folder.Combine("result.bin")), p.Value));
                if (kind != FaultKind.Reset)
                {
                    Assert.Empty(stored);
                }
            }
            else
            {
                result = session.Run("Get-BatchTaskOutput -JobId $JobId -TaskId t1 -Destination dl", ("JobId", jobId));
                var dl = session.Folder.Combine("dl");
                Assert.Empty(Directory.Exists(dl) ? Directory.GetFiles(dl, "*", SearchOption.AllDirectories) : Array.Empty<string>());
            }

            var error = result.SingleError();
            _output.WriteLine($"{direction} with every attempt {kind}: {proxy.Describe()}");
            _output.WriteLine($"  -> {error.FullyQualifiedErrorId} [{error.CategoryInfo.Category}] {error}");
            Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
            Assert.Equal(category, error.CategoryInfo.Category);
            Assert.Contains(phrase, error.ToString());
            Assert.Contains("result.bin", error.ToString());
            Assert.Empty(result.Output);
            Assert.True(proxy.FaultsByKind[kind] >= 3, $"expected the module to try at least 3 times, the proxy saw {proxy.FaultsByKind[kind]} {kind}");
        }
    }
}
