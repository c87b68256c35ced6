using System.Linq;
using System.Management.Automation;
using AzBatchOutput.Module.Tests.Infrastructure;
using Xunit;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>Multi-file transfers report files, bytes and rate through Write-Progress, and respect $ProgressPreference.</summary>
    public class ProgressTests
    {
        [Fact]
        public void AMultiFileUploadAndDownloadReportProgressAndComplete()
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("Progress");
            session.InitializeJob(jobId);
            for (var i = 0; i < 60; i++)
            {
                session.Folder.WriteRandomFile($"frames/f{i:D2}.bin", 64 * 1024);
            }

            var up = session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path frames -ThrottleLimit 2", ("JobId", jobId)).ThrowIfFailed();
            Assert.Equal(60, up.Output.Count);
            var processing = up.Progress.Where(p => p.RecordType == ProgressRecordType.Processing).ToList();
            Assert.NotEmpty(processing);
            Assert.All(processing, p =>
            {
                Assert.Contains(jobId, p.Activity);
                Assert.Matches(@"^\d+ of 60 files, [\d.]+ (B|KB|MB) of 3\.8 MB", p.StatusDescription);
                Assert.InRange(p.PercentComplete, 0, 100);
            });
            Assert.Single(up.Progress, p => p.RecordType == ProgressRecordType.Completed);

            var down = session.Run("Get-BatchTaskOutput -JobId $JobId -Destination dl").ThrowIfFailed();
            Assert.Equal(60, down.Output.Count);
            Assert.Contains(down.Progress, p => p.RecordType == ProgressRecordType.Completed && p.Activity.StartsWith("Downloading"));
        }

        [Fact]
        public void NothingIsReportedWhenProgressIsSilenced()
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("Quiet");
            session.InitializeJob(jobId);
            for (var i = 0; i < 10; i++)
            {
                session.Folder.WriteRandomFile($"q/f{i}.bin", 1024);
            }

            var up = session.Run("$ProgressPreference = 'SilentlyContinue'; Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path q", ("JobId", jobId)).ThrowIfFailed();
            Assert.Equal(10, up.Output.Count);
            Assert.Empty(up.Progress);
        }
    }
}
