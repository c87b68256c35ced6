using System;
using System.Linq;
using System.Text;
using AzBatchOutput.Module.Tests.Infrastructure;
using Xunit;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>
    /// An append blob takes at most 50,000 appends (69 hours of a log flushed every 5 s). Near the limit the tracker
    /// writes the blob again from the file in large appends and goes on; here the limit is lowered to 4 appends through
    /// the engine's test variable, which is read when a tracker is created.
    /// </summary>
    [Collection(ProcessEnvironmentCollection.Name)]
    public class TrackingBlockLimitTests
    {
        [Fact]
        public void NearTheAppendLimitTheBlobIsWrittenAgainInLargeAppendsAndTrackingGoesOn()
        {
            var saved = Environment.GetEnvironmentVariable("AZBATCHOUTPUT_TEST_COMPACT_AT_BLOCKS");
            Environment.SetEnvironmentVariable("AZBATCHOUTPUT_TEST_COMPACT_AT_BLOCKS", "4");
            try
            {
                using var session = ModuleSession.Start();
                var jobId = TestStorage.NewJobId("TrackLimit");
                var container = session.InitializeJob(jobId);
                var file = session.Folder.Combine("stdout.txt");
                TrackingTestKit.Append(file, "line 0\n");
                var tracker = session.StartTracking(file, jobId, "t1", "-FlushInterval 1");

                // Ten flushes of one line each: ten appends without compaction, so the limit of 4 is crossed twice.
                for (var line = 1; line <= 10; line++)
                {
                    TrackingTestKit.Append(file, $"line {line}\n");
                    TrackingTestKit.WaitForBlobLength(tracker, new System.IO.FileInfo(file).Length);
                }

                var stopped = session.StopTracking(tracker).ThrowIfFailed();
                var final = stopped.Output.Single();
                var blob = TestStorage.Sdk.GetBlobContainerClient(container).GetBlobClient("t1/$TaskLog/stdout.txt");
                TrackingTestKit.AssertSameBytes(TrackingTestKit.ReadShared(file), blob.DownloadContent().Value.Content.ToArray(), "after compaction");
                Assert.True(final.Long("RestartCount") >= 2, $"RestartCount {final.Long("RestartCount")}");
                Assert.InRange(blob.GetProperties().Value.BlobCommittedBlockCount, 1, 4);

                var warnings = stopped.WarningTexts().Concat(session.Run("Stop-BatchTaskOutputTracking -All").WarningTexts()).ToList();
                Assert.Contains(warnings, w => w.Contains("near the 50,000 that an append blob can take") && w.Contains("tracking goes on"));
            }
            finally
            {
                Environment.SetEnvironmentVariable("AZBATCHOUTPUT_TEST_COMPACT_AT_BLOCKS", saved);
            }
        }
    }
}
