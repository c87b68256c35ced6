using System;
using System.Diagnostics;
using System.Linq;
using AzBatchOutput.Batch;
using Xunit;

namespace AzBatchOutput.Engine.Tests.Batch
{
    /// <summary>
    /// Invoke-BatchTaskCommand's arguments reach the program exactly as given; a Windows batch file, which cmd.exe parses
    /// again, gets none that cmd.exe would expand or split.
    /// </summary>
    public class CommandLineArgumentsTests
    {
        private static readonly string[] Awkward = { "plain", "two words", "", "quote\"inside", "trailing\\", "back\\\\\"slash", "tab\there", "a&b|c" };

        [Fact]
        public void AProgramReceivesEveryArgumentExactlyAsGiven()
        {
            // The runtime splits the line by the same C-runtime rules on Linux as a Windows program does.
            var start = new ProcessStartInfo("printf", CommandLineArguments.Join(new[] { "[%s]\\n" }.Concat(Awkward)))
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
            };
            using var printf = Process.Start(start);
            var printed = printf.StandardOutput.ReadToEnd();
            printf.WaitForExit();

            Assert.Equal(string.Concat(Awkward.Select(a => "[" + a + "]\n")), printed);
        }

        [Fact]
        public void ForABatchFileArgumentsWithCmdSyntaxAreQuotedAndOthersLeftAlone()
        {
            var line = CommandLineArguments.Join(new[] { "plain", "a&b", "x y", "", "(1)", "k=v", "c:\\dir\\", "out>file" }, forCmd: true);

            Assert.Equal("plain \"a&b\" \"x y\" \"\" \"(1)\" \"k=v\" c:\\dir\\ \"out>file\"", line);
        }

        [Theory]
        [InlineData("build.cmd", true, true)]
        [InlineData("C:\\jobs\\RUN.BAT", true, true)]
        [InlineData("build.cmd. ", true, true)]
        [InlineData("build.cmd", false, false)]
        [InlineData("cmd.exe", true, false)]
        [InlineData("tool.exe", true, false)]
        [InlineData("script.ps1", true, false)]
        public void OnlyACmdOrBatFileOnWindowsIsABatchFile(string program, bool onWindows, bool expected)
        {
            Assert.Equal(expected, CommandLineArguments.IsBatchFile(program, onWindows));
        }

        [Theory]
        [InlineData("50%", '%')]
        [InlineData("%PATH%", '%')]
        [InlineData("wow!", '!')]
        [InlineData("say \"hi\"", '"')]
        [InlineData("line\nbreak", '\n')]
        public void AnArgumentCmdWouldExpandIsRefusedByNumberAndCharacter(string argument, char character)
        {
            var error = CommandLineArguments.FindArgumentCmdWouldExpand("build.cmd", new[] { "ok", argument });

            Assert.NotNull(error);
            Assert.Equal("UnsafeBatchFileArgument", error.ErrorId);
            Assert.Equal(FailureCategory.InvalidArgument, error.Category);
            Assert.Equal("build.cmd", error.Target);
            Assert.StartsWith("Argument 2 for 'build.cmd' contains ", error.Message);
            Assert.Contains(character == '\n' ? "\\u000a" : "'" + character + "'", error.Message);
        }

        [Fact]
        public void ArgumentsThatQuotingMakesSafeAreAccepted()
        {
            Assert.Null(CommandLineArguments.FindArgumentCmdWouldExpand("build.cmd", new[] { "a&b|c<d>e^f(g)", "x y", "", "C:\\out\\" }));
        }
    }
}
