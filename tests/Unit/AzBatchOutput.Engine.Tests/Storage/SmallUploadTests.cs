using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using AzBatchOutput.Storage;
using Azure.Storage.Blobs;
using Xunit;

namespace AzBatchOutput.Engine.Tests.Storage
{
    /// <summary>A small file is read whole before it is sent: one that got shorter after it was opened is refused, not saved short.</summary>
    public class SmallUploadTests
    {
        [Fact]
        public async Task AFileShorterThanWhenItWasOpenedIsRefusedBeforeAnythingIsSent()
        {
            // Port 9 (discard) on loopback: had the upload been attempted, it would have failed with a connection error instead.
            var blob = new BlobClient(new Uri("http://127.0.0.1:9/devstoreaccount1/job-j1/t1/$TaskOutput/log.txt"));
            var item = new UploadItem("/data/log.txt", "t1", "TaskOutput", "log.txt", "t1/$TaskOutput/log.txt", 40);

            var error = await Assert.ThrowsAsync<BatchOutputException>(() =>
                OutputUploader.UploadFromMemoryAsync(blob, item, new MemoryStream(new byte[25]), 40, "text/plain", null, CancellationToken.None));

            Assert.Equal("LocalFileChanged", error.ErrorId);
            Assert.Equal(FailureCategory.ReadError, error.Category);
            Assert.Contains("'/data/log.txt' got shorter while it was saved (it had 40 bytes when opened)", error.Message);
        }
    }
}
