using AzBatchOutput.Storage;
using Xunit;

namespace AzBatchOutput.Engine.Tests.Storage
{
    /// <summary>
    /// Blob names may hold characters that Windows file names may not (a Linux node saves 'a|b.txt' happily): a download
    /// on Windows names the character and skips that one file instead of failing the whole download.
    /// </summary>
    public class DownloadLayoutTests
    {
        // What Path.GetInvalidFileNameChars() returns on Windows, besides the control characters.
        private static readonly char[] WindowsFileNameCharacters = { '"', '<', '>', '|', ':', '*', '?', '\\', '/', '\0' };

        // ... and on Linux and macOS.
        private static readonly char[] UnixFileNameCharacters = { '\0', '/' };

        [Theory]
        [InlineData("t1/TaskOutput/frames/0001.exr", null)]
        [InlineData("t1/TaskOutput/a|b.txt", '|')]
        [InlineData("t1/TaskLog/run 12:30.log", ':')]
        [InlineData("t1/TaskOutput/\"quoted\"/x.txt", '"')]
        [InlineData("t1/TaskOutput/what?.txt", '?')]
        [InlineData("JobOutput/<tag>.xml", '<')]
        [InlineData("t1/TaskOutput/back\\slash.txt", '\\')]
        public void OnWindowsTheFirstForbiddenCharacterIsNamed(string relativePath, char? expected)
        {
            Assert.Equal(expected, DownloadLayout.FindCharacterNotAllowed(relativePath, WindowsFileNameCharacters));
        }

        [Theory]
        [InlineData("t1/TaskOutput/a|b.txt")]
        [InlineData("t1/TaskLog/run 12:30.log")]
        [InlineData("JobOutput/<tag>?.xml")]
        public void OnLinuxTheSameNamesAreAllowed(string relativePath)
        {
            Assert.Null(DownloadLayout.FindCharacterNotAllowed(relativePath, UnixFileNameCharacters));
        }
    }
}
