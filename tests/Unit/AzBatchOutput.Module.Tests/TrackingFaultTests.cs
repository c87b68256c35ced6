using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Threading;
using AzBatchOutput.Module.Tests.Faults;
using AzBatchOutput.Module.Tests.Infrastructure;
using AzBatchOutput.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>
    /// Appends through a proxy that cuts connections (before the server sees the append, or after it applied it and before
    /// the answer), answers 503, and flips a byte of the content: the SDK retries, a retry of an append that had landed
    /// meets the append-position condition (412) and is recognised as landed by the blob's length, and corrupted content is
    /// refused by its MD5. The blob still equals the file, with no byte stored twice.
    /// </summary>
    public class TrackingFaultTests
    {
        private readonly ITestOutputHelper _output;

        public TrackingFaultTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Fact]
        public void AppendsCutOffBeforeOrAfterTheServerAreNeverStoredTwice()
        {
            // Seed 19 at rate 0.4 cuts the 2nd and 4th append request after the server applied it (so the SDK's retry meets
            // the append-position condition), the 5th before it, and answers the 6th with 503; then more at random.
            var plan = new FaultPlan(seed: 19, rate: 0.4, FaultKind.Reset, FaultKind.Status503) { Applies = IsAppend, Enabled = false };
            var (final, fileBytes, proxy) = TrackThroughFaults(plan, TimeSpan.FromSeconds(8));
            using (proxy)
            {
                var resyncs = proxy.Requests.Count(r => r.Method == "HEAD");
                _output.WriteLine($"length reads after a 412: {resyncs}");
                Assert.True(proxy.FaultsByKind[FaultKind.Reset] >= 2, proxy.Describe());
                Assert.True(resyncs >= 1, "no retried append met the append-position condition: " + proxy.Describe());
                Assert.Equal(fileBytes.Length, final.Long("BytesUploaded"));
                Assert.Equal(0L, final.Long("RestartCount"));
            }
        }

        /// <summary>
        /// A task's default SAS (create, write, add) cannot read the blob's length, so a retried append that meets the
        /// append-position condition cannot be told landed: the blob is written again from the file's start, and says why.
        /// </summary>
        [Fact]
        public void WithAWriteOnlySasAnUnconfirmedAppendRestartsTheBlobAndSaysWhy()
        {
            var plan = new FaultPlan(seed: 19, rate: 0.4, FaultKind.Reset) { Applies = IsAppend, Enabled = false };
            var (final, fileBytes, proxy) = TrackThroughFaults(plan, TimeSpan.FromSeconds(4), writeOnlySas: true);
            using (proxy)
            {
                Assert.True(final.Long("RestartCount") >= 1, proxy.Describe());
                Assert.Contains(_warnings, w => w.Contains("may have landed before its answer was lost") && w.Contains("a SAS without read"));
                Assert.DoesNotContain(_warnings, w => w.Contains("something other than this tracker"));
            }
        }

        [Fact]
        public void AppendsCorruptedOnTheWayAreRefusedAndSentAgain()
        {
            var plan = new FaultPlan(seed: 5, rate: 0.5, FaultKind.FlipRequestByte) { Applies = IsAppend, Enabled = false };
            var (final, fileBytes, proxy) = TrackThroughFaults(plan, TimeSpan.FromSeconds(5));
            using (proxy)
            {
                Assert.True(proxy.FaultsByKind[FaultKind.FlipRequestByte] >= 1, proxy.Describe());
                Assert.Equal(fileBytes.Length, final.Long("BytesUploaded"));
                Assert.Equal(0L, final.Long("RestartCount"));
            }
        }

        private static bool IsAppend(ProxiedRequest request) => request.Method == "PUT" && request.Query.Split('&').Contains("comp=appendblock");

        /// <summary>Tracks a file written for a while through a proxy with this plan; checks that blob and file end equal.</summary>
        private readonly System.Collections.Generic.List<string> _warnings = new System.Collections.Generic.List<string>();

        private (PSObject Final, byte[] File, FaultProxy Proxy) TrackThroughFaults(FaultPlan plan, TimeSpan writeFor, bool writeOnlySas = false)
        {
            var proxy = new FaultProxy(TestStorage.Server.BlobEndpoint, plan);
            using var session = ModuleSession.Start(connect: false);
            var connection = $"DefaultEndpointsProtocol=http;AccountName={AzuriteServer.WellKnownAccountName};" +
                             $"AccountKey={AzuriteServer.WellKnownAccountKey};BlobEndpoint={proxy.BlobEndpoint};";
            session.Run("Connect-BatchOutputStorage -ConnectionString $Cs | Out-Null", ("Cs", connection)).ThrowIfFailed();
            var jobId = TestStorage.NewJobId("TrackFaults");
            var container = session.InitializeJob(jobId);
            if (writeOnlySas)
            {
                session.Run("Connect-BatchOutputStorage -ContainerUrl (New-BatchJobOutputSas -JobId $JobId).Url | Out-Null", ("JobId", jobId)).ThrowIfFailed();
            }

            var file = session.Folder.Combine("stdout.txt");
            var tracker = session.StartTracking(file, jobId, "t1", "-FlushInterval 1");

            plan.Enabled = true;
            var random = new Random(99);
            var clock = Stopwatch.StartNew();
            var writes = 0;
            while (clock.Elapsed < writeFor)
            {
                TrackingTestKit.Append(file, TrackingTestKit.Lines(random, random.Next(1, 20_000)));
                writes++;
                Thread.Sleep(random.Next(10, 120));
            }

            TrackingTestKit.WaitForBlobLength(tracker, new FileInfo(file).Length, TimeSpan.FromSeconds(60));
            plan.Enabled = false;
            var stopped = session.StopTracking(tracker).ThrowIfFailed();
            var final = stopped.Output.Single();
            var fileBytes = File.ReadAllBytes(file);
            TrackingTestKit.AssertSameBytes(fileBytes, TrackingTestKit.BlobBytes(container, "t1/$TaskLog/stdout.txt"), "through faults");
            var appends = proxy.Requests.Count(IsAppend);
            _output.WriteLine($"{writes} writes, file {fileBytes.Length:N0} bytes; BytesUploaded {final.Long("BytesUploaded"):N0}, FlushCount {final.Long("FlushCount")}, " +
                              $"FailedFlushCount {final.Long("FailedFlushCount")}, RestartCount {final.Long("RestartCount")}; append requests {appends}");
            _output.WriteLine($"proxy: {proxy.Describe()}");
            foreach (var warning in stopped.WarningTexts())
            {
                _output.WriteLine("warning: " + warning);
                _warnings.Add(warning);
            }

            return (final, fileBytes, proxy);
        }
    }
}
