using System;
using System.IO;
using System.Linq;
using System.Text;
using AzBatchOutput.Module.Tests.Infrastructure;
using Xunit;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>Invoke-BatchTaskCommand: a task's work with logs tracked, outputs saved by exit code, and the exit code handed on.</summary>
    public class TaskCommandTests
    {
        private static (ModuleSession Session, string JobId, Azure.Storage.Blobs.BlobContainerClient Container) NewJob()
        {
            var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("TaskCmd");
            var container = TestStorage.Sdk.GetBlobContainerClient(session.InitializeJob(jobId));
            return (session, jobId, container);
        }

        private static string Text(Azure.Storage.Blobs.BlobContainerClient container, string blob) =>
            Encoding.UTF8.GetString(container.GetBlobClient(blob).DownloadContent().Value.Content.ToArray());

        private static string[] Names(Azure.Storage.Blobs.BlobContainerClient container) =>
            container.GetBlobs().Select(b => b.Name).OrderBy(n => n, StringComparer.Ordinal).ToArray();

        private const string Work = "echo rendering; echo warning: low memory 1>&2; mkdir -p out; echo pixels > out/frame.png; echo thumb > small.png; exit $0";

        [Theory]
        [InlineData(0)]
        [InlineData(3)]
        public void OutputsAreSavedOnlyOnSuccessAndLogsAlways(int exitCode)
        {
            var (session, jobId, container) = NewJob();
            using (session)
            {
                var result = session.Run(
                    "Invoke-BatchTaskCommand -FilePath /bin/sh -ArgumentList '-c', $Work, $Code -JobId $JobId -TaskId render-1 -OutputPath out -PreviewPath small.png -UploadCondition TaskSuccess; $LASTEXITCODE",
                    ("Work", Work), ("Code", exitCode.ToString()), ("JobId", jobId));
                var summary = result.Output[0];
                Assert.Equal(exitCode, (int)summary.Prop("ExitCode"));
                Assert.Equal(exitCode, Convert.ToInt32(result.Output[1].BaseObject));

                Assert.Equal("rendering\n", Text(container, "render-1/$TaskLog/stdout.txt"));
                Assert.Equal("warning: low memory\n", Text(container, "render-1/$TaskLog/stderr.txt"));
                if (exitCode == 0)
                {
                    result.ThrowIfFailed();
                    Assert.Equal(new[] { "render-1/$TaskLog/stderr.txt", "render-1/$TaskLog/stdout.txt", "render-1/$TaskOutput/frame.png", "render-1/$TaskPreview/small.png" }, Names(container));
                    Assert.Equal(2, ((System.Collections.IEnumerable)summary.Prop("Outputs")).Cast<object>().Count());
                }
                else
                {
                    Assert.Equal(new[] { "render-1/$TaskLog/stderr.txt", "render-1/$TaskLog/stdout.txt" }, Names(container));
                    var error = result.SingleError();
                    Assert.StartsWith("TaskCommandFailed,", error.FullyQualifiedErrorId);
                    Assert.Contains("exited with code 3", error.ToString());
                }
            }
        }

        /// <summary>A program that can't be started says why, with the fix that fits: a missing program is not an unexecutable one.</summary>
        [Theory]
        [InlineData("./render.sh", "CommandNotExecutable", System.Management.Automation.ErrorCategory.PermissionDenied, "chmod +x")]
        [InlineData("./missing.sh", "CommandNotFound", System.Management.Automation.ErrorCategory.ObjectNotFound, "no such program")]
        [InlineData("no-such-program-on-path", "CommandNotFound", System.Management.Automation.ErrorCategory.ObjectNotFound, "a name on PATH")]
        [InlineData("./scenes", "CommandNotExecutable", System.Management.Automation.ErrorCategory.InvalidArgument, "it is a folder, not a program")]
        public void AProgramThatCannotStartSaysWhy(string filePath, string errorId, System.Management.Automation.ErrorCategory category, string phrase)
        {
            var (session, jobId, container) = NewJob();
            using (session)
            {
                // As a resource file arrives on a node: a script without its execute bit (which stops root too).
                var script = Path.Combine(session.Folder.Path, "render.sh");
                File.WriteAllText(script, "#!/bin/sh\necho rendered > out.txt\n");
                File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
                Directory.CreateDirectory(Path.Combine(session.Folder.Path, "scenes"));

                var result = session.Run("Invoke-BatchTaskCommand -FilePath $Program -JobId $JobId -TaskId t1 -OutputPath out.txt", ("Program", filePath), ("JobId", jobId));
                var error = result.SingleError();
                Assert.Equal(errorId + ",AzBatchOutput.Cmdlets.InvokeBatchTaskCommandCommand", error.FullyQualifiedErrorId);
                Assert.Equal(category, error.CategoryInfo.Category);
                Assert.Contains(phrase, error.ToString());
                Assert.False(File.Exists(Path.Combine(session.Folder.Path, "out.txt")));
                Assert.DoesNotContain(Names(container), n => n.Contains("$TaskOutput"));
            }
        }

        /// <summary>Ctrl+C stops the command; its logs so far still get their final flush, and no tracker outlives it.</summary>
        [Fact]
        public void AnInterruptedTaskCommandLeavesNoTrackerRunning()
        {
            var (session, jobId, container) = NewJob();
            using (session)
            {
                session.SetVariable("JobId", jobId);
                using (var shell = System.Management.Automation.PowerShell.Create())
                {
                    shell.Runspace = session.Runspace;
                    shell.AddScript("Invoke-BatchTaskCommand -FilePath /bin/sh -ArgumentList '-c', 'echo started; sleep 60' -JobId $JobId -TaskId long -FlushInterval 60");
                    var running = shell.BeginInvoke();
                    var stdout = Path.Combine(session.Folder.Path, "stdout.txt");
                    var clock = System.Diagnostics.Stopwatch.StartNew();
                    while (!(File.Exists(stdout) && Encoding.UTF8.GetString(TrackingTestKit.ReadShared(stdout)).Contains("started")))
                    {
                        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the command did not start");
                        System.Threading.Thread.Sleep(50);
                    }

                    // Ctrl+C ends the shell's child too (sleep would hold the output pipe for a minute).
                    clock.Restart();
                    shell.Stop();
                    Assert.True(running.IsCompleted);
                    Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"stopping took {clock.Elapsed.TotalSeconds:0.0} s");
                }

                // The flush interval is a minute: what reached the blob came from the final flush on Ctrl+C.
                Assert.Equal("started\n", Text(container, "long/$TaskLog/stdout.txt"));
                Assert.Empty(session.Run("Stop-BatchTaskOutputTracking -All -PassThru").ThrowIfFailed().Output);
            }
        }

        [Fact]
        public void WhenStderrCannotBeTrackedStdoutsTrackerStopsToo()
        {
            var (session, jobId, container) = NewJob();
            using (session)
            {
                session.Folder.WriteRandomFile("other.log", 3);
                session.Run("Start-BatchTaskOutputTracking -Path other.log -DestinationPath stderr.txt -JobId $JobId -TaskId t1 | Out-Null", ("JobId", jobId)).ThrowIfFailed();

                var result = session.Run("Invoke-BatchTaskCommand -FilePath /bin/sh -ArgumentList '-c', 'echo ran > ran.txt' -JobId $JobId -TaskId t1");
                Assert.StartsWith("TrackerAlreadyRunning,", result.SingleError().FullyQualifiedErrorId);
                Assert.False(File.Exists(Path.Combine(session.Folder.Path, "ran.txt")));

                var left = session.Run("Stop-BatchTaskOutputTracking -All -PassThru").ThrowIfFailed().Output;
                Assert.Equal("t1/$TaskLog/stderr.txt", Assert.Single(left).Prop("BlobName"));
            }
        }

        [Fact]
        public void ALogFolderThatCannotBeWrittenStopsBeforeTheCommandRuns()
        {
            var (session, jobId, container) = NewJob();
            using (session)
            {
                session.Folder.WriteRandomFile("not-a-folder", 3);
                var result = session.Run("Invoke-BatchTaskCommand -ScriptBlock { 'ran' > ran.txt } -LogDirectory not-a-folder/logs -JobId $JobId -TaskId t1", ("JobId", jobId));
                var error = result.SingleError();
                Assert.Equal("LogFolderNotWritable,AzBatchOutput.Cmdlets.InvokeBatchTaskCommandCommand", error.FullyQualifiedErrorId);
                Assert.Equal(System.Management.Automation.ErrorCategory.WriteError, error.CategoryInfo.Category);
                Assert.Contains("-LogDirectory", error.ToString());
                Assert.False(File.Exists(Path.Combine(session.Folder.Path, "ran.txt")));
                Assert.Empty(Names(container));
            }
        }

        [Fact]
        public void FailureOutputsAreSavedOnlyOnFailure()
        {
            var (session, jobId, container) = NewJob();
            using (session)
            {
                session.Run("Invoke-BatchTaskCommand -FilePath /bin/sh -ArgumentList '-c', $Work, 0 -JobId $JobId -TaskId ok -IntermediatePath out -UploadCondition TaskFailure | Out-Null",
                    ("Work", Work), ("JobId", jobId)).ThrowIfFailed();
                session.Run("Invoke-BatchTaskCommand -FilePath /bin/sh -ArgumentList '-c', $Work, 2 -JobId $JobId -TaskId bad -IntermediatePath out -UploadCondition TaskFailure | Out-Null");
                var names = Names(container);
                Assert.DoesNotContain("ok/$TaskIntermediate/frame.png", names);
                Assert.Contains("bad/$TaskIntermediate/frame.png", names);
            }
        }

        [Fact]
        public void AScriptBlocksOutputAndErrorsBecomeItsLogs()
        {
            var (session, jobId, container) = NewJob();
            using (session)
            {
                var result = session.Run("Invoke-BatchTaskCommand -ScriptBlock { param($n) \"frame $n\"; [int]::Parse('disk almost full') } -ArgumentList 7 -JobId $JobId -TaskId script-1 -OutputPath nothing-here",
                    ("JobId", jobId));
                Assert.Equal(1, (int)result.Output.Single().Prop("ExitCode"));
                Assert.Equal("frame 7\n", Text(container, "script-1/$TaskLog/stdout.txt").Replace("\r\n", "\n"));
                Assert.Contains("disk almost full", Text(container, "script-1/$TaskLog/stderr.txt"));
                Assert.StartsWith("TaskCommandFailed,", result.SingleError().FullyQualifiedErrorId);
            }
        }

        [Fact]
        public void AScriptBlocksHostLinesWarningsAndVerboseGoToStdoutAsPwshPrintsThem()
        {
            var (session, jobId, container) = NewJob();
            using (session)
            {
                // What Write-Host, Write-Warning, Write-Verbose and Write-Information do (Microsoft.PowerShell.Utility, not in
                // this engine): records on the information, warning and verbose streams. The hidden ones stay out.
                var result = session.Run(@"Invoke-BatchTaskCommand -JobId $JobId -TaskId s-streams -ScriptBlock {
                    [CmdletBinding()] param()
                    function Host-Line($text, [switch] $NoNewline) {
                        $PSCmdlet.WriteInformation([System.Management.Automation.HostInformationMessage]@{ Message = $text; NoNewLine = $NoNewline.IsPresent }, [string[]] 'PSHOST')
                    }
                    'output line'
                    Host-Line 'rendering ' -NoNewline
                    Host-Line 'frame 7'
                    $PSCmdlet.WriteWarning('disk almost full')
                    $PSCmdlet.WriteVerbose('not shown: verbose is off')
                    $PSCmdlet.WriteInformation('not shown: information is off', [string[]] @())
                    $VerbosePreference = 'Continue'
                    $PSCmdlet.WriteVerbose('step 2 of 3')
                }", ("JobId", jobId)).ThrowIfFailed();
                Assert.Equal(0, (int)result.Output.Single().Prop("ExitCode"));
                Assert.Equal("output line\nrendering frame 7\nWARNING: disk almost full\nVERBOSE: step 2 of 3\n",
                    Text(container, "s-streams/$TaskLog/stdout.txt").Replace("\r\n", "\n"));
                Assert.Equal("", Text(container, "s-streams/$TaskLog/stderr.txt"));

                session.Run(@"Invoke-BatchTaskCommand -JobId $JobId -TaskId s-info -InformationAction Continue -ScriptBlock {
                    [CmdletBinding()] param()
                    $PSCmdlet.WriteInformation('shown: information is on', [string[]] @())
                }", ("JobId", jobId)).ThrowIfFailed();
                Assert.Equal("shown: information is on\n", Text(container, "s-info/$TaskLog/stdout.txt").Replace("\r\n", "\n"));
            }
        }

        [Fact]
        public void ExitInAScriptBlockIsItsExitCode()
        {
            var (session, jobId, container) = NewJob();
            using (session)
            {
                var result = session.Run("Invoke-BatchTaskCommand -ScriptBlock { 'partial'; exit 4 } -JobId $JobId -TaskId s4 -NoExit", ("JobId", jobId));
                Assert.Equal(4, (int)result.Output.Single().Prop("ExitCode"));
                Assert.Equal("partial\n", Text(container, "s4/$TaskLog/stdout.txt").Replace("\r\n", "\n"));
            }
        }

        [Theory]
        [InlineData(0)]
        [InlineData(3)]
        public void TheExitCodeBecomesThePowerShellProcesssExitCode(int exitCode)
        {
            var jobId = TestStorage.NewJobId("ExitCode");
            string container;
            using (var admin = ModuleSession.Start())
            {
                container = admin.InitializeJob(jobId);
            }

            using var folder = new TempFolder();
            var script = $"$ExecutionContext.SessionState.Path.SetLocation('{folder.Path}') | Out-Null; Import-Module '{AzBatchOutput.TestSupport.RepoPaths.ModuleFolder}'; " +
                         $"Connect-BatchOutputStorage -ConnectionString $env:TEST_CS | Out-Null; " +
                         $"Invoke-BatchTaskCommand -FilePath /bin/sh -ArgumentList '-c', 'echo done; exit {exitCode}' -JobId '{jobId}' -TaskId t1";
            using var child = TestHostProcess.Start(script, new System.Collections.Generic.Dictionary<string, string> { ["TEST_CS"] = TestStorage.ConnectionString });
            Assert.Equal(exitCode, child.WaitForExit(TimeSpan.FromSeconds(120)));
            var log = TestStorage.Sdk.GetBlobContainerClient(container).GetBlobClient("t1/$TaskLog/stdout.txt");
            Assert.Equal("done\n", Encoding.UTF8.GetString(log.DownloadContent().Value.Content.ToArray()));
        }
    }
}
