using System;
using System.IO;
using AzBatchOutput.Batch;
using Xunit;

namespace AzBatchOutput.Engine.Tests.Batch
{
    /// <summary>A task command's program is found from PowerShell's location, as PowerShell and Windows would find it.</summary>
    public sealed class ProgramLocationTests : IDisposable
    {
        private readonly string _folder = Path.Combine(Path.GetTempPath(), "azbo-program-" + Guid.NewGuid().ToString("N").Substring(0, 8));

        public ProgramLocationTests()
        {
            Directory.CreateDirectory(Path.Combine(_folder, "bin"));
            File.WriteAllText(Path.Combine(_folder, "bin", "tool.exe"), string.Empty);
            File.WriteAllText(Path.Combine(_folder, "bin", "build.cmd"), string.Empty);
            File.WriteAllText(Path.Combine(_folder, "render"), string.Empty);
        }

        [Theory]
        [InlineData("./render", true, "render")]
        [InlineData("./render", false, "render")]
        [InlineData("bin/tool", true, "bin/tool.exe")]
        [InlineData("bin/build", true, "bin/build.cmd")]
        [InlineData("bin/build.cmd", true, "bin/build.cmd")]
        public void APathWithAFolderIsFoundFromTheCurrentLocation(string filePath, bool onWindows, string expected)
        {
            var found = ProgramLocation.Resolve(filePath, _folder, onWindows, ".com;.exe;.bat;.cmd");

            Assert.Equal(Path.GetFullPath(Path.Combine(_folder, expected)), Path.GetFullPath(found));
            Assert.True(onWindows || File.Exists(found));
        }

        [Theory]
        [InlineData("bin/tool", false)]
        [InlineData("bin/missing", true)]
        [InlineData("tool", true)]
        [InlineData("pwsh", false)]
        public void WhatIsNotFoundThereIsLeftForTheSystemToFind(string filePath, bool onWindows)
        {
            Assert.Equal(filePath, ProgramLocation.Resolve(filePath, _folder, onWindows, ".exe;.cmd"));
        }

        public void Dispose() => Directory.Delete(_folder, recursive: true);
    }
}
