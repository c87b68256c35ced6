using System.IO;
using System.Linq;
using System.Threading.Tasks;
using AzBatchOutput.Module.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>Pipeline input as users write it: Az.Batch-shaped jobs and tasks, FileInfo objects, and output objects.</summary>
    public class PipelineTests
    {
        private readonly ITestOutputHelper _output;

        public PipelineTests(ITestOutputHelper output)
        {
            _output = output;
        }

        private static (ModuleSession Session, string JobId) JobWithTwoTasks()
        {
            var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("Pipe");
            session.InitializeJob(jobId);
            var a = session.Folder.WriteRandomFile("a.txt", 11);
            var b = session.Folder.WriteRandomFile("b.txt", 22);
            session.Run(@"
                Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path $A | Out-Null
                Save-BatchTaskOutput -JobId $JobId -TaskId t2 -Kind TaskLog -Path $B | Out-Null",
                ("JobId", jobId), ("A", a), ("B", b)).ThrowIfFailed();
            return (session, jobId);
        }

        [Fact]
        public void ATaskObjectWithAUrlGivesItsJobAndTask()
        {
            var (session, jobId) = JobWithTwoTasks();
            using (session)
            {
                var output = session.Run("[pscustomobject]@{Id='t1';Url=\"https://a.westus.batch.azure.com/jobs/$JobId/tasks/t1\"} | Get-BatchTaskOutput").ThrowIfFailed().Output;
                var item = output.Single();
                Assert.Equal(jobId, item.Str("JobId"));
                Assert.Equal("t1", item.Str("TaskId"));
                Assert.Equal("a.txt", item.Str("Path"));
            }
        }

        [Fact]
        public void AJobObjectListsEveryTaskAndInitializes()
        {
            var (session, jobId) = JobWithTwoTasks();
            using (session)
            {
                var output = session.Run("[pscustomobject]@{Id=$JobId;Url=\"https://a.westus.batch.azure.com/jobs/$JobId\"} | Get-BatchTaskOutput").ThrowIfFailed().Output;
                Assert.Equal(new[] { "t1", "t2" }, output.Strs("TaskId").OrderBy(t => t));

                var other = TestStorage.NewJobId("PipeInit");
                var created = session.Run("[pscustomobject]@{Id=$Other} | Initialize-BatchJobOutputStorage", ("Other", other)).ThrowIfFailed().Output.Single();
                Assert.Equal(other, created.Str("JobId"));
                Assert.Equal(true, created.Prop("Created"));
            }
        }

        [Fact]
        public void APipedTaskFindsItsJobsOwnOutputs()
        {
            var (session, jobId) = JobWithTwoTasks();
            using (session)
            {
                session.Run("Save-BatchJobOutput -JobId $JobId -Path a.txt | Out-Null").ThrowIfFailed();
                var output = session.Run("[pscustomobject]@{Id='t1';Url=\"https://a.westus.batch.azure.com/jobs/$JobId/tasks/t1\"} | Get-BatchJobOutput").ThrowIfFailed().Output;
                Assert.Equal(new[] { "$JobOutput/a.txt" }, output.Strs("BlobName"));
            }
        }

        [Fact]
        public void FileInfoObjectsPipeIntoSave()
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("PipeFiles");
            session.InitializeJob(jobId);
            session.Folder.WriteRandomFile("out/one.txt", 1);
            session.Folder.WriteRandomFile("out/two.txt", 2);
            var output = session.Run("[System.IO.DirectoryInfo]::new($Out).GetFiles() | Save-BatchTaskOutput -JobId $JobId -TaskId t9",
                ("Out", session.Folder.Combine("out")), ("JobId", jobId)).ThrowIfFailed().Output;
            Assert.Equal(new[] { "t9/$TaskOutput/one.txt", "t9/$TaskOutput/two.txt" }, output.Strs("BlobName").OrderBy(n => n));
        }

        [Fact]
        public void FullyQualifiedPathsNameThemselvesAndWildcardsStillExpand()
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("PipePaths");
            session.InitializeJob(jobId);
            var one = session.Folder.WriteRandomFile("in/one file.txt", 3);
            session.Folder.WriteRandomFile("in/sub/two.txt", 4);
            session.Folder.WriteRandomFile("w/x1.log", 5);
            session.Folder.WriteRandomFile("w/x2.log", 6);
            var dotted = Path.Combine(session.Folder.Combine("in"), "sub", "..", "one file.txt");
            var folder = session.Folder.Combine("in", "sub") + Path.DirectorySeparatorChar;
            var wildcard = Path.Combine(session.Folder.Combine("w"), "x?.log");

            var saved = session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path $Dotted, $Folder, $Wildcard",
                ("JobId", jobId), ("Dotted", dotted), ("Folder", folder), ("Wildcard", wildcard)).ThrowIfFailed().Output;
            Assert.Equal(new[] { "t1/$TaskOutput/one file.txt", "t1/$TaskOutput/two.txt", "t1/$TaskOutput/x1.log", "t1/$TaskOutput/x2.log" },
                saved.Strs("BlobName").OrderBy(n => n, System.StringComparer.Ordinal));
            Assert.Equal(TempFolder.Sha256(one), TempFolder.Sha256(session.Run("Get-BatchTaskOutput -JobId $JobId -TaskId t1 -Name 'one file.txt' -Destination dl | ForEach-Object FullName",
                ("JobId", jobId)).ThrowIfFailed().Output.Single().ToString()));

            var missing = session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path $Missing",
                ("JobId", jobId), ("Missing", session.Folder.Combine("in", "nope.txt"))).SingleError();
            Assert.StartsWith("PathNotFound,", missing.FullyQualifiedErrorId);
        }

        [Fact]
        public void DownloadedFilesComeOutAsTheFileSystemProviderGivesThem()
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("PipeLocal");
            session.InitializeJob(jobId);
            session.Folder.WriteRandomFile("in/frame[1].png", 7);
            session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -LiteralPath $File | Out-Null",
                ("JobId", jobId), ("File", session.Folder.Combine("in", "frame[1].png"))).ThrowIfFailed();

            var item = session.Run("Get-BatchTaskOutput -JobId $JobId -TaskId t1 -Destination dl", ("JobId", jobId)).ThrowIfFailed().Output.Single();
            var full = session.Folder.Combine("dl", "t1", "TaskOutput", "frame[1].png");
            Assert.Equal(full, Assert.IsType<FileInfo>(item.BaseObject).FullName);
            Assert.Equal(@"Microsoft.PowerShell.Core\FileSystem::" + full, item.Str("PSPath"));
            Assert.Equal(@"Microsoft.PowerShell.Core\FileSystem::" + Path.GetDirectoryName(full), item.Str("PSParentPath"));
            Assert.Equal("frame[1].png", item.Str("PSChildName"));
            Assert.Equal("AzBatchOutput.LocalFile", item.TypeNames[0]);
            Assert.Contains("System.IO.FileInfo", item.TypeNames);

            // How Get-FileHash, Copy-Item and Remove-Item take piped files: -LiteralPath, bound by its alias PSPath.
            // Without PSPath a FileInfo binds to -Path as a string, and '[1]' turns into a wildcard that matches nothing.
            var bound = session.Run(@"
                function Get-Bound { param([Parameter(ValueFromPipelineByPropertyName)][Alias('PSPath')][string[]] $LiteralPath) process { $LiteralPath } }
                Get-BatchTaskOutput -JobId $JobId -TaskId t1 -Destination dl2 | Get-Bound", ("JobId", jobId)).ThrowIfFailed().Output.Single();
            Assert.Equal(@"Microsoft.PowerShell.Core\FileSystem::" + session.Folder.Combine("dl2", "t1", "TaskOutput", "frame[1].png"), bound.ToString());
        }

        [Fact]
        public void ListedOutputsPipeIntoReceiveAndRemove()
        {
            var (session, jobId) = JobWithTwoTasks();
            using (session)
            {
                var dl = session.Folder.Combine("dl");
                var files = session.Run("Get-BatchTaskOutput -JobId $JobId | Receive-BatchOutput -Destination $Dl", ("Dl", dl)).ThrowIfFailed().Output;
                Assert.Equal(2, files.Count);
                Assert.True(File.Exists(Path.Combine(dl, "t1", "TaskOutput", "a.txt")));
                Assert.True(File.Exists(Path.Combine(dl, "t2", "TaskLog", "b.txt")));
                Assert.Equal(Path.Combine(dl, "t1", "TaskOutput", "a.txt"), files.Select(f => f.Str("FullName")).OrderBy(f => f).First());

                Assert.Empty(session.Run("Get-BatchTaskOutput -JobId $JobId -TaskId t1 | Remove-BatchOutput").ThrowIfFailed().Output);
                var left = session.Run("Get-BatchTaskOutput -JobId $JobId").ThrowIfFailed().Output;
                Assert.Equal(new[] { "t2" }, left.Strs("TaskId"));
                var removed = session.Run("Get-BatchTaskOutput -JobId $JobId | Remove-BatchOutput -PassThru").ThrowIfFailed().Output;
                Assert.Equal(new[] { "t2/$TaskLog/b.txt" }, removed.Strs("BlobName"));
                Assert.Empty(session.Run("Get-BatchTaskOutput -JobId $JobId").ThrowIfFailed().Output);
            }
        }

        [Fact]
        public void AListingBiggerThanTheHandoffIntoASlowConsumerLosesNothingAndStopsWhenAsked()
        {
            // More outputs than the 10,000 results the pipeline thread's handoff holds: while the consumer below sleeps,
            // the listing fills it and has to wait for room.
            const int outputs = 10500;
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("Big");
            var container = TestStorage.Sdk.GetBlobContainerClient(session.InitializeJob(jobId));
            var clock = System.Diagnostics.Stopwatch.StartNew();
            Parallel.ForEachAsync(Enumerable.Range(0, outputs), new ParallelOptions { MaxDegreeOfParallelism = 64 },
                async (i, ct) => await container.GetBlobClient($"t{i / 100}/$TaskOutput/f{i}.txt").UploadAsync(System.BinaryData.FromString(string.Empty), ct)).GetAwaiter().GetResult();
            _output.WriteLine($"{outputs} outputs made in {clock.Elapsed.TotalSeconds:0.0} s");

            var counted = session.Run(@"
                $seen = [System.Collections.Generic.HashSet[string]]::new()
                Get-BatchTaskOutput -JobId $JobId | ForEach-Object {
                    if ($seen.Count -eq 0) { [System.Threading.Thread]::Sleep(2000) }
                    [void]$seen.Add($_.BlobName)
                }
                $seen.Count", ("JobId", jobId)).ThrowIfFailed().Output;
            Assert.Equal(outputs, (int)counted.Single().BaseObject);

            clock.Restart();
            // Leaving a loop from inside the pipeline stops it, as Select-Object -First does, while the listing waits for room.
            var first = session.Run(@"
                $taken = [System.Collections.Generic.List[object]]::new()
                do {
                    Get-BatchTaskOutput -JobId $JobId | ForEach-Object {
                        [System.Threading.Thread]::Sleep(500)
                        $taken.Add($_)
                        if ($taken.Count -eq 3) { break }
                    }
                } while ($false)
                $taken", ("JobId", jobId)).ThrowIfFailed().Output;
            Assert.Equal(3, first.Count);
            _output.WriteLine($"the first 3 of them, at half a second each, in {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.Single(session.Run("Get-BatchTaskOutput -JobId $JobId -TaskId t0 -Name f7.txt").ThrowIfFailed().Output);
        }
    }
}
