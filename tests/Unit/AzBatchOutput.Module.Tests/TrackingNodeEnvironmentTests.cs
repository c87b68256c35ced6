using System;
using System.IO;
using System.Linq;
using System.Text;
using AzBatchOutput.Module.Tests.Infrastructure;
using Azure.Storage.Sas;
using Xunit;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>
    /// On a Batch node with only the job container's least-privilege SAS (create, write, add; no read) in
    /// AZBATCHOUTPUT_CONTAINER_URL and Batch's AZ_BATCH_JOB_ID/AZ_BATCH_TASK_ID: tracking needs nothing but the path.
    /// </summary>
    [Collection(ProcessEnvironmentCollection.Name)]
    public class TrackingNodeEnvironmentTests
    {
        [Fact]
        public void LeastPrivilegeSasFromTheEnvironmentCanTrackAndReplaceAnEarlierAttempt()
        {
            using var admin = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("TrackNode");
            var container = admin.InitializeJob(jobId);
            var sasUrl = TestStorage.Sdk.GetBlobContainerClient(container)
                .GenerateSasUri(BlobContainerSasPermissions.Create | BlobContainerSasPermissions.Write | BlobContainerSasPermissions.Add, DateTimeOffset.UtcNow.AddHours(1))
                .ToString();
            const string blobName = "task-9/$TaskLog/stdout.txt";

            using var node = ModuleSession.Start(connect: false);
            try
            {
                node.Run("$env:AZBATCHOUTPUT_CONTAINER_URL = $Url; $env:AZ_BATCH_JOB_ID = $JobId; $env:AZ_BATCH_TASK_ID = 'task-9'",
                    ("Url", sasUrl), ("JobId", jobId)).ThrowIfFailed();
                var file = node.Folder.WriteFile("stdout.txt", Encoding.UTF8.GetBytes("attempt 1\n"));
                var started = node.Run("Start-BatchTaskOutputTracking stdout.txt -FlushInterval 1").ThrowIfFailed();
                Assert.Empty(started.Warnings);
                var tracker = started.Output.Single();
                Assert.Equal(blobName, tracker.Str("BlobName"));
                Assert.Equal(jobId, tracker.Str("JobId"));
                TrackingTestKit.Append(file, "attempt 1 output\n");
                TrackingTestKit.WaitForBlobLength(tracker, 27);
                var stopped = node.Run("Stop-BatchTaskOutputTracking -All -PassThru -GracePeriod 0").ThrowIfFailed().Output.Single();
                Assert.Equal("Stopped", stopped.Str("State"));
                foreach (var property in stopped.Properties)
                {
                    Assert.DoesNotContain("sig=", property.Value?.ToString() ?? string.Empty);
                }

                TrackingTestKit.AssertSameBytes(File.ReadAllBytes(file), TrackingTestKit.BlobBytes(container, blobName), "attempt 1");

                // The task is retried: its new stdout.txt replaces the earlier blob. Without read permission its size is unknown.
                File.WriteAllText(file, "attempt 2\n");
                var retried = node.Run("Start-BatchTaskOutputTracking stdout.txt -FlushInterval 1").ThrowIfFailed();
                var warning = Assert.Single(retried.WarningTexts());
                Assert.Contains("earlier attempt", warning);
                Assert.Contains("cannot be read with this credential", warning);
                node.Run("Stop-BatchTaskOutputTracking -All -GracePeriod 0").ThrowIfFailed();
                Assert.Equal("attempt 2\n", Encoding.UTF8.GetString(TrackingTestKit.BlobBytes(container, blobName)));
            }
            finally
            {
                node.Run("Remove-Item env:AZBATCHOUTPUT_CONTAINER_URL, env:AZ_BATCH_JOB_ID, env:AZ_BATCH_TASK_ID -ErrorAction SilentlyContinue");
                Environment.SetEnvironmentVariable("AZBATCHOUTPUT_CONTAINER_URL", null);
                Environment.SetEnvironmentVariable("AZ_BATCH_JOB_ID", null);
                Environment.SetEnvironmentVariable("AZ_BATCH_TASK_ID", null);
            }
        }
    }
}
