using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using AzBatchOutput.Module.Tests.Faults;
using AzBatchOutput.Module.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>
    /// Content is checked both ways with MD5 (Azurite 3.37 verifies MD5; the SDK's CRC64 is a structured message it
    /// does not understand): uploads send Content-MD5 for the service to check and leave every blob with its whole
    /// MD5 stored; downloads check that MD5, or each range's when a blob has none. A byte flipped in transit is caught,
    /// the file is sent or fetched again, and what lands is exact.
    /// </summary>
    public class IntegrityTests
    {
        private readonly ITestOutputHelper _output;

        public IntegrityTests(ITestOutputHelper output) => _output = output;

        // 81,920 and 245,761: exactly one of the download's copy buffers, and three plus a byte (a file fetched in one
        // request is written a full buffer at a time). 262,144 and 262,145: the largest file a save reads whole and sends
        // from memory, and the smallest it streams from the file.
        private static readonly int[] Sizes = { 0, 1, 70_000, 81_920, 245_761, 262_144, 262_145, 4 * 1024 * 1024 + 1, 9 * 1024 * 1024 + 3 };

        private static void WriteFiles(ModuleSession session)
        {
            foreach (var size in Sizes)
            {
                session.Folder.WriteRandomFile($"in/f{size}.bin", size, seed: 100 + size);
            }
        }

        /// <summary>Every file written by <see cref="WriteFiles"/> came down to dl/t1/TaskOutput byte for byte.</summary>
        private static void AssertDownloadedIntact(ModuleSession session)
        {
            foreach (var size in Sizes)
            {
                Assert.Equal(TempFolder.Sha256(session.Folder.Combine("in", $"f{size}.bin")), TempFolder.Sha256(session.Folder.Combine("dl", "t1", "TaskOutput", $"f{size}.bin")));
            }
        }

        [Fact]
        public void EveryUploadCarriesAnMd5AndEverySavedBlobKeepsItsWholeMd5()
        {
            using var proxy = new FaultProxy(TestStorage.Server.BlobEndpoint, new FaultPlan(1, 0.0));
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("Md5");
            var containerName = session.InitializeJob(jobId);
            WriteFiles(session);
            session.ConnectAt(proxy.BlobEndpoint);

            session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path in | Out-Null", ("JobId", jobId)).ThrowIfFailed();
            var uploads = proxy.Requests.Where(r => r.Method == "PUT" && r.Path.Contains("/t1/")).ToList();
            // Put Blob for files up to 4 MiB, a Put Block per 4 MiB of larger ones, then Put Block List and Set Blob
            // Properties (no content).
            const int block = 4 * 1024 * 1024;
            var contentUploads = uploads.Where(r => !r.Query.Contains("comp=blocklist") && !r.Query.Contains("comp=properties")).ToList();
            Assert.Equal(Sizes.Sum(size => size <= block ? 1 : (size + block - 1) / block), contentUploads.Count);
            Assert.All(contentUploads, r => Assert.False(string.IsNullOrEmpty(r.ContentMd5), $"{r.Method} {r.Path} {r.Query} has no Content-MD5"));
            Assert.All(uploads, r => Assert.Null(r.StructuredBody));

            // What other tools check on download (AzCopy, Storage Explorer) is there for every blob, blocks or not.
            var container = TestStorage.Sdk.GetBlobContainerClient(containerName);
            foreach (var size in Sizes)
            {
                var stored = container.GetBlobClient($"t1/$TaskOutput/f{size}.bin").GetProperties().Value;
                Assert.Equal(Md5Of(session.Folder.Combine("in", $"f{size}.bin")), stored.ContentHash);
                Assert.Equal("application/octet-stream", stored.ContentType);
            }
        }

        [Fact]
        public void DownloadsCheckTheStoredMd5AndAskForRangeMd5sOnlyWhenABlobHasNone()
        {
            using var proxy = new FaultProxy(TestStorage.Server.BlobEndpoint, new FaultPlan(1, 0.0));
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("Md5Down");
            var containerName = session.InitializeJob(jobId);
            WriteFiles(session);
            session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path in | Out-Null", ("JobId", jobId)).ThrowIfFailed();
            // Another tool's block upload leaves no stored MD5.
            var foreign = session.Folder.WriteRandomFile("foreign.bin", 10 * 1024 * 1024 + 5, seed: 9);
            var container = TestStorage.Sdk.GetBlobContainerClient(containerName);
            container.GetBlobClient("t2/$TaskOutput/foreign.bin").Upload(foreign, new Azure.Storage.Blobs.Models.BlobUploadOptions
            {
                TransferOptions = new Azure.Storage.StorageTransferOptions { InitialTransferSize = 1024 * 1024, MaximumTransferSize = 1024 * 1024 },
            });
            Assert.Null(container.GetBlobClient("t2/$TaskOutput/foreign.bin").GetProperties().Value.ContentHash);
            session.ConnectAt(proxy.BlobEndpoint);

            session.Run("Get-BatchTaskOutput -JobId $JobId -Destination dl | Out-Null", ("JobId", jobId)).ThrowIfFailed();
            var reads = proxy.Requests.Where(r => r.IsBlobDownload && r.Range != null).ToList();
            var ours = reads.Where(r => r.Path.Contains("/t1/")).ToList();
            var theirs = reads.Where(r => r.Path.Contains("/t2/")).ToList();
            _output.WriteLine(string.Join(Environment.NewLine, reads.Select(r => $"{r.Path} {r.Range} md5={r.RangeMd5}")));

            // Saved by the module: checked whole against the stored MD5, in 8 MiB ranges, no range MD5 asked of the service.
            Assert.NotEmpty(ours);
            Assert.All(ours, r => Assert.Null(r.RangeMd5));
            Assert.Equal(2, ours.Count(r => r.Path.EndsWith("f9437187.bin", StringComparison.Ordinal)));
            // No stored MD5: every range's MD5 computed by the service (at most 4 MiB each) and checked.
            Assert.Equal(3, theirs.Count);
            Assert.All(theirs, r => Assert.Equal("true", r.RangeMd5));

            AssertDownloadedIntact(session);

            Assert.Equal(TempFolder.Sha256(foreign), TempFolder.Sha256(session.Folder.Combine("dl", "t2", "TaskOutput", "foreign.bin")));
        }

        [Fact]
        public void ABlobWhoseStoredMd5IsWrongIsFetchedAgainRangeByRangeAndLandsIntact()
        {
            using var proxy = new FaultProxy(TestStorage.Server.BlobEndpoint, new FaultPlan(1, 0.0));
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("WrongMd5");
            var containerName = session.InitializeJob(jobId);
            var local = session.Folder.WriteRandomFile("in/big.bin", 9 * 1024 * 1024, seed: 4);
            session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path in | Out-Null", ("JobId", jobId)).ThrowIfFailed();
            var blob = TestStorage.Sdk.GetBlobContainerClient(containerName).GetBlobClient("t1/$TaskOutput/big.bin");
            blob.SetHttpHeaders(new Azure.Storage.Blobs.Models.BlobHttpHeaders { ContentType = "application/octet-stream", ContentHash = new byte[16] });
            session.ConnectAt(proxy.BlobEndpoint);

            var result = session.Run("$VerbosePreference = 'Continue'; Get-BatchTaskOutput -JobId $JobId -TaskId t1 -Destination dl", ("JobId", jobId)).ThrowIfFailed();

            Assert.Single(result.Output);
            Assert.Single(result.Verbose, v => v.Message.Contains("arrived corrupted"));
            var reads = proxy.Requests.Where(r => r.IsBlobDownload && r.Range != null).ToList();
            Assert.Equal(2, reads.Count(r => r.RangeMd5 == null));
            Assert.Equal(3, reads.Count(r => r.RangeMd5 == "true"));
            Assert.Equal(TempFolder.Sha256(local), TempFolder.Sha256(session.Folder.Combine("dl", "t1", "TaskOutput", "big.bin")));
            Assert.Single(Directory.GetFiles(session.Folder.Combine("dl"), "*", SearchOption.AllDirectories));
        }

        private static byte[] Md5Of(string path)
        {
            using var md5 = System.Security.Cryptography.MD5.Create();
            using var stream = File.OpenRead(path);
            return md5.ComputeHash(stream);
        }

        [Fact]
        public void AByteFlippedOnTheWayDownIsCaughtAndTheFileFetchedAgain()
        {
            var firstRead = new ConcurrentDictionary<string, byte>();
            var plan = new FaultPlan(7, 1.0, FaultKind.FlipResponseByte)
            {
                // Corrupt the first answer about each blob, never a repeat.
                Applies = r => r.IsBlobDownload && firstRead.TryAdd(r.Path, 0),
            };
            using var proxy = new FaultProxy(TestStorage.Server.BlobEndpoint, plan);
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("FlipDown");
            session.InitializeJob(jobId);
            WriteFiles(session);
            session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path in | Out-Null", ("JobId", jobId)).ThrowIfFailed();
            session.ConnectAt(proxy.BlobEndpoint);

            var result = session.Run("$VerbosePreference = 'Continue'; Get-BatchTaskOutput -JobId $JobId -TaskId t1 -Destination dl").ThrowIfFailed();
            var flipped = proxy.FaultsByKind[FaultKind.FlipResponseByte];
            var refetched = result.Verbose.Count(v => v.Message.Contains("arrived corrupted"));
            _output.WriteLine($"{proxy.Describe()}; files re-fetched {refetched}");

            Assert.True(flipped >= Sizes.Length - 1, $"only {flipped} responses were flipped"); // an empty blob's answer has no byte to flip
            Assert.Equal(Sizes.Length - 1, refetched);
            Assert.Equal(Sizes.Length, result.Output.Count);
            AssertDownloadedIntact(session);

            Assert.Equal(Sizes.Length, Directory.GetFiles(session.Folder.Combine("dl"), "*", SearchOption.AllDirectories).Length);
        }

        [Fact]
        public void AByteFlippedOnTheWayUpIsRefusedByTheServiceAndTheFileSentAgain()
        {
            var firstSend = new ConcurrentDictionary<string, byte>();
            var plan = new FaultPlan(8, 1.0, FaultKind.FlipRequestByte)
            {
                // Corrupt the first content sent for each blob (a whole small file, or one block of the large one).
                Applies = r => r.IsContentUpload && firstSend.TryAdd(r.Path, 0),
            };
            using var proxy = new FaultProxy(TestStorage.Server.BlobEndpoint, plan);
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("FlipUp");
            var containerName = session.InitializeJob(jobId);
            WriteFiles(session);
            session.ConnectAt(proxy.BlobEndpoint);

            var result = session.Run("$VerbosePreference = 'Continue'; Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path in", ("JobId", jobId)).ThrowIfFailed();
            var resent = result.Verbose.Count(v => v.Message.Contains("corrupted on arrival"));
            _output.WriteLine($"{proxy.Describe()}; files re-sent {resent}");

            Assert.Equal(Sizes.Length, result.Output.Count);
            Assert.Equal(Sizes.Length - 1, resent); // every file but the empty one had a byte flipped once
            var stored = ProxiedStorage.HashContainer(containerName);
            foreach (var size in Sizes)
            {
                Assert.Equal(TempFolder.Sha256(session.Folder.Combine("in", $"f{size}.bin")), stored[$"t1/$TaskOutput/f{size}.bin"]);
            }
        }
    }
}
