using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using AzBatchOutput.Module.Tests.Infrastructure;
using AzBatchOutput.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>
    /// A task's PowerShell process that tracks its own log, in a child process (tests/Unit/AzBatchOutput.TestHost, a
    /// stand-in for pwsh): killed outright it loses at most about one interval; ending in any other way (the script ends,
    /// exit, [Environment]::Exit, Ctrl+C, SIGTERM) it loses nothing, because the final flush runs when the runspace closes or
    /// the process exits.
    /// </summary>
    public class TrackingProcessTests
    {
        private static readonly TimeSpan ChildStartTimeout = TimeSpan.FromSeconds(90);
        private readonly ITestOutputHelper _output;

        public TrackingProcessTests(ITestOutputHelper output)
        {
            _output = output;
        }

        [Fact]
        public void KilledProcessLosesAtMostAboutOneInterval()
        {
            var (jobId, container, folder) = NewJob("TrackKill");
            using (folder)
            {
                var file = folder.Combine("stdout.txt");
                using var child = TestHostProcess.Start(Script(
                    "$t = Start-BatchTaskOutputTracking -Path $env:AZBO_FILE -JobId $env:AZBO_JOB -TaskId killed -FlushInterval 1 -ErrorAction Stop",
                    "[Console]::WriteLine('tracking')",
                    "$i = 0",
                    "while ($true) { $i++; [IO.File]::AppendAllText($env:AZBO_FILE, ('line {0} ' -f $i) + ('x' * ($i % 300)) + [char]10); [Threading.Thread]::Sleep(10) }"),
                    Environment(jobId, file));
                child.WaitForOutput("tracking", ChildStartTimeout);

                // Sample the file's length while the child writes, so we know what it had written when.
                var lengths = new List<(TimeSpan At, long Length)>();
                var clock = Stopwatch.StartNew();
                while (clock.Elapsed < TimeSpan.FromSeconds(5))
                {
                    lengths.Add((clock.Elapsed, File.Exists(file) ? new FileInfo(file).Length : 0));
                    Thread.Sleep(50);
                }

                var killedAt = clock.Elapsed;
                child.Kill();
                var fileBytes = File.ReadAllBytes(file);
                var blobBytes = TrackingTestKit.BlobBytes(container, "killed/$TaskLog/stdout.txt");

                TrackingTestKit.AssertPrefix(blobBytes, fileBytes, "after the kill");
                var twoSecondsBefore = lengths.Last(l => l.At <= killedAt - TimeSpan.FromSeconds(2)).Length;
                var oneSecondBefore = lengths.Last(l => l.At <= killedAt - TimeSpan.FromSeconds(1)).Length;
                _output.WriteLine($"file at kill {fileBytes.Length:N0} bytes, blob {blobBytes.Length:N0} bytes, lost {fileBytes.Length - blobBytes.Length:N0} bytes; " +
                                  $"written 1 s before the kill {oneSecondBefore:N0}, 2 s before {twoSecondsBefore:N0}");
                Assert.True(blobBytes.Length >= twoSecondsBefore,
                    $"the blob has {blobBytes.Length} bytes, less than the {twoSecondsBefore} the file had 2 s before the kill (interval 1 s)");
                Assert.True(blobBytes.Length > 0);
            }
        }

        [Theory]
        [InlineData("exit 3", 3)]
        [InlineData("'script ends without Stop'", 0)]
        [InlineData("[Environment]::Exit(4)", 4)]
        public void EndingTheProcessWithoutStopStillDoesTheFinalFlush(string ending, int exitCode)
        {
            var (jobId, container, folder) = NewJob("TrackExit");
            using (folder)
            {
                var file = folder.Combine("stdout.txt");

                // A long interval: after the first flush nothing more is sent unless the final flush happens.
                using var child = TestHostProcess.Start(Script(
                    "$t = Start-BatchTaskOutputTracking -Path $env:AZBO_FILE -JobId $env:AZBO_JOB -TaskId ending -FlushInterval 600 -ErrorAction Stop",
                    "[Threading.Thread]::Sleep(300)",
                    "1..200 | ForEach-Object { [IO.File]::AppendAllText($env:AZBO_FILE, \"line $_ of the task's output`n\") }",
                    ending),
                    Environment(jobId, file));
                var code = child.WaitForExit(ChildStartTimeout);
                Assert.True(exitCode == code, $"exit code {code}, expected {exitCode}\nstdout:\n{child.StandardOutput}\nstderr:\n{child.StandardError}");
                TrackingTestKit.AssertSameBytes(File.ReadAllBytes(file), TrackingTestKit.BlobBytes(container, "ending/$TaskLog/stdout.txt"), ending);
            }
        }

        [Theory]
        [InlineData("INT")]
        [InlineData("TERM")]
        public void CtrlCAndSigtermStillDoTheFinalFlush(string signal)
        {
            if (!RuntimeInformation.IsOSPlatform(OSPlatform.Linux))
            {
                return; // POSIX signals; Windows has no kill(1)
            }

            var (jobId, container, folder) = NewJob("TrackSignal");
            using (folder)
            {
                var file = folder.Combine("stdout.txt");
                using var child = TestHostProcess.Start(Script(
                    "$t = Start-BatchTaskOutputTracking -Path $env:AZBO_FILE -JobId $env:AZBO_JOB -TaskId signalled -FlushInterval 600 -ErrorAction Stop",
                    "[Threading.Thread]::Sleep(300)",
                    "1..300 | ForEach-Object { [IO.File]::AppendAllText($env:AZBO_FILE, \"line $_`n\") }",
                    "[Console]::WriteLine('written')",
                    "while ($true) { [Threading.Thread]::Sleep(50) }"),
                    Environment(jobId, file));
                child.WaitForOutput("written", ChildStartTimeout);
                child.Signal(signal);
                var code = child.WaitForExit(TimeSpan.FromSeconds(30));
                _output.WriteLine($"SIG{signal}: exit code {code}");
                TrackingTestKit.AssertSameBytes(File.ReadAllBytes(file), TrackingTestKit.BlobBytes(container, "signalled/$TaskLog/stdout.txt"), "SIG" + signal);
            }
        }

        [Fact]
        public void ClosingTheRunspaceDoesTheFinalFlush()
        {
            var (jobId, container, folder) = NewJob("TrackClose");
            using (folder)
            {
                var session = ModuleSession.Start();
                var file = session.Folder.WriteRandomFile("stdout.txt", 1_000);
                var tracker = session.StartTracking(file, jobId, "closing", "-FlushInterval 600");
                TrackingTestKit.WaitForBlobLength(tracker, 1_000);
                TrackingTestKit.Append(file, TrackingTestKit.Lines(new Random(5), 5_000));
                var expected = File.ReadAllBytes(file);

                // A host closing its runspace (a pwsh session ending, a ForEach-Object -Parallel runspace, a job) without Stop.
                session.Runspace.Close();
                Assert.Equal("Stopped", tracker.Str("State"));
                TrackingTestKit.AssertSameBytes(expected, TrackingTestKit.BlobBytes(container, "closing/$TaskLog/stdout.txt"), "after the runspace closed");
                session.Dispose();
            }
        }

        private static string Script(params string[] lines) =>
            string.Join("\n", new[]
            {
                "$ErrorActionPreference = 'Stop'",
                "Import-Module $env:AZBO_MODULE",
                "Connect-BatchOutputStorage -ConnectionString $env:AZBO_STORAGE | Out-Null",
            }.Concat(lines));

        private static Dictionary<string, string> Environment(string jobId, string file) => new Dictionary<string, string>
        {
            ["AZBO_MODULE"] = RepoPaths.ModuleFolder,
            ["AZBO_STORAGE"] = TestStorage.ConnectionString,
            ["AZBO_JOB"] = jobId,
            ["AZBO_FILE"] = file,
        };

        private static (string JobId, string Container, TempFolder Folder) NewJob(string stem)
        {
            using var admin = ModuleSession.Start();
            var jobId = TestStorage.NewJobId(stem);
            return (jobId, admin.InitializeJob(jobId), new TempFolder());
        }
    }
}
