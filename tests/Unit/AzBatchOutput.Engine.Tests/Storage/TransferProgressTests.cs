using AzBatchOutput.Storage;
using Xunit;

namespace AzBatchOutput.Engine.Tests.Storage
{
    /// <summary>PowerShell refuses a progress record over 100%: a file that grew while it was saved must not cause one.</summary>
    public class TransferProgressTests
    {
        [Theory]
        [InlineData(0, 100, 0, 2, 0)]
        [InlineData(50, 100, 1, 2, 50)]
        [InlineData(150, 100, 2, 2, 100)]
        [InlineData(0, 0, 3, 2, 100)]
        [InlineData(0, 0, 1, 4, 25)]
        [InlineData(0, 0, 0, 0, 0)]
        public void PercentCompleteStaysWithinZeroToOneHundred(long bytesDone, long bytesTotal, int filesDone, int filesTotal, int expected)
        {
            var progress = new TransferProgress { BytesDone = bytesDone, BytesTotal = bytesTotal, FilesDone = filesDone, FilesTotal = filesTotal };
            Assert.Equal(expected, progress.PercentComplete);
        }
    }
}
