using System.Linq;
using System.Management.Automation;
using AzBatchOutput.Module.Tests.Infrastructure;
using Xunit;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>What -Path and -DestinationPath accept and where each file lands; bad paths fail clearly and save nothing.</summary>
    public class SavePathTests
    {
        private static (ModuleSession, string JobId, Azure.Storage.Blobs.BlobContainerClient) NewJob()
        {
            var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("Paths");
            var container = TestStorage.Sdk.GetBlobContainerClient(session.InitializeJob(jobId));
            return (session, jobId, container);
        }

        private static string[] Names(Azure.Storage.Blobs.BlobContainerClient container) =>
            container.GetBlobs().Select(b => b.Name).OrderBy(n => n, System.StringComparer.Ordinal).ToArray();

        [Fact]
        public void AFolderIsSavedRecursivelyUnderADestinationFolder()
        {
            var (session, jobId, container) = NewJob();
            using (session)
            {
                session.Folder.WriteRandomFile("render/frames/0001.exr", 10);
                session.Folder.WriteRandomFile("render/frames/deep/er/0002.exr", 10);
                session.Folder.WriteRandomFile("render/scene.json", 10);
                session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path render -DestinationPath 'out\\v1' | Out-Null", ("JobId", jobId)).ThrowIfFailed();
                Assert.Equal(new[] { "t1/$TaskOutput/out/v1/frames/0001.exr", "t1/$TaskOutput/out/v1/frames/deep/er/0002.exr", "t1/$TaskOutput/out/v1/scene.json" }, Names(container));
            }
        }

        /// <summary>
        /// Links to folders below a saved folder are not followed (a link back up would never end), each is named in a
        /// warning, and everything else is saved; naming a link in -Path saves what it points to.
        /// </summary>
        [Fact]
        public void LinksToFoldersBelowASavedFolderAreNotFollowed()
        {
            var (session, jobId, container) = NewJob();
            using (session)
            {
                session.Folder.WriteRandomFile("render/frames/0001.exr", 10);
                session.Folder.WriteRandomFile("shared/lut.cube", 10);
                var root = System.IO.Path.Combine(session.Folder.Path, "render");
                System.IO.Directory.CreateSymbolicLink(System.IO.Path.Combine(root, "frames", "up"), root);
                System.IO.Directory.CreateSymbolicLink(System.IO.Path.Combine(root, "shared"), System.IO.Path.Combine(session.Folder.Path, "shared"));

                var result = session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path render | Out-Null", ("JobId", jobId)).ThrowIfFailed();
                Assert.Equal(new[] { "t1/$TaskOutput/frames/0001.exr" }, Names(container));
                Assert.Equal(2, result.Warnings.Count);
                Assert.Contains(result.Warnings, w => w.Message.Contains(System.IO.Path.Combine(root, "frames", "up") + "' is a link to a folder and was not followed"));
                Assert.Contains(result.Warnings, w => w.Message.Contains(System.IO.Path.Combine(root, "shared") + "' is a link to a folder"));

                session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t2 -Path render/shared | Out-Null").ThrowIfFailed();
                Assert.Contains("t2/$TaskOutput/lut.cube", Names(container));
            }
        }

        /// <summary>A piped file is saved as itself: '[1]' and '?' in its name are not a pattern that matches another file.</summary>
        [Fact]
        public void PipedFilesAndLiteralPathsAreNeverWildcards()
        {
            var (session, jobId, container) = NewJob();
            using (session)
            {
                foreach (var name in new[] { "br[1].txt", "br1.txt", "q?.txt", "qx.txt" })
                {
                    session.Folder.WriteRandomFile(name, 10);
                }

                session.Run("[IO.FileInfo]::new(($TestFolder + '/br[1].txt')) | Save-BatchTaskOutput -JobId $JobId -TaskId t1 | Out-Null",
                    ("JobId", jobId), ("TestFolder", session.Folder.Path)).ThrowIfFailed();
                session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t2 -LiteralPath 'q?.txt' | Out-Null").ThrowIfFailed();
                session.Run("[IO.FileInfo]::new(($TestFolder + '/br[1].txt')) | Save-BatchTaskOutput -JobId $JobId -TaskId t3 -DestinationPath renamed.txt | Out-Null").ThrowIfFailed();
                // A string is still a pattern: 'q?.txt' matches both files.
                session.Run("'q?.txt' | Save-BatchTaskOutput -JobId $JobId -TaskId t4 | Out-Null").ThrowIfFailed();

                Assert.Equal(new[]
                {
                    "t1/$TaskOutput/br[1].txt", "t2/$TaskOutput/q?.txt", "t3/$TaskOutput/renamed.txt", "t4/$TaskOutput/q?.txt", "t4/$TaskOutput/qx.txt",
                }, Names(container));

                var error = session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t5").SingleError();
                Assert.StartsWith("PathRequired,", error.FullyQualifiedErrorId);
            }
        }

        [Fact]
        public void WildcardsAndSeveralPathsSaveEachFileByName()
        {
            var (session, jobId, container) = NewJob();
            using (session)
            {
                session.Folder.WriteRandomFile("a.log", 1);
                session.Folder.WriteRandomFile("b.log", 1);
                session.Folder.WriteRandomFile("c.txt", 1);
                session.Folder.WriteRandomFile("empty.txt", 0);
                var saved = session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Kind TaskLog -Path *.log, empty.txt", ("JobId", jobId)).ThrowIfFailed().Output;
                Assert.Equal(3, saved.Count);
                Assert.Equal(new[] { "t1/$TaskLog/a.log", "t1/$TaskLog/b.log", "t1/$TaskLog/empty.txt" }, Names(container));
                Assert.Equal(0L, saved.Single(s => s.Str("Path") == "empty.txt").Prop("Length"));
            }
        }

        [Fact]
        public void ASingleFileTakesDestinationPathAsItsName()
        {
            var (session, jobId, container) = NewJob();
            using (session)
            {
                session.Folder.WriteRandomFile("local-name.csv", 5);
                session.Run("Save-BatchJobOutput -JobId $JobId -Path local-name.csv -DestinationPath reports/final.csv | Out-Null", ("JobId", jobId)).ThrowIfFailed();
                Assert.Equal(new[] { "$JobOutput/reports/final.csv" }, Names(container));
            }
        }

        [Fact]
        public void AWildcardMatchingOneFileStillSavesIntoTheDestinationFolder()
        {
            var (session, jobId, container) = NewJob();
            using (session)
            {
                session.Folder.WriteRandomFile("only.csv", 5);
                session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path *.csv -DestinationPath results | Out-Null", ("JobId", jobId)).ThrowIfFailed();
                Assert.Equal(new[] { "t1/$TaskOutput/results/only.csv" }, Names(container));
            }
        }

        [Fact]
        public void OneMissingPathDoesNotStopTheOthers()
        {
            var (session, jobId, container) = NewJob();
            using (session)
            {
                session.Folder.WriteRandomFile("a.txt", 1);
                session.Folder.WriteRandomFile("b.txt", 1);
                var result = session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path a.txt, missing.txt, b.txt", ("JobId", jobId));
                Assert.StartsWith("PathNotFound,", result.SingleError().FullyQualifiedErrorId);
                Assert.Equal(new[] { "t1/$TaskOutput/a.txt", "t1/$TaskOutput/b.txt" }, Names(container));
            }
        }

        [Theory]
        [InlineData("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path missing.txt", "PathNotFound", ErrorCategory.ObjectNotFound, "missing.txt")]
        [InlineData("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path nomatch*.zzz", "NoFilesMatched", ErrorCategory.ObjectNotFound, "nomatch*.zzz")]
        [InlineData("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path a.txt -DestinationPath ../escape.txt", "InvalidOutputPath", ErrorCategory.InvalidArgument, "../escape.txt")]
        [InlineData("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path a.txt -DestinationPath /etc/x", "InvalidOutputPath", ErrorCategory.InvalidArgument, "/etc/x")]
        [InlineData("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path a.txt -Kind 'Bad/Kind'", "InvalidKind", ErrorCategory.InvalidArgument, "Bad/Kind")]
        [InlineData("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path a.txt -Kind JobOutput", "KindScopeMismatch", ErrorCategory.InvalidArgument, "JobOutput")]
        [InlineData("Save-BatchJobOutput -JobId $JobId -Path a.txt -Kind TaskLog", "KindScopeMismatch", ErrorCategory.InvalidArgument, "TaskLog")]
        public void BadInputFailsClearlyAndSavesNothing(string script, string errorId, ErrorCategory category, string named)
        {
            var (session, jobId, container) = NewJob();
            using (session)
            {
                session.Folder.WriteRandomFile("a.txt", 5);
                var result = session.Run(script, ("JobId", jobId));
                var error = result.SingleError();
                Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
                Assert.Equal(category, error.CategoryInfo.Category);
                Assert.Contains(named, error.ToString());
                Assert.Empty(Names(container));
                Assert.Empty(result.Output);
            }
        }

        [Fact]
        public void APathWhoseBracketsAreWildcardsButNameAFileSaysToUseLiteralPath()
        {
            var (session, jobId, container) = NewJob();
            using (session)
            {
                session.Folder.WriteRandomFile("frame[1].png", 5);
                var result = session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path 'frame[1].png'", ("JobId", jobId));
                var error = result.SingleError();
                Assert.StartsWith("NoFilesMatched,", error.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
                Assert.Contains("-LiteralPath", error.ToString());
                Assert.Empty(Names(container));

                var literal = session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -LiteralPath 'frame[1].png'", ("JobId", jobId));
                literal.ThrowIfFailed();
                Assert.Equal(new[] { "t1/$TaskOutput/frame[1].png" }, Names(container));
            }
        }

        [Fact]
        public void SavingToAJobThatWasNeverInitializedSaysWhatToRun()
        {
            using var session = ModuleSession.Start();
            session.Folder.WriteRandomFile("a.txt", 5);
            var error = session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path a.txt", ("JobId", TestStorage.NewJobId("Never"))).SingleError();
            Assert.StartsWith("JobContainerNotFound,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ObjectNotFound, error.CategoryInfo.Category);
            Assert.Contains("Initialize-BatchJobOutputStorage", error.ToString());
        }
    }
}
