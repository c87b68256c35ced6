using System.IO;
using System.Linq;
using System.Text;
using AzBatchOutput.Storage;
using Xunit;

namespace AzBatchOutput.Engine.Tests.Storage
{
    /// <summary>
    /// A download is written to a temporary name beside its target and renamed into place: that name must fit wherever
    /// the target fits (one name's 255 bytes; a whole path's 259 characters on Windows PowerShell 5.1).
    /// </summary>
    public class PartialPathTests
    {
        private static readonly string Folder = Path.Combine(Path.GetTempPath(), "dl", "t1", "TaskOutput");

        private static string NameOf(string partial) => Path.GetFileName(partial);

        [Fact]
        public void AShortNameKeepsItsNameAndGetsAFreshTagEachTime()
        {
            var target = Path.Combine(Folder, "result.txt");
            var first = OutputDownloader.PartialPathFor(target, maxPathLength: null);
            var second = OutputDownloader.PartialPathFor(target, maxPathLength: null);
            Assert.Equal(Folder, Path.GetDirectoryName(first));
            Assert.Matches(@"^result\.txt\.[0-9a-f]{8}\.azbo-partial$", NameOf(first));
            Assert.NotEqual(first, second);
        }

        [Theory]
        [InlineData('a', 250)] // one byte a character
        [InlineData('é', 200)] // two bytes a character: 400 bytes
        public void ALongNameIsShortenedToFitOneNamesLimitInBytes(char character, int count)
        {
            var name = new string(character, count);
            var partial = OutputDownloader.PartialPathFor(Path.Combine(Folder, name), maxPathLength: null);
            Assert.InRange(Encoding.UTF8.GetByteCount(NameOf(partial)), 200, LocalFileSystem.MaxNameLength);
            Assert.StartsWith(new string(character, 10), NameOf(partial));
            Assert.EndsWith(".azbo-partial", partial);
        }

        [Fact]
        public void ShorteningNeverSplitsACharacterOutsideTheBasicPlane()
        {
            var name = string.Concat(Enumerable.Repeat("\U0001F600", 100)); // 400 bytes, two UTF-16 units each
            var kept = NameOf(OutputDownloader.PartialPathFor(Path.Combine(Folder, name), maxPathLength: null)).Split('.')[0];
            Assert.True(kept.Length > 0 && kept.Length % 2 == 0, $"{kept.Length} UTF-16 units kept");
            Assert.Equal(kept, string.Concat(Enumerable.Repeat("\U0001F600", kept.Length / 2)));
        }

        [Fact]
        public void WhereThePathHasALimitATargetThatFitsItGetsATemporaryNameThatFitsItToo()
        {
            var name = new string('n', 40);
            var target = Path.Combine(Folder, name);
            var limit = target.Length + 5; // the target fits; its name plus the 22-character tag would not

            var partial = OutputDownloader.PartialPathFor(target, limit);

            Assert.InRange(partial.Length, limit - 1, limit);
            Assert.Equal(Folder, Path.GetDirectoryName(partial));
            Assert.Matches(@"^n+\.[0-9a-f]{8}\.azbo-partial$", NameOf(partial));
        }

        [Fact]
        public void AFolderTooDeepForAnyOfTheNameKeepsTheTagAlone()
        {
            var target = Path.Combine(Folder, "result.txt");
            var partial = OutputDownloader.PartialPathFor(target, maxPathLength: Folder.Length + 10);
            Assert.Matches(@"^\.[0-9a-f]{8}\.azbo-partial$", NameOf(partial));
        }
    }
}
