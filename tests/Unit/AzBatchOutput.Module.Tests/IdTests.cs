using System.IO;
using System.Linq;
using AzBatchOutput.Module.Tests.Infrastructure;
using Xunit;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>Job and task IDs that Batch allows, end to end: capitals, underscores, colons from schedules, 64 characters.</summary>
    public class IdTests
    {
        [Theory]
        [InlineData("MyTerrificJob", "job-myterrificjob")]
        [InlineData("my_job-bob", "job-my-job-bob-e04620bc2add214df74e158ba60d24273a0e0927")]
        [InlineData("job:my-job-1", "job-job-my-job-1-fdddfdd04eab0771edb90374860d2736481d162d")]
        [InlineData("myverylongjobnameallinonewordreallystartingtogetreallysillynow", "job-myverylongjobna-a8700e4947d0c8c621e53b24246aa0349d830e41")]
        public void ContainerFollowsTheConventions(string jobId, string container)
        {
            using var session = ModuleSession.Start();
            Assert.Equal(container, session.InitializeJob(jobId));
            Assert.True(TestStorage.Sdk.GetBlobContainerClient(container).Exists().Value);
        }

        [Theory]
        [InlineData("Nightly_Render", "Frame_0001")]
        [InlineData("MySchedule:job-17", "merge")]
        [InlineData("JOB_ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz-0123456", "TASK_ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz-01234")]
        public void UnusualButValidIdsWorkEndToEnd(string stem, string taskId)
        {
            Assert.True(taskId.Length <= 64);
            using var session = ModuleSession.Start();
            // Keep each run's job unique but the ID's shape (case, '_', ':', length) as given.
            var jobId = stem.Length >= 60 ? stem.Substring(0, 58) + System.Guid.NewGuid().ToString("N").Substring(0, 6) : stem + "_" + System.Guid.NewGuid().ToString("N").Substring(0, 6);
            jobId = jobId.Length > 64 && !jobId.Contains(':') ? jobId.Substring(0, 64) : jobId;
            var container = session.InitializeJob(jobId);
            var file = session.Folder.WriteRandomFile("out.dat", 1234);

            var saved = session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId $TaskId -Path $File", ("JobId", jobId), ("TaskId", taskId), ("File", file)).ThrowIfFailed().Output.Single();
            Assert.Equal($"{taskId}/$TaskOutput/out.dat", saved.Str("BlobName"));
            Assert.Equal(container, saved.Str("ContainerName"));

            var listed = session.Run("Get-BatchTaskOutput -JobId $JobId").ThrowIfFailed().Output.Single();
            Assert.Equal(jobId, listed.Str("JobId"));
            Assert.Equal(taskId, listed.Str("TaskId"));

            var download = session.Folder.Combine("dl");
            session.Run("Get-BatchTaskOutput -JobId $JobId -TaskId $TaskId -Destination $Dl", ("Dl", download)).ThrowIfFailed();
            Assert.Equal(TempFolder.Sha256(file), TempFolder.Sha256(Path.Combine(download, taskId, "TaskOutput", "out.dat")));
        }

        [Theory]
        [InlineData("")]
        [InlineData("job with spaces")]
        [InlineData("job/slash")]
        [InlineData("jöb")]
        [InlineData("job.dot")]
        public void JobIdsBatchRefusesGetAClearErrorAndNoContainer(string jobId)
        {
            using var session = ModuleSession.Start();
            var result = session.Run("Initialize-BatchJobOutputStorage -JobId $JobId", ("JobId", jobId));
            var error = result.SingleError();
            if (jobId.Length == 0)
            {
                Assert.Equal("ParameterArgumentValidationErrorEmptyStringNotAllowed,AzBatchOutput.Cmdlets.InitializeBatchJobOutputStorageCommand", error.FullyQualifiedErrorId);
            }
            else
            {
                Assert.Equal("InvalidJobId,AzBatchOutput.Cmdlets.InitializeBatchJobOutputStorageCommand", error.FullyQualifiedErrorId);
                Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
                Assert.Contains(jobId, error.ToString());
            }

            Assert.Empty(result.Output);
        }

        [Fact]
        public void TaskIdsBatchRefusesGetAClearErrorAndNothingIsSaved()
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId();
            var container = session.InitializeJob(jobId);
            var file = session.Folder.WriteRandomFile("a.txt", 10);
            var result = session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId 'task:1' -Path $File", ("JobId", jobId), ("File", file));
            var error = result.SingleError();
            Assert.Equal("InvalidTaskId,AzBatchOutput.Cmdlets.SaveBatchTaskOutputCommand", error.FullyQualifiedErrorId);
            Assert.Contains("task:1", error.ToString());
            Assert.Empty(TestStorage.Sdk.GetBlobContainerClient(container).GetBlobs());
        }
    }
}
