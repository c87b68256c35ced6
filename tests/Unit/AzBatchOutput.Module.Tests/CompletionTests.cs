using System.Linq;
using AzBatchOutput.Module.Tests.Infrastructure;
using Xunit;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>Tab completion through TabExpansion2 in the real engine, as a person at the prompt gets it.</summary>
    public class CompletionTests
    {
        private static string[] Complete(ModuleSession session, string line) =>
            session.Run("(TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches | ForEach-Object CompletionText", ("Line", line))
                .ThrowIfFailed().Output.Select(o => o.ToString()).ToArray();

        [Fact]
        public void JobIdsCompleteFromContainerMetadataAndPlainNames()
        {
            using var session = ModuleSession.Start();
            var stem = "Compl" + System.Guid.NewGuid().ToString("N").Substring(0, 6);
            session.InitializeJob(stem + "_Hashed:job-1");     // hashed container name: only the metadata knows the ID
            session.InitializeJob(stem.ToLowerInvariant() + "-plain");
            // A container another tool made for a simple ID, without metadata: the name alone gives the ID back.
            TestStorage.Sdk.CreateBlobContainer("job-" + stem.ToLowerInvariant() + "-foreign");

            var matches = Complete(session, "Get-BatchTaskOutput -JobId " + stem.Substring(0, 7));
            Assert.Contains(stem + "_Hashed:job-1", matches.Select(m => m.Trim('\'')));
            Assert.Contains(stem.ToLowerInvariant() + "-plain", matches);
            Assert.Contains(stem.ToLowerInvariant() + "-foreign", matches);
        }

        [Fact]
        public void TaskIdsAndKindsCompleteFromTheJobsContainer()
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("ComplTasks");
            session.InitializeJob(jobId);
            session.Folder.WriteRandomFile("a.txt", 3);
            session.Run(@"
                Save-BatchTaskOutput -JobId $JobId -TaskId render-001 -Path a.txt | Out-Null
                Save-BatchTaskOutput -JobId $JobId -TaskId render-002 -Kind Heatmaps -Path a.txt | Out-Null
                Save-BatchTaskOutput -JobId $JobId -TaskId merge -Path a.txt | Out-Null
                Save-BatchJobOutput -JobId $JobId -Kind Summary -Path a.txt | Out-Null", ("JobId", jobId)).ThrowIfFailed();

            Assert.Equal(new[] { "render-001", "render-002" }, Complete(session, $"Get-BatchTaskOutput -JobId {jobId} -TaskId ren"));
            var taskKinds = Complete(session, $"Get-BatchTaskOutput -JobId {jobId} -Kind ");
            Assert.Equal(new[] { "Heatmaps", "TaskIntermediate", "TaskLog", "TaskOutput", "TaskPreview" }, taskKinds);
            Assert.Equal(new[] { "JobOutput", "JobPreview", "Summary" }, Complete(session, $"Save-BatchJobOutput -JobId {jobId} -Kind "));
            Assert.Equal(new[] { "TaskLog" }, Complete(session, "Save-BatchTaskOutput -Kind TaskL"));
        }

        /// <summary>A job with no container yet (or storage that fails) still gets the predefined kinds offered.</summary>
        [Fact]
        public void KindsOfAJobWithoutAContainerAreThePredefinedOnes()
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("ComplNone");

            Assert.Equal(new[] { "TaskIntermediate", "TaskLog", "TaskOutput", "TaskPreview" }, Complete(session, $"Get-BatchTaskOutput -JobId {jobId} -Kind Task"));
        }

        [Fact]
        public void WithoutStorageCompletionIsSilent()
        {
            using var session = ModuleSession.Start(connect: false);
            var result = session.Run("$Line = 'Get-BatchTaskOutput -JobId x'; (TabExpansion2 -inputScript $Line -cursorColumn $Line.Length).CompletionMatches.Count");
            Assert.Empty(result.AllErrors);
            Assert.Equal(0, (int)result.Output.Single().BaseObject);
        }
    }
}
