using System.IO;
using System.Linq;
using AzBatchOutput.Module.Tests.Infrastructure;
using Xunit;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>A user's core journey: prepare a job, save outputs of every kind, list them, download them byte for byte.</summary>
    public class RoundTripTests
    {
        [Theory]
        [InlineData("TaskOutput")]
        [InlineData("TaskPreview")]
        [InlineData("TaskLog")]
        [InlineData("TaskIntermediate")]
        [InlineData("Renders")]
        public void TaskKindRoundTripsByteForByte(string kind)
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("RoundTrip");
            var file = session.Folder.WriteRandomFile("work/result.bin", 70_000);

            var container = (string)session.Run("(Initialize-BatchJobOutputStorage -JobId $JobId).ContainerName", ("JobId", jobId)).ThrowIfFailed().Output.Single().BaseObject;
            var saved = session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId 'task-1' -Kind $Kind -Path $File",
                ("Kind", kind), ("File", file)).ThrowIfFailed().Output.Single();
            Assert.Equal($"task-1/${kind}/result.bin", saved.Properties["BlobName"].Value);

            var listed = session.Run("Get-BatchTaskOutput -JobId $JobId -TaskId 'task-1' -Kind $Kind").ThrowIfFailed().Output.Single();
            Assert.Equal(jobId, listed.Properties["JobId"].Value);
            Assert.Equal("task-1", listed.Properties["TaskId"].Value);
            Assert.Equal(kind, listed.Properties["Kind"].Value);
            Assert.Equal("result.bin", listed.Properties["Path"].Value);
            Assert.Equal(70_000L, listed.Properties["Length"].Value);

            var download = session.Folder.Combine("download");
            session.Run("Get-BatchTaskOutput -JobId $JobId -TaskId 'task-1' -Kind $Kind -Destination $Download",
                ("Download", download)).ThrowIfFailed();
            var downloaded = Path.Combine(download, "task-1", kind, "result.bin");
            Assert.Equal(TempFolder.Sha256(file), TempFolder.Sha256(downloaded));

            var blobs = TestStorage.Sdk.GetBlobContainerClient(container).GetBlobs().Select(b => b.Name).ToList();
            Assert.Equal(new[] { $"task-1/${kind}/result.bin" }, blobs);
        }
    }
}
