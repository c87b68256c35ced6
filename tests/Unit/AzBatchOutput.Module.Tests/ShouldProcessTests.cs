using System.Linq;
using AzBatchOutput.Module.Tests.Infrastructure;
using Xunit;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>-WhatIf changes nothing; removal needs confirmation or -Force.</summary>
    public class ShouldProcessTests
    {
        [Fact]
        public void WhatIfSavesAndCreatesNothing()
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("WhatIf");
            var result = session.Run("Initialize-BatchJobOutputStorage -JobId $JobId -WhatIf", ("JobId", jobId)).ThrowIfFailed();
            Assert.Empty(result.Output);
            Assert.DoesNotContain(TestStorage.Sdk.GetBlobContainers(), c => c.Name == "job-" + jobId.ToLowerInvariant());

            var container = session.InitializeJob(jobId);
            var file = session.Folder.WriteRandomFile("a.txt", 5);
            session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path $File -WhatIf", ("File", file)).ThrowIfFailed();
            Assert.Empty(TestStorage.Sdk.GetBlobContainerClient(container).GetBlobs());
        }

        [Fact]
        public void DownloadingAndRunningATaskCommandHonourWhatIf()
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("WhatIfGet");
            var container = session.InitializeJob(jobId);
            var file = session.Folder.WriteRandomFile("a.txt", 5);
            session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path $File | Out-Null", ("JobId", jobId), ("File", file)).ThrowIfFailed();

            // Listing is unchanged by -WhatIf; downloading writes nothing.
            Assert.Single(session.Run("Get-BatchTaskOutput -JobId $JobId -WhatIf").ThrowIfFailed().Output);
            var download = session.Run("Get-BatchTaskOutput -JobId $JobId -Destination dl -WhatIf; Get-BatchJobOutput -JobId $JobId -Destination dl -WhatIf").ThrowIfFailed();
            Assert.Empty(download.Output);
            Assert.False(System.IO.Directory.Exists(System.IO.Path.Combine(session.Folder.Path, "dl")));

            var run = session.Run("Invoke-BatchTaskCommand -ScriptBlock { 'ran' > ran.txt } -JobId $JobId -TaskId t2 -OutputPath ran.txt -WhatIf").ThrowIfFailed();
            Assert.Empty(run.Output);
            foreach (var name in new[] { "ran.txt", "stdout.txt", "stderr.txt" })
            {
                Assert.False(System.IO.File.Exists(System.IO.Path.Combine(session.Folder.Path, name)), name);
            }

            Assert.DoesNotContain(TestStorage.Sdk.GetBlobContainerClient(container).GetBlobs(), b => b.Name.StartsWith("t2/", System.StringComparison.Ordinal));
        }

        [Fact]
        public void RemovalsHonourWhatIfAndForce()
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("Remove");
            var container = session.InitializeJob(jobId);
            var file = session.Folder.WriteRandomFile("a.txt", 5);
            session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path $File | Out-Null", ("JobId", jobId), ("File", file)).ThrowIfFailed();

            session.Run("Get-BatchTaskOutput -JobId $JobId | Remove-BatchOutput -WhatIf").ThrowIfFailed();
            Assert.Single(TestStorage.Sdk.GetBlobContainerClient(container).GetBlobs());

            session.Run("Remove-BatchJobOutputStorage -JobId $JobId -WhatIf").ThrowIfFailed();
            Assert.True(TestStorage.Sdk.GetBlobContainerClient(container).Exists().Value);

            // -Force skips the prompt, not -WhatIf: neither typed with it, nor from a wrapper called with -WhatIf, nor as a preference.
            session.Run("Remove-BatchJobOutputStorage -JobId $JobId -Force -WhatIf").ThrowIfFailed();
            session.Run("function Clear-Job { [CmdletBinding(SupportsShouldProcess)] param($Id) Remove-BatchJobOutputStorage -JobId $Id -Force }; Clear-Job $JobId -WhatIf").ThrowIfFailed();
            session.Run("$WhatIfPreference = $true; Remove-BatchJobOutputStorage -JobId $JobId -Force; $WhatIfPreference = $false").ThrowIfFailed();
            Assert.True(TestStorage.Sdk.GetBlobContainerClient(container).Exists().Value);

            session.Run("Remove-BatchJobOutputStorage -JobId $JobId -Force").ThrowIfFailed();
            Assert.False(TestStorage.Sdk.GetBlobContainerClient(container).Exists().Value);

            var gone = session.Run("Get-BatchJobOutputStorage -JobId $JobId").SingleError();
            Assert.Equal("JobContainerNotFound,AzBatchOutput.Cmdlets.GetBatchJobOutputStorageCommand", gone.FullyQualifiedErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.ObjectNotFound, gone.CategoryInfo.Category);
        }
    }
}
