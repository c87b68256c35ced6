using System;
using System.IO;
using System.Linq;
using System.Text;
using AzBatchOutput.Module.Tests.Infrastructure;
using Xunit;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>Nothing is ever written outside -Destination, and nothing existing is replaced without -Force.</summary>
    public class DownloadSafetyTests
    {
        [Fact]
        public void ABlobNameThatClimbsOutIsRefusedAndTheOthersStillDownload()
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("Escape");
            var container = TestStorage.Sdk.GetBlobContainerClient(session.InitializeJob(jobId));
            // A URL's '/../' is collapsed on the way, but Azurite (like Azure) turns '\' into '/', so sending
            // backslashes stores exactly the climbing names another tool could leave in a container.
            var climbing = new[] { "t1/$TaskOutput/../../x.txt", "t1/$TaskOutput/C:/x.txt", "t1/$TaskOutput/a/con.txt" };
            foreach (var name in climbing)
            {
                container.UploadBlob(name.Replace('/', '\\'), new System.BinaryData(Encoding.UTF8.GetBytes("evil")));
            }

            Assert.Equal(climbing.OrderBy(n => n, System.StringComparer.Ordinal), container.GetBlobs().Select(b => b.Name).OrderBy(n => n, System.StringComparer.Ordinal));
            container.UploadBlob("t1/$TaskOutput/good.txt", new System.BinaryData(Encoding.UTF8.GetBytes("good")));

            var dl = session.Folder.Combine("inner", "dl");
            var result = session.Run("Get-BatchTaskOutput -JobId $JobId -TaskId t1 -Destination $Dl", ("JobId", jobId), ("Dl", dl));

            Assert.Equal(3, result.Errors.Count);
            Assert.All(result.Errors, error =>
            {
                Assert.Equal("UnsafeOutputPath,AzBatchOutput.Cmdlets.GetBatchTaskOutputCommand", error.FullyQualifiedErrorId);
                Assert.Equal(System.Management.Automation.ErrorCategory.InvalidData, error.CategoryInfo.Category);
            });
            Assert.Contains(result.Errors, e => e.ToString().Contains("t1/$TaskOutput/../../x.txt"));
            Assert.Equal("good", File.ReadAllText(Path.Combine(dl, "t1", "TaskOutput", "good.txt")));
            var everything = Directory.GetFiles(session.Folder.Path, "*", SearchOption.AllDirectories);
            Assert.Single(everything);
        }

        /// <summary>A directory as an ADLS Gen2 account lists it: an empty blob with metadata hdi_isfolder=true.</summary>
        private static void AddDirectory(Azure.Storage.Blobs.BlobContainerClient container, string name) =>
            container.GetBlobClient(name).Upload(new MemoryStream(), new Azure.Storage.Blobs.Models.BlobUploadOptions
            {
                Metadata = new System.Collections.Generic.Dictionary<string, string> { ["hdi_isfolder"] = "true" },
            });

        /// <summary>
        /// Folders that other tools leave as blobs: an ADLS Gen2 account lists each directory as an empty blob of its
        /// name beside the files in it, and some tools save an empty blob ending in '/' for a folder. Neither is a file;
        /// a real empty file still downloads.
        /// </summary>
        [Fact]
        public void EmptyBlobsNamedLikeFoldersAreSkippedAndTheFilesInThemDownload()
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("Folders");
            var container = TestStorage.Sdk.GetBlobContainerClient(session.InitializeJob(jobId));
            AddDirectory(container, "t1/$TaskOutput/frames");
            AddDirectory(container, "t1/$TaskOutput/frames/deep");
            container.UploadBlob("t1/$TaskOutput/frames/deep/f1.png", new System.BinaryData(Encoding.UTF8.GetBytes("png")));
            // Azurite drops a trailing '/' but keeps one sent as '\\' (see above).
            container.UploadBlob("t1\\$TaskOutput\\marker\\", new System.BinaryData(System.Array.Empty<byte>()));
            container.UploadBlob("t1/$TaskOutput/empty.txt", new System.BinaryData(System.Array.Empty<byte>()));

            var result = session.Run("Get-BatchTaskOutput -JobId $JobId -TaskId t1 -Destination dl -Verbose", ("JobId", jobId));

            Assert.Empty(result.AllErrors.Select(e => e.FullyQualifiedErrorId + ": " + e));
            var root = session.Folder.Combine("dl", "t1", "TaskOutput");
            Assert.Equal("png", File.ReadAllText(Path.Combine(root, "frames", "deep", "f1.png")));
            Assert.Equal(0, new FileInfo(Path.Combine(root, "empty.txt")).Length);
            Assert.Equal(
                new[] { Path.Combine(root, "empty.txt"), Path.Combine(root, "frames", "deep", "f1.png") },
                Directory.GetFiles(session.Folder.Combine("dl"), "*", SearchOption.AllDirectories).OrderBy(f => f, System.StringComparer.Ordinal));
            Assert.Equal(2, result.Output.Count);
            Assert.Equal(3, result.Verbose.Count(v => v.Message.StartsWith("Skipped '", System.StringComparison.Ordinal)));
        }

        [Fact]
        public void AnEmptyDirectoryOfAHierarchicalAccountBecomesAFolderNotAFile()
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("EmptyDir");
            var container = TestStorage.Sdk.GetBlobContainerClient(session.InitializeJob(jobId));
            // An empty directory with nothing under it: the listing alone can't tell it from an empty file.
            AddDirectory(container, "t1/$TaskOutput/renders");
            container.UploadBlob("t1/$TaskOutput/empty.txt", new System.BinaryData(System.Array.Empty<byte>()));

            var result = session.Run("Get-BatchTaskOutput -JobId $JobId -TaskId t1 -Destination dl -Verbose", ("JobId", jobId));

            Assert.Empty(result.AllErrors.Select(e => e.FullyQualifiedErrorId + ": " + e));
            var root = session.Folder.Combine("dl", "t1", "TaskOutput");
            Assert.True(Directory.Exists(Path.Combine(root, "renders")), "the empty directory was not made a folder");
            Assert.False(File.Exists(Path.Combine(root, "renders")));
            Assert.Equal(0, new FileInfo(Path.Combine(root, "empty.txt")).Length);
            Assert.Equal(new[] { Path.Combine(root, "empty.txt") }, result.Output.Select(o => o.Str("FullName")));
            Assert.Single(result.Verbose, v => v.Message.StartsWith("Made the folder", System.StringComparison.Ordinal));
        }

        /// <summary>
        /// A blob 'x' beside blobs under 'x/' (another tool can save both) can't land as a file where they need a folder:
        /// it is refused on its own, every time, and the files under it download.
        /// </summary>
        [Fact]
        public void ABlobNamedLikeTheFolderOfOthersIsRefusedAndTheOthersDownload()
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("Clash");
            var container = TestStorage.Sdk.GetBlobContainerClient(session.InitializeJob(jobId));
            container.UploadBlob("t1/$TaskOutput/x", new System.BinaryData(Encoding.UTF8.GetBytes("file")));
            container.UploadBlob("t1/$TaskOutput/x/y.txt", new System.BinaryData(Encoding.UTF8.GetBytes("inside")));

            var result = session.Run("Get-BatchTaskOutput -JobId $JobId -TaskId t1 -Destination dl", ("JobId", jobId));

            var error = result.SingleError();
            Assert.Equal("DownloadTargetIsFolder,AzBatchOutput.Cmdlets.GetBatchTaskOutputCommand", error.FullyQualifiedErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.ResourceExists, error.CategoryInfo.Category);
            Assert.Equal("t1/$TaskOutput/x", error.TargetObject);
            Assert.Contains("Receive-BatchOutput -Destination", error.ToString());
            Assert.Equal("inside", File.ReadAllText(session.Folder.Combine("dl", "t1", "TaskOutput", "x", "y.txt")));
        }

        /// <summary>A local folder where a file goes, or a local file where a folder goes: named, and left as it is, even with -Force.</summary>
        [Theory]
        [InlineData("t1/$TaskOutput/a.txt", "folder", "DownloadTargetIsFolder")]
        [InlineData("t1/$TaskOutput/sub/b.txt", "file", "DownloadFolderIsFile")]
        public void ALocalFolderOrFileInTheWayIsNamedAndKept(string blobName, string inTheWay, string errorId)
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("Clash");
            var container = TestStorage.Sdk.GetBlobContainerClient(session.InitializeJob(jobId));
            container.UploadBlob(blobName, new System.BinaryData(Encoding.UTF8.GetBytes("blob")));
            container.UploadBlob("t1/$TaskOutput/other.txt", new System.BinaryData(Encoding.UTF8.GetBytes("other")));
            var local = session.Folder.Combine("dl", "t1", "TaskOutput", inTheWay == "folder" ? "a.txt" : "sub");
            if (inTheWay == "folder")
            {
                Directory.CreateDirectory(Path.Combine(local, "kept"));
            }
            else
            {
                session.Folder.WriteFile(Path.Combine("dl", "t1", "TaskOutput", "sub"), Encoding.UTF8.GetBytes("kept"));
            }

            var result = session.Run("Get-BatchTaskOutput -JobId $JobId -TaskId t1 -Destination dl -Force", ("JobId", jobId));

            var error = result.SingleError();
            Assert.Equal(errorId + ",AzBatchOutput.Cmdlets.GetBatchTaskOutputCommand", error.FullyQualifiedErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.ResourceExists, error.CategoryInfo.Category);
            Assert.Equal(blobName, error.TargetObject);
            Assert.Contains($"'{local}' is a {inTheWay} on this machine", error.ToString());
            Assert.True(inTheWay == "folder" ? Directory.Exists(Path.Combine(local, "kept")) : File.ReadAllText(local) == "kept");
            Assert.Equal("other", File.ReadAllText(session.Folder.Combine("dl", "t1", "TaskOutput", "other.txt")));
            Assert.Empty(Directory.GetFiles(session.Folder.Combine("dl"), "*partial*", SearchOption.AllDirectories));
        }

        /// <summary>
        /// With -ErrorAction Stop the first error ends the command, and its other downloads end with it: nothing goes on
        /// writing into the folder after the catch block has run, and no partial file is left.
        /// </summary>
        [Fact]
        public void StopOnTheFirstErrorEndsTheOtherDownloadsToo()
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("StopFirst");
            var container = TestStorage.Sdk.GetBlobContainerClient(session.InitializeJob(jobId));
            for (var i = 0; i < 400; i++)
            {
                session.Folder.WriteRandomFile($"many/f{i:000}.bin", 1024);
            }

            session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path many | Out-Null", ("JobId", jobId)).ThrowIfFailed();
            var target = session.Folder.Combine("dl", "t1", "TaskOutput");
            session.Folder.WriteFile("dl/t1/TaskOutput/f000.bin", Encoding.UTF8.GetBytes("in the way"));

            var result = session.Run("try { Get-BatchTaskOutput -JobId $JobId -TaskId t1 -Destination dl -ErrorAction Stop } catch { 'caught ' + $_.FullyQualifiedErrorId }");
            Assert.Equal("caught DownloadTargetExists,AzBatchOutput.Cmdlets.GetBatchTaskOutputCommand", result.Output.Last().ToString());
            var whenCaught = Directory.GetFiles(target).Length;
            System.Threading.Thread.Sleep(2000);
            Assert.Equal(whenCaught, Directory.GetFiles(target).Length);
            Assert.True(whenCaught < 400, $"{whenCaught} files: every download had finished before the error was written, so this test shows nothing");
            Assert.Empty(Directory.GetFiles(target, "*.azbo-partial"));
        }

        [Fact]
        public void ADownloadRunAgainKeepsTheFilesThatHoldTheBlobsAndFetchesOnlyTheRest()
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("Resume");
            session.InitializeJob(jobId);
            for (var i = 0; i < 3; i++)
            {
                session.Folder.WriteRandomFile($"frames/f{i}.bin", 70_000 + i);
            }

            session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path frames | Out-Null", ("JobId", jobId)).ThrowIfFailed();
            session.Run("Get-BatchTaskOutput -JobId $JobId -TaskId t1 -Destination dl | Out-Null").ThrowIfFailed();
            var folder = session.Folder.Combine("dl", "t1", "TaskOutput");
            var kept = Path.Combine(folder, "f0.bin");
            var keptWritten = new DateTime(2001, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            File.SetLastWriteTimeUtc(kept, keptWritten);
            File.Delete(Path.Combine(folder, "f1.bin")); // as an interrupted download leaves it: missing
            File.WriteAllBytes(Path.Combine(folder, "f2.bin"), new byte[70_002]); // the same length, other content

            var again = session.Run("Get-BatchTaskOutput -JobId $JobId -TaskId t1 -Destination dl -Verbose");
            var error = again.SingleError();
            Assert.Equal("DownloadTargetExists,AzBatchOutput.Cmdlets.GetBatchTaskOutputCommand", error.FullyQualifiedErrorId);
            Assert.Contains("f2.bin' already exists with other content than the blob", error.ToString());
            Assert.Equal(new[] { "f0.bin", "f1.bin" }, again.Output.Select(o => ((FileInfo)o.BaseObject).Name).OrderBy(n => n));
            Assert.Equal(keptWritten, File.GetLastWriteTimeUtc(kept)); // kept, not written again
            Assert.Equal(TempFolder.Sha256(session.Folder.Combine("frames", "f1.bin")), TempFolder.Sha256(Path.Combine(folder, "f1.bin")));
            Assert.Equal(new byte[70_002], File.ReadAllBytes(Path.Combine(folder, "f2.bin")));
            Assert.Contains(again.Verbose, v => v.Message.Contains("f0.bin' already holds") && v.Message.Contains("not downloaded again"));
        }

        [Fact]
        public void AnExistingFileIsKeptWithoutForceAndReplacedWithIt()
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("Exists");
            session.InitializeJob(jobId);
            var file = session.Folder.WriteRandomFile("new.bin", 4096);
            session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path $File | Out-Null", ("JobId", jobId), ("File", file)).ThrowIfFailed();
            var dl = session.Folder.Combine("dl");
            var target = session.Folder.WriteFile("dl/t1/TaskOutput/new.bin", Encoding.UTF8.GetBytes("mine"));

            var refused = session.Run("Get-BatchTaskOutput -JobId $JobId -Destination $Dl", ("Dl", dl));
            var error = refused.SingleError();
            Assert.Equal("DownloadTargetExists,AzBatchOutput.Cmdlets.GetBatchTaskOutputCommand", error.FullyQualifiedErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.ResourceExists, error.CategoryInfo.Category);
            Assert.Contains("-Force", error.ToString());
            Assert.Equal("mine", File.ReadAllText(target));

            session.Run("Get-BatchTaskOutput -JobId $JobId -Destination $Dl -Force").ThrowIfFailed();
            Assert.Equal(TempFolder.Sha256(file), TempFolder.Sha256(target));
            Assert.Empty(Directory.GetFiles(dl, "*partial*", SearchOption.AllDirectories));
        }
    }
}
