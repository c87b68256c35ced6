using System.Linq;
using AzBatchOutput.Module.Tests.Infrastructure;
using Xunit;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>
    /// A transfer's per-file verbose lines reach the user however verbose output is asked for (the module skips queuing
    /// them only when nobody asked), and not otherwise.
    /// </summary>
    public class VerboseStreamTests
    {
        [Theory]
        [InlineData("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path a.txt -Verbose", true)]
        [InlineData("$VerbosePreference = 'Continue'; Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path a.txt", true)]
        [InlineData("function Wrap { [CmdletBinding()] param() Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path a.txt }; Wrap -Verbose", true)]
        [InlineData("$VerbosePreference = 'Continue'; Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path a.txt -Verbose:$false", false)]
        [InlineData("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path a.txt", false)]
        public void PerFileVerboseLinesFollowTheVerbosePreference(string script, bool shown)
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("Verbose");
            session.InitializeJob(jobId);
            session.Folder.WriteRandomFile("a.txt", 5);

            var result = session.Run(script, ("JobId", jobId)).ThrowIfFailed();

            Assert.Single(result.Output);
            Assert.Equal(shown, result.Verbose.Any(v => v.Message.StartsWith("Saved '", System.StringComparison.Ordinal)));
        }
    }
}
