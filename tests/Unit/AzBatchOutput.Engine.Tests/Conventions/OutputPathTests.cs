using System;
using System.Collections.Generic;
using System.Linq;
using AzBatchOutput.Conventions;
using Xunit;
using static AzBatchOutput.Engine.Tests.Conventions.ConventionsAssert;

namespace AzBatchOutput.Engine.Tests.Conventions
{
    public class OutputPathTests
    {
        [Theory]
        [InlineData("a.txt", "a.txt")]
        [InlineData("out/a.txt", "out/a.txt")]
        [InlineData("out\\a.txt", "out/a.txt")]
        [InlineData("out\\sub\\a.txt", "out/sub/a.txt")]
        [InlineData("out/sub\\a.txt", "out/sub/a.txt")]
        [InlineData("./a.txt", "a.txt")]
        [InlineData(".\\a.txt", "a.txt")]
        [InlineData("a/./b", "a/b")]
        [InlineData("a/../b", "b")]
        [InlineData("a\\..\\b", "b")]
        [InlineData("a/b/../../c", "c")]
        [InlineData("a/b/../c/./d", "a/c/d")]
        [InlineData("a//b", "a/b")]
        [InlineData("a/b/", "a/b")]
        [InlineData("a/b\\", "a/b")]
        [InlineData("a+b c%20.txt", "a+b c%20.txt")]
        [InlineData("Résumé/データ.txt", "Résumé/データ.txt")]
        [InlineData(".hidden", ".hidden")]
        [InlineData("a..b", "a..b")]
        [InlineData("..a/b", "..a/b")]
        [InlineData("x/C:y", "x/C:y")]           // only a leading drive is rooted
        [InlineData("time 10:00.log", "time 10:00.log")]
        public void Normalize(string input, string expected)
        {
            Assert.Equal(expected, OutputPath.Normalize(input));
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("/")]
        [InlineData("\\")]
        [InlineData("//")]
        [InlineData("\\/\\")]
        [InlineData(".")]
        [InlineData("./")]
        [InlineData("./.")]
        [InlineData("a/..")]
        [InlineData("a/b/../..")]
        public void Paths_that_name_no_file_are_refused(string input)
        {
            var ex = Throws("InvalidOutputPath", () => OutputPath.Normalize(input));
            Assert.Equal(input, ex.Target);
        }

        [Theory]
        [InlineData("..")]
        [InlineData("../x")]
        [InlineData("..\\x")]
        [InlineData("..\\..\\x")]
        [InlineData("../../x")]
        [InlineData("a/../../x")]
        [InlineData("a\\..\\..\\x")]
        [InlineData("./../x")]
        [InlineData("a/b/../../../x")]
        public void Paths_that_leave_the_kind_folder_are_refused(string input)
        {
            var ex = Throws("InvalidOutputPath", () => OutputPath.Normalize(input));
            Assert.Equal(input, ex.Target);
            Assert.Contains("'" + input + "'", ex.Message);
            Assert.Contains("..", ex.Message);
        }

        [Theory]
        [InlineData("/x")]
        [InlineData("/out/a.txt")]
        [InlineData("\\x")]
        [InlineData("\\\\server\\share")]
        [InlineData("\\\\server\\share\\a.txt")]
        [InlineData("//server/share/a.txt")]
        [InlineData("C:\\x")]
        [InlineData("C:/x")]
        [InlineData("c:\\x")]
        [InlineData("C:x")]
        [InlineData("C:")]
        [InlineData("z:a.txt")]
        public void Rooted_paths_are_refused(string input)
        {
            var ex = Throws("InvalidOutputPath", () => OutputPath.Normalize(input));
            Assert.Equal(input, ex.Target);
            Assert.Contains("'" + input + "'", ex.Message);
            Assert.Contains("rooted", ex.Message);
        }

        [Theory]
        [InlineData("a\u0000b")]
        [InlineData("a\nb")]
        [InlineData("out/a\r.txt")]
        [InlineData("\u007f")]
        [InlineData("a\u0085b")]
        public void Control_characters_are_refused(string input)
        {
            var ex = Throws("InvalidOutputPath", () => OutputPath.Normalize(input));
            Assert.Equal(input, ex.Target);
            Assert.Contains("control character", ex.Message);
        }

        [Theory]
        [InlineData("notes.")]
        [InlineData("dir./a.txt")]
        [InlineData("...")]
        [InlineData("a/.../b")]
        public void Segments_ending_in_a_dot_are_refused_because_storage_drops_the_dot(string input)
        {
            var ex = Throws("InvalidOutputPath", () => OutputPath.Normalize(input));
            Assert.Equal(input, ex.Target);
        }

        [Theory]
        [InlineData("a.txt")]
        [InlineData("out/a.txt")]
        [InlineData("out/sub/deep/a.txt")]
        [InlineData("a+b c%20.txt")]
        [InlineData(".hidden")]
        [InlineData("a..b")]
        [InlineData("..a")]
        [InlineData("Résumé/データ.txt")]
        [InlineData("CONTRIBUTING.md")]
        [InlineData("console.log")]
        [InlineData("COM10")]
        [InlineData("LPT")]
        [InlineData("nullable.txt")]
        [InlineData("ab:c.txt")]
        [InlineData("2024-01-01T10:00:00.log")]
        [InlineData(" leading-space.txt")]
        public void Safe_relative_paths(string input)
        {
            Assert.True(OutputPath.TryGetSafeRelativePath(input, out var safe, out var reason));
            Assert.Equal(input, safe);
            Assert.Null(reason);
        }

        [Theory]
        [InlineData(null, "empty")]
        [InlineData("", "empty")]
        [InlineData("..", "'..'")]
        [InlineData("../x", "'..'")]
        [InlineData("a/../b", "'..'")]
        [InlineData("a/..", "'..'")]
        [InlineData(".", "'.'")]
        [InlineData("./a", "'.'")]
        [InlineData("a/./b", "'.'")]
        [InlineData("/x", "rooted")]
        [InlineData("//server/share", "rooted")]
        [InlineData("\\x", "'\\'")]
        [InlineData("a\\b", "'\\'")]
        [InlineData("..\\..\\x", "'\\'")]
        [InlineData("C:x", "drive")]
        [InlineData("C:", "drive")]
        [InlineData("C:/x", "drive")]
        [InlineData("a:b.txt", "drive")]
        [InlineData("x/C:y", "drive")]
        [InlineData("a//b", "empty segment")]
        [InlineData("a/", "empty segment")]
        [InlineData("a.", "ends in '.'")]
        [InlineData("...", "ends in '.'")]
        [InlineData("dir./x", "ends in '.'")]
        [InlineData("a ", "ends in ' '")]
        [InlineData("dir /x", "ends in ' '")]
        [InlineData("CON", "reserved")]
        [InlineData("con", "reserved")]
        [InlineData("con.txt", "reserved")]
        [InlineData("NUL", "reserved")]
        [InlineData("nul.tar.gz", "reserved")]
        [InlineData("PRN", "reserved")]
        [InlineData("AUX.log", "reserved")]
        [InlineData("x/COM1.log", "reserved")]
        [InlineData("COM9", "reserved")]
        [InlineData("LPT1", "reserved")]
        [InlineData("lpt9.txt", "reserved")]
        [InlineData("CON .txt", "reserved")]
        [InlineData("COM\u00B9", "reserved")]
        [InlineData("CONIN$", "reserved")]
        [InlineData("a\u0007b", "control character")]
        [InlineData("a\tb", "control character")]
        public void Unsafe_relative_paths(string input, string reasonMentions)
        {
            Assert.False(OutputPath.TryGetSafeRelativePath(input, out var safe, out var reason));
            Assert.Null(safe);
            Assert.NotNull(reason);
            Assert.Contains(reasonMentions, reason);
        }

        public static IEnumerable<object[]> RefusedByNormalize() => new[]
        {
            null, "", "/", "//", ".", "./", "a/..", "..", "../x", "..\\..\\x", "a/../../x", "/x", "\\x", "\\\\server\\share",
            "C:\\x", "C:x", "C:", "a\u0000b", "notes.", "...",
        }.Select(p => new object[] { p });

        [Theory]
        [MemberData(nameof(RefusedByNormalize))]
        public void Whatever_normalize_refuses_is_unsafe(string input)
        {
            Assert.Throws<BatchOutputException>(() => OutputPath.Normalize(input));
            Assert.False(OutputPath.TryGetSafeRelativePath(input, out _, out _));
        }

        public static IEnumerable<object[]> ChangedByNormalize() => new[]
        {
            "out\\a.txt", "./a.txt", "a/./b", "a/../b", "a//b", "a/b/", "x/y/../z",
        }.Select(p => new object[] { p });

        [Theory]
        [MemberData(nameof(ChangedByNormalize))]
        public void Whatever_normalize_would_change_is_unsafe(string input)
        {
            Assert.NotEqual(input, OutputPath.Normalize(input));
            Assert.False(OutputPath.TryGetSafeRelativePath(input, out _, out _));
        }

        [Theory]
        [InlineData("a.txt")]
        [InlineData("out/sub/a+b.txt")]
        [InlineData("Résumé/データ.txt")]
        [InlineData("..a/b..c")]
        public void Safe_paths_are_left_unchanged_by_normalize(string input)
        {
            Assert.True(OutputPath.TryGetSafeRelativePath(input, out var safe, out _));
            Assert.Equal(safe, OutputPath.Normalize(input));
        }
    }
}
