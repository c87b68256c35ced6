using System.IO;
using System.Linq;
using System.Text;
using AzBatchOutput.Module.Tests.Infrastructure;
using Xunit;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>
    /// Both ways with other tools: blobs the plain Azure SDK writes at conventions names (as the portal, Batch Explorer,
    /// the .NET library or Batch's OutputFiles would) are found by the cmdlets, and what the cmdlets save sits at exactly those names.
    /// </summary>
    public class InteropTests
    {
        [Fact]
        public void FilesWrittenByThePlainSdkAreListedAndDownloaded()
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("Interop");
            var container = TestStorage.Sdk.GetBlobContainerClient(session.InitializeJob(jobId));
            var blobs = new (string Name, string Task, string Kind, string Path)[]
            {
                ("analysis-309/$TaskLog/analytics.log", "analysis-309", "TaskLog", "analytics.log"),
                ("analysis-309/$TaskOutput/a+b c%20d.txt", "analysis-309", "TaskOutput", "a+b c%20d.txt"),
                ("analysis-309/$TaskOutputX/custom.txt", "analysis-309", "TaskOutputX", "custom.txt"),
                ("t2/$TaskPreview/img/thumb.png", "t2", "TaskPreview", "img/thumb.png"),
                ("$JobOutput/out/merged.txt", "", "JobOutput", "out/merged.txt"),
            };
            foreach (var blob in blobs)
            {
                container.UploadBlob(blob.Name, new System.BinaryData(Encoding.UTF8.GetBytes("content of " + blob.Name)));
            }

            var tasks = session.Run("Get-BatchTaskOutput -JobId $JobId", ("JobId", jobId)).ThrowIfFailed().Output;
            Assert.Equal(4, tasks.Count);
            foreach (var blob in blobs.Where(b => b.Task != ""))
            {
                var item = tasks.Single(o => o.Str("BlobName") == blob.Name);
                Assert.Equal(jobId, item.Str("JobId"));
                Assert.Equal(blob.Task, item.Str("TaskId"));
                Assert.Equal(blob.Kind, item.Str("Kind"));
                Assert.Equal(blob.Path, item.Str("Path"));
                Assert.DoesNotContain("?", item.Str("Uri"));
                // The address is built when first read; it is the SDK's own for the blob (escaping included).
                Assert.Equal(container.GetBlobClient(blob.Name).Uri.AbsoluteUri, ((System.Uri)item.Properties["Uri"].Value).AbsoluteUri);
            }

            // TaskOutput lists with its trailing '/': the custom kind TaskOutputX is not mixed in.
            var taskOutput = session.Run("Get-BatchTaskOutput -JobId $JobId -TaskId analysis-309 -Kind taskoutput").ThrowIfFailed().Output;
            Assert.Equal(new[] { "a+b c%20d.txt" }, taskOutput.Strs("Path"));

            var job = session.Run("Get-BatchJobOutput -JobId $JobId").ThrowIfFailed().Output.Single();
            Assert.Equal("", job.Str("TaskId"));
            Assert.Equal("JobOutput", job.Str("Kind"));
            Assert.Equal("out/merged.txt", job.Str("Path"));

            var download = session.Folder.Combine("dl");
            session.Run("Get-BatchTaskOutput -JobId $JobId -TaskId analysis-309 -Destination $Dl", ("Dl", download)).ThrowIfFailed();
            Assert.Equal("content of analysis-309/$TaskOutput/a+b c%20d.txt", File.ReadAllText(Path.Combine(download, "analysis-309", "TaskOutput", "a+b c%20d.txt")));
            Assert.Equal("content of analysis-309/$TaskLog/analytics.log", File.ReadAllText(Path.Combine(download, "analysis-309", "TaskLog", "analytics.log")));
        }

        [Fact]
        public void WhatTheCmdletsSaveSitsAtTheConventionsNames()
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("Names");
            var container = TestStorage.Sdk.GetBlobContainerClient(session.InitializeJob(jobId));
            session.Folder.WriteRandomFile("results/summary.csv", 100);
            session.Folder.WriteRandomFile("results/frames/f1.png", 200);
            var log = session.Folder.WriteRandomFile("analytics.log", 300);
            var merged = session.Folder.WriteRandomFile("merged.txt", 50);

            session.Run(@"
                Save-BatchTaskOutput -JobId $JobId -TaskId analysis-309 -Path results | Out-Null
                Save-BatchTaskOutput -JobId $JobId -TaskId analysis-309 -Kind TaskLog -Path $Log | Out-Null
                Save-BatchJobOutput -JobId $JobId -Path $Merged -DestinationPath out/merged.txt | Out-Null
                Save-BatchJobOutput -JobId $JobId -Kind jobpreview -Path $Merged | Out-Null",
                ("JobId", jobId), ("Log", log), ("Merged", merged)).ThrowIfFailed();

            var names = container.GetBlobs().Select(b => b.Name).OrderBy(n => n, System.StringComparer.Ordinal).ToArray();
            Assert.Equal(new[]
            {
                "$JobOutput/out/merged.txt",
                "$JobPreview/merged.txt",
                "analysis-309/$TaskLog/analytics.log",
                "analysis-309/$TaskOutput/frames/f1.png",
                "analysis-309/$TaskOutput/summary.csv",
            }, names);

            var png = container.GetBlobClient("analysis-309/$TaskOutput/frames/f1.png").GetProperties().Value;
            Assert.Equal("image/png", png.ContentType);
            Assert.Equal(200, png.ContentLength);
        }
    }
}
