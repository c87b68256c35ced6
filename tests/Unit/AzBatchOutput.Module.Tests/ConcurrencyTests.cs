using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;
using AzBatchOutput.Module.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>Thirty-two sessions, as on a pool's nodes, each with the module imported and connected.</summary>
    public sealed class ConcurrentSessions : IDisposable
    {
        public const int Count = 32;

        public ConcurrentSessions()
        {
            var sessions = new ModuleSession[Count];
            Parallel.For(0, Count, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => sessions[i] = ModuleSession.Start());
            Sessions = sessions;
        }

        public IReadOnlyList<ModuleSession> Sessions { get; }

        public void Dispose()
        {
            foreach (var session in Sessions)
            {
                session.Dispose();
            }
        }
    }

    /// <summary>Many sessions at once against one job: nothing lost, nothing doubled, every answer consistent.</summary>
    public class ConcurrencyTests : IClassFixture<ConcurrentSessions>
    {
        private readonly ConcurrentSessions _fixture;
        private readonly ITestOutputHelper _output;

        public ConcurrencyTests(ConcurrentSessions fixture, ITestOutputHelper output)
        {
            _fixture = fixture;
            _output = output;
        }

        /// <summary>Runs one script per session, all released at the same moment, each on its own thread.</summary>
        private static PSResult[] AllAtOnce(IReadOnlyList<ModuleSession> sessions, Func<int, string> script, params (string Name, object Value)[] variables)
        {
            var results = new PSResult[sessions.Count];
            using var start = new Barrier(sessions.Count);
            var threads = Enumerable.Range(0, sessions.Count).Select(i => new Thread(() =>
            {
                start.SignalAndWait();
                results[i] = sessions[i].Run(script(i), variables);
            })).ToList();
            threads.ForEach(t => t.Start());
            threads.ForEach(t => t.Join());
            return results;
        }

        [Fact]
        public void ThirtyTwoSessionsSavingToOneJobAtOnceLoseNothing()
        {
            const int filesPerTask = 20;
            var sessions = _fixture.Sessions;
            var jobId = TestStorage.NewJobId("Crowd");
            var containerName = sessions[0].InitializeJob(jobId);
            var expected = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < sessions.Count; i++)
            {
                for (var f = 0; f < filesPerTask; f++)
                {
                    var file = sessions[i].Folder.WriteRandomFile($"crowd/f{f:D2}.bin", 1000 + (i * 37 + f * 101) % 5000, seed: i * 1000 + f + 1);
                    expected[$"t{i:D2}/$TaskOutput/f{f:D2}.bin"] = Md5(file);
                }
            }

            var clock = Stopwatch.StartNew();
            var results = AllAtOnce(sessions, i => $"Save-BatchTaskOutput -JobId $JobId -TaskId t{i:D2} -Path crowd -ThrottleLimit 8", ("JobId", jobId));
            var seconds = clock.Elapsed.TotalSeconds;

            var errors = results.SelectMany(r => r.AllErrors).Select(e => e.FullyQualifiedErrorId + ": " + e).ToList();
            var stored = TestStorage.Sdk.GetBlobContainerClient(containerName).GetBlobs()
                .ToDictionary(b => b.Name, b => Convert.ToHexString(b.Properties.ContentHash ?? Array.Empty<byte>()), StringComparer.Ordinal);
            var missing = expected.Keys.Count(k => !stored.ContainsKey(k));
            var wrong = expected.Count(p => stored.TryGetValue(p.Key, out var hash) && hash != p.Value);
            _output.WriteLine($"{sessions.Count} sessions x {filesPerTask} files in {seconds:0.0} s: errors {errors.Count}, outputs {results.Sum(r => r.Output.Count)}, blobs {stored.Count}, missing {missing}, wrong {wrong}");

            Assert.Empty(errors);
            Assert.All(results, r => Assert.Equal(filesPerTask, r.Output.Count));
            Assert.Equal(sessions.Count * filesPerTask, stored.Count);
            Assert.Equal(0, missing);
            Assert.Equal(0, wrong);
            Assert.Equal(expected.Keys.OrderBy(k => k, StringComparer.Ordinal), stored.Keys.OrderBy(k => k, StringComparer.Ordinal));
        }

        [Fact]
        public void SixteenSimultaneousInitializationsOfOneJobAllSucceedAndOneCreates()
        {
            var sessions = _fixture.Sessions.Take(16).ToList();
            var jobId = TestStorage.NewJobId("Race");
            var results = AllAtOnce(sessions, _ => "Initialize-BatchJobOutputStorage -JobId $JobId", ("JobId", jobId));

            Assert.Empty(results.SelectMany(r => r.AllErrors).Select(e => e.FullyQualifiedErrorId + ": " + e));
            var outputs = results.Select(r => r.Output.Single()).ToList();
            var created = outputs.Count(o => (bool)o.Prop("Created"));
            _output.WriteLine($"16 simultaneous Initialize-BatchJobOutputStorage: {outputs.Count} succeeded, {created} reported Created");
            Assert.Equal(1, created);
            Assert.Single(outputs.Select(o => o.Str("ContainerName")).Distinct());
            Assert.True(TestStorage.Sdk.GetBlobContainerClient(outputs[0].Str("ContainerName")).Exists().Value);
        }

        [Fact]
        public void TwoTrackersOnOneBlobAreRefusedClearly()
        {
            var sessions = _fixture.Sessions.Skip(16).Take(2).ToList();
            var jobId = TestStorage.NewJobId("TwoTrackers");
            var containerName = sessions[0].InitializeJob(jobId);
            foreach (var session in sessions)
            {
                session.Folder.WriteFile("app.log", System.Text.Encoding.UTF8.GetBytes("started\n"));
            }

            // Both sessions start tracking their own app.log into the same blob at the same moment.
            var results = AllAtOnce(sessions, _ => "Start-BatchTaskOutputTracking -Path app.log -JobId $JobId -TaskId t1 -FlushInterval 1", ("JobId", jobId));
            try
            {
                var winners = results.Where(r => !r.AllErrors.Any()).ToList();
                var losers = results.Where(r => r.AllErrors.Any()).ToList();
                foreach (var error in losers.SelectMany(r => r.AllErrors))
                {
                    _output.WriteLine($"{error.FullyQualifiedErrorId} [{error.CategoryInfo.Category}] {error}");
                }

                Assert.Single(winners);
                var refusal = Assert.Single(losers).SingleError();
                Assert.StartsWith("TrackerAlreadyRunning,", refusal.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.ResourceBusy, refusal.CategoryInfo.Category);
                Assert.Contains("Stop-BatchTaskOutputTracking", refusal.ToString());
                Assert.Contains("t1/$TaskLog/app.log", refusal.ToString());
                Assert.Empty(losers.Single().Output);
            }
            finally
            {
                foreach (var session in sessions)
                {
                    session.Run("Stop-BatchTaskOutputTracking -All -GracePeriod 0").ThrowIfFailed();
                }
            }

            var blob = TestStorage.Sdk.GetBlobContainerClient(containerName).GetBlobClient("t1/$TaskLog/app.log");
            Assert.Equal("started\n", blob.DownloadContent().Value.Content.ToString());
        }

        private static string Md5(string file)
        {
            using var md5 = MD5.Create();
            using var stream = System.IO.File.OpenRead(file);
            return Convert.ToHexString(md5.ComputeHash(stream));
        }
    }
}
