using System.IO;
using System.Linq;
using AzBatchOutput.Storage;
using Xunit;

namespace AzBatchOutput.Engine.Tests.Storage
{
    /// <summary>A file saved while something writes it is saved as it was when opened: no more, and never silently less.</summary>
    public class LengthLimitedStreamTests
    {
        [Fact]
        public void BytesWrittenAfterOpeningAreNotRead()
        {
            var inner = new MemoryStream(Enumerable.Range(0, 100).Select(i => (byte)i).ToArray());
            var limited = new LengthLimitedStream(inner, 60);
            var copy = new MemoryStream();
            limited.CopyTo(copy, 7);
            Assert.Equal(60, limited.Length);
            Assert.Equal(Enumerable.Range(0, 60).Select(i => (byte)i), copy.ToArray());
            Assert.False(limited.Shrank);
        }

        [Fact]
        public void ItCanBeReadAgainFromTheStartAsAChecksumFirstPassDoes()
        {
            var limited = new LengthLimitedStream(new MemoryStream(new byte[100]), 40);
            limited.CopyTo(Stream.Null);
            limited.Seek(0, SeekOrigin.Begin);
            var again = new MemoryStream();
            limited.CopyTo(again);
            Assert.Equal(40, again.Length);
            Assert.Equal(30, limited.Seek(-10, SeekOrigin.End));
        }

        [Fact]
        public void AFileThatGotShorterFailsTheRead()
        {
            var limited = new LengthLimitedStream(new MemoryStream(new byte[25]), 40);
            var error = Assert.Throws<IOException>(() => limited.CopyTo(Stream.Null));
            Assert.Contains("25 of 40 bytes", error.Message);
            Assert.True(limited.Shrank);
        }
    }
}
