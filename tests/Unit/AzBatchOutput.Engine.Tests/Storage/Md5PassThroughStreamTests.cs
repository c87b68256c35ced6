using System;
using System.IO;
using System.Security.Cryptography;
using System.Threading.Tasks;
using AzBatchOutput.Storage;
using Xunit;

namespace AzBatchOutput.Engine.Tests.Storage
{
    /// <summary>The whole-file MD5 that uploads store and downloads check is the MD5 of exactly the bytes that passed.</summary>
    public class Md5PassThroughStreamTests
    {
        private static byte[] Content(int length)
        {
            var bytes = new byte[length];
            new Random(length).NextBytes(bytes);
            return bytes;
        }

        [Theory]
        [InlineData(0, false)]
        [InlineData(1, false)]
        [InlineData(300_001, false)]
        [InlineData(0, true)]
        [InlineData(1, true)]
        [InlineData(9 * 1024 * 1024 + 7, true)]
        public async Task WritesReachTheInnerStreamAndHashToTheirMd5(int length, bool inBackground)
        {
            var content = Content(length);
            using var inner = new MemoryStream();
            using (var hashing = new Md5PassThroughStream(inner, inBackground))
            {
                // Uneven pieces, sync and async, as a copy loop would write them.
                var offset = 0;
                var piece = 1;
                while (offset < length)
                {
                    var count = Math.Min(piece, length - offset);
                    if (piece % 2 == 0)
                    {
                        await hashing.WriteAsync(content, offset, count);
                    }
                    else
                    {
                        hashing.Write(content, offset, count);
                    }

                    offset += count;
                    piece = piece * 3 + 1;
                }

                Assert.Equal(MD5.HashData(content), await hashing.GetHashAsync());
                Assert.Equal(length, hashing.BytesPassed);
            }

            Assert.Equal(content, inner.ToArray());
        }

        [Theory]
        [InlineData(false)]
        [InlineData(true)]
        public async Task ReadsHashToTheMd5OfWhatWasRead(bool inBackground)
        {
            var content = Content(5 * 1024 * 1024 + 3);
            using var hashing = new Md5PassThroughStream(new MemoryStream(content), inBackground);
            var buffer = new byte[81920];
            using var copy = new MemoryStream();
            int read;
            while ((read = await hashing.ReadAsync(buffer, 0, buffer.Length)) > 0)
            {
                copy.Write(buffer, 0, read);
            }

            Assert.Equal(content, copy.ToArray());
            Assert.Equal(MD5.HashData(content), await hashing.GetHashAsync());
        }

        [Fact]
        public async Task ASeekElsewhereLeavesNoHashToTrust()
        {
            var content = Content(1000);
            using var hashing = new Md5PassThroughStream(new MemoryStream(content), hashInBackground: false);
            hashing.Read(new byte[500], 0, 500);
            hashing.Position = 0; // a retry that reads the start again
            hashing.Read(new byte[1000], 0, 1000);

            Assert.Null(await hashing.GetHashAsync());
        }

        [Fact]
        public async Task SettingThePositionWhereItAlreadyIsKeepsTheHash()
        {
            var content = Content(1000);
            using var hashing = new Md5PassThroughStream(new MemoryStream(content), hashInBackground: true);
            hashing.Position = 0;
            hashing.Read(new byte[1000], 0, 1000);
            hashing.Position = 1000;

            Assert.Equal(MD5.HashData(content), await hashing.GetHashAsync());
        }

        [Fact]
        public void DisposingMidTransferStopsTheHashThread()
        {
            var hashing = new Md5PassThroughStream(new MemoryStream(), hashInBackground: true);
            hashing.Write(Content(100_000), 0, 100_000);
            var disposed = Task.Run(hashing.Dispose);
            Assert.True(disposed.Wait(TimeSpan.FromSeconds(10)), "Dispose did not return: the hash thread never stopped");
        }
    }
}
