using System;
using System.Collections.Generic;
using AzBatchOutput.Module.Tests.Infrastructure;
using Xunit;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>
    /// What a person sees: the module's default views as PowerShell renders them to a console (the TestHost child
    /// process formats output with Out-Default, as pwsh does).
    /// </summary>
    public class FormatTests
    {
        private readonly Xunit.Abstractions.ITestOutputHelper _output;

        public FormatTests(Xunit.Abstractions.ITestOutputHelper output) => _output = output;

        [Fact]
        public void OutputsShowAsATableGroupedByJobAndTaskAndContextsHideTheirSecret()
        {
            var jobId = TestStorage.NewJobId("Format");
            using var folder = new TempFolder();
            folder.WriteRandomFile("frames/f1.png", 1536);
            folder.WriteRandomFile("stdout.txt", 10);
            var script = $"$ExecutionContext.SessionState.Path.SetLocation('{folder.Path}') | Out-Null; Import-Module '{AzBatchOutput.TestSupport.RepoPaths.ModuleFolder}'; " +
                         "Connect-BatchOutputStorage -ConnectionString $env:TEST_CS; " +
                         $"Initialize-BatchJobOutputStorage -JobId '{jobId}' | Out-Null; " +
                         $"Save-BatchTaskOutput -JobId '{jobId}' -TaskId t1 -Kind TaskPreview -Path frames | Out-Null; " +
                         $"Save-BatchTaskOutput -JobId '{jobId}' -TaskId t2 -Kind TaskLog -Path stdout.txt | Out-Null; " +
                         // As typed at a prompt, one command a line; then the same objects mixed in one pipeline, as a script writes them.
                         $"Get-BatchTaskOutput -JobId '{jobId}' | Out-Default; New-BatchJobOutputSas -JobId '{jobId}' | Out-Default; " +
                         $"'--- mixed ---'; Get-BatchTaskOutput -JobId '{jobId}' -TaskId t1; New-BatchJobOutputSas -JobId '{jobId}'";
            using var child = TestHostProcess.Start(script, new Dictionary<string, string> { ["TEST_CS"] = TestStorage.ConnectionString });
            Assert.Equal(0, child.WaitForExit(TimeSpan.FromSeconds(120)));
            // Colours are the host's business; the text is what matters here.
            var screen = System.Text.RegularExpressions.Regex.Replace(child.StandardOutput, @"\x1b\[[0-9;]*m", string.Empty);
            _output.WriteLine(screen);

            Assert.Contains("devstoreaccount1", screen);                     // the context's table
            Assert.DoesNotContain(TestStorage.Server.AccountKey, screen);
            Assert.Contains($"Output of: Job {jobId}  Task t1", screen);     // grouped by job and task
            Assert.Contains($"Output of: Job {jobId}  Task t2", screen);
            Assert.Matches(@"Kind\s+Size\s+LastModified\s+Path", screen);
            Assert.Matches(@"TaskPreview\s+1\.5 KB\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+f1\.png", screen);
            Assert.Matches(@"TaskLog\s+10 B\s+", screen);
            Assert.Matches(@"JobId\s+ContainerName\s+Permissions\s+ExpiresOn", screen);   // the SAS's table
            Assert.DoesNotContain("sig=", screen);
            var mixed = screen.Substring(screen.IndexOf("--- mixed ---", StringComparison.Ordinal));
            Assert.DoesNotContain("Context", mixed);   // the default display sets apply when the views can't
            Assert.Contains("Permissions", mixed);
        }
    }
}
