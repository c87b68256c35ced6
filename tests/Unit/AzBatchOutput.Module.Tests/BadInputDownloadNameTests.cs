using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using AzBatchOutput.Module.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>
    /// Blob names another tool could leave in a job's container: very long ones download whole or fail clearly, and
    /// rooted, drive-letter and backslash ones are refused; nothing lands outside -Destination and no temporary file stays.
    /// </summary>
    public class BadInputDownloadNameTests
    {
        private readonly ITestOutputHelper _output;

        public BadInputDownloadNameTests(ITestOutputHelper output) => _output = output;

        private static (ModuleSession Session, string JobId, Azure.Storage.Blobs.BlobContainerClient Container) NewJob(string stem)
        {
            var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId(stem);
            var container = TestStorage.Sdk.GetBlobContainerClient(session.InitializeJob(jobId));
            return (session, jobId, container);
        }

        [Fact]
        public void VeryLongNamesDownloadWholeOrFailClearly()
        {
            var (session, jobId, container) = NewJob("LongNames");
            using (session)
            {
                // 240 characters: a legal file name (most file systems allow 255), even with no room for a suffix.
                var longSegment = new string('s', 236) + ".txt";
                // A blob name near the 1,024-character limit, made of four such segments.
                var deep = string.Join("/", Enumerable.Range(0, 4).Select(i => new string((char)('a' + i), 236) + ".dir")) + "/x.txt";
                // 300 characters: longer than any common file system allows for one name.
                var tooLong = new string('t', 296) + ".txt";
                var names = new[] { longSegment, deep, tooLong, "ok.txt" };
                foreach (var name in names)
                {
                    container.UploadBlob("t1/$TaskOutput/" + name, new BinaryData(Encoding.UTF8.GetBytes("content of " + name.Length)));
                }

                Assert.True(("t1/$TaskOutput/" + deep).Length > 960 && ("t1/$TaskOutput/" + deep).Length <= 1024);
                var dl = session.Folder.Combine("dl");
                var result = session.Run("Get-BatchTaskOutput -JobId $JobId -TaskId t1 -Destination $Dl", ("JobId", jobId), ("Dl", dl));
                foreach (var error in result.AllErrors)
                {
                    _output.WriteLine($"{error.FullyQualifiedErrorId} [{error.CategoryInfo.Category}] {error}");
                }

                var root = Path.Combine(dl, "t1", "TaskOutput");
                Assert.Equal("content of 240", File.ReadAllText(Path.Combine(root, longSegment)));
                Assert.Equal("content of " + deep.Length, File.ReadAllText(Path.Combine(root, deep.Replace('/', Path.DirectorySeparatorChar))));
                Assert.Equal("content of 6", File.ReadAllText(Path.Combine(root, "ok.txt")));
                var error1 = result.SingleError();
                Assert.StartsWith("LocalNameTooLong,", error1.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.WriteError, error1.CategoryInfo.Category);
                Assert.Contains($"its name '{tooLong}' has 300 bytes", error1.ToString());
                // A shorter folder would not help one name that is too long anywhere.
                Assert.DoesNotContain("-Destination", error1.ToString());
                Assert.DoesNotContain("partial", error1.ToString());
                Assert.Equal(3, result.Output.Count);
                Assert.Equal(3, Directory.GetFiles(session.Folder.Path, "*", SearchOption.AllDirectories).Length);
            }
        }

        [Theory]
        [InlineData("t1/$TaskOutput//rooted.txt", "rooted")]
        [InlineData("t1/$TaskOutput/c:drive-relative.txt", "drive")]
        [InlineData("t1/$TaskOutput/D:/Windows/evil.txt", "drive")]
        [InlineData("t1\\$TaskOutput\\..\\..\\..\\escape.txt", "'..'")]
        [InlineData("t1\\$TaskOutput\\\\rooted-by-backslash.txt", "rooted")]
        [InlineData("t1/$TaskOutput/dots./x.txt", "ends in '.'")]
        [InlineData("t1/$TaskOutput/trailing-space /x.txt", "ends in ' '")]
        [InlineData("t1\\$TaskOutput\\sub\\.\\x.txt", "'.'")]
        [InlineData("t1/$TaskOutput/nul.txt", "device name")]
        public void AHostileNameIsRefusedAndTheOthersStillDownload(string sentName, string reason)
        {
            var (session, jobId, container) = NewJob("Hostile");
            using (session)
            {
                // Azurite, like Azure, turns '\' into '/': sending backslashes stores names with '..' or '//' in them.
                container.UploadBlob(sentName, new BinaryData(Encoding.UTF8.GetBytes("evil")));
                container.UploadBlob("t1/$TaskOutput/good.txt", new BinaryData(Encoding.UTF8.GetBytes("good")));
                var stored = sentName.Replace('\\', '/');
                Assert.Contains(stored, container.GetBlobs().Select(b => b.Name));

                var dl = session.Folder.Combine("inner", "dl");
                var result = session.Run("Get-BatchTaskOutput -JobId $JobId -TaskId t1 -Destination $Dl", ("JobId", jobId), ("Dl", dl));
                var error = result.SingleError();
                Assert.StartsWith("UnsafeOutputPath,", error.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.InvalidData, error.CategoryInfo.Category);
                Assert.Contains(stored, error.ToString());
                Assert.Contains(reason, error.ToString());
                Assert.Contains("Azure Storage Explorer", error.ToString());
                Assert.Equal(new[] { Path.Combine(dl, "t1", "TaskOutput", "good.txt") }, Directory.GetFiles(session.Folder.Path, "*", SearchOption.AllDirectories));
            }
        }
    }
}
