using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using AzBatchOutput.Module.Tests.Faults;
using AzBatchOutput.Module.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>A download that fails midway leaves no half file and no temporary file, and never harms the file it would replace.</summary>
    [Collection(ProcessEnvironmentCollection.Name)]
    public class FaultDownloadTests
    {
        private readonly ITestOutputHelper _output;

        public FaultDownloadTests(ITestOutputHelper output) => _output = output;

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public void ADownloadThatDiesMidwayLeavesNothingHalfWritten(bool replacingWithForce)
        {
            using var retries = new ShortRetries(retries: 2, networkTimeoutSeconds: 2);
            // The first 4 MiB range of every file comes through; every later range is cut off halfway, every time.
            var plan = new FaultPlan(3, 1.0, FaultKind.Truncate)
            {
                Applies = r => r.IsBlobDownload && r.Range != null && !r.Range.StartsWith("bytes=0-", StringComparison.Ordinal),
            };
            using var proxy = new FaultProxy(TestStorage.Server.BlobEndpoint, plan);
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("Midway");
            session.InitializeJob(jobId);
            session.Folder.WriteRandomFile("up/big.bin", 10 * 1024 * 1024, seed: 11);
            session.Folder.WriteRandomFile("up/small.txt", 1000, seed: 12);
            session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path up | Out-Null", ("JobId", jobId)).ThrowIfFailed();
            var dl = session.Folder.Combine("dl");
            var existing = replacingWithForce ? session.Folder.WriteFile("dl/t1/TaskOutput/big.bin", Encoding.UTF8.GetBytes("the old file")) : null;
            session.ConnectAt(proxy.BlobEndpoint);

            var result = session.Run("Get-BatchTaskOutput -JobId $JobId -TaskId t1 -Destination $Dl -Force:$Force", ("JobId", jobId), ("Dl", dl), ("Force", replacingWithForce));
            _output.WriteLine(proxy.Describe());
            var error = result.SingleError();
            _output.WriteLine($"{error.FullyQualifiedErrorId} [{error.CategoryInfo.Category}] {error}");
            Assert.StartsWith("StorageUnreachable,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.ConnectionError, error.CategoryInfo.Category);
            Assert.Contains("big.bin", error.ToString());
            Assert.True(proxy.FaultsByKind[FaultKind.Truncate] >= 3, "the later ranges were not attempted again");
            Assert.True(proxy.Requests.Any(r => r.IsBlobDownload && r.Range != null && r.Range.StartsWith("bytes=0-", StringComparison.Ordinal) && r.Path.EndsWith("big.bin", StringComparison.Ordinal)),
                "the first range was never read, so the failure was not midway");

            // The small file arrived; the big one is absent (or still the old file) and no temporary file is left.
            var files = Directory.GetFiles(dl, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(dl, f).Replace('\\', '/')).OrderBy(f => f, StringComparer.Ordinal).ToArray();
            Assert.Equal(replacingWithForce ? new[] { "t1/TaskOutput/big.bin", "t1/TaskOutput/small.txt" } : new[] { "t1/TaskOutput/small.txt" }, files);
            if (replacingWithForce)
            {
                Assert.Equal("the old file", File.ReadAllText(existing));
            }

            Assert.Equal(TempFolder.Sha256(session.Folder.Combine("up", "small.txt")), TempFolder.Sha256(Path.Combine(dl, "t1", "TaskOutput", "small.txt")));
        }
    }
}
