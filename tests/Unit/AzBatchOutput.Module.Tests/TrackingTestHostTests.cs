using System;
using Xunit;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>The child "pwsh" that the tracking tests (and later Invoke-BatchTaskCommand's tests) run: exit codes and streams.</summary>
    public class TrackingTestHostTests
    {
        [Theory]
        [InlineData("exit 7", 7)]
        [InlineData("function Fail { exit 9 }; Fail; 'not reached'", 9)]
        [InlineData("'fine'", 0)]
        [InlineData("throw 'boom'", 1)]
        [InlineData("$global:LASTEXITCODE = 5", 5)]
        [InlineData("$global:LASTEXITCODE = 5; throw 'boom'", 1)]
        public void ExitCodeIsTheScriptsAsWithPwsh(string script, int expected)
        {
            using var child = TestHostProcess.Start(script);
            var code = child.WaitForExit(TimeSpan.FromSeconds(60));
            Assert.True(expected == code, $"exit code {code}, expected {expected}\nstdout:\n{child.StandardOutput}\nstderr:\n{child.StandardError}");
        }

        [Fact]
        public void OutputGoesToStdoutAndErrorsToStderr()
        {
            using var child = TestHostProcess.Start("'to stdout'; 1..2; Get-NoSuchCommand; 'after the error'; throw 'the end'");
            Assert.Equal(1, child.WaitForExit(TimeSpan.FromSeconds(60)));
            Assert.Contains("to stdout", child.StandardOutput);
            Assert.Contains("after the error", child.StandardOutput);
            Assert.Contains("Get-NoSuchCommand", child.StandardError);
            Assert.DoesNotContain("Get-NoSuchCommand", child.StandardOutput);
            Assert.DoesNotContain("\u001b[", child.StandardOutput); // plain text when redirected, as pwsh
            Assert.Contains("the end", child.StandardError);
            Assert.DoesNotContain("the end", child.StandardOutput);
        }
    }
}
