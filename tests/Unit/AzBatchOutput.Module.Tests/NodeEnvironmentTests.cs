using System;
using System.Linq;
using AzBatchOutput.Module.Tests.Infrastructure;
using Azure.Storage.Sas;
using Xunit;

namespace AzBatchOutput.Module.Tests
{
    [CollectionDefinition(Name, DisableParallelization = true)]
    public class ProcessEnvironmentCollection
    {
        // These tests set process environment variables, which every runspace in the process sees.
        public const string Name = "Process environment";
    }

    /// <summary>On a Batch node: nothing but the environment Batch and the admin set.</summary>
    [Collection(ProcessEnvironmentCollection.Name)]
    public class NodeEnvironmentTests
    {
        [Fact]
        public void SaveNeedsNoParameterButThePathOnANode()
        {
            using var admin = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("Node");
            var containerName = admin.InitializeJob(jobId);
            var sasUrl = TestStorage.Sdk.GetBlobContainerClient(containerName)
                .GenerateSasUri(BlobContainerSasPermissions.Create | BlobContainerSasPermissions.Write | BlobContainerSasPermissions.Add, DateTimeOffset.UtcNow.AddHours(1))
                .ToString();

            using var node = ModuleSession.Start(connect: false);
            node.Folder.WriteRandomFile("out.txt", 321);
            try
            {
                node.Run("$env:AZBATCHOUTPUT_CONTAINER_URL = $Url; $env:AZ_BATCH_JOB_ID = $JobId; $env:AZ_BATCH_TASK_ID = 'task-7'",
                    ("Url", sasUrl), ("JobId", jobId)).ThrowIfFailed();
                var saved = node.Run("Save-BatchTaskOutput -Path out.txt -Kind TaskOutput").ThrowIfFailed().Output.Single();
                Assert.Equal("task-7/$TaskOutput/out.txt", saved.Str("BlobName"));
                Assert.Equal(jobId, saved.Str("JobId"));
                Assert.DoesNotContain("sig=", saved.Str("Uri"));
            }
            finally
            {
                node.Run("Remove-Item env:AZBATCHOUTPUT_CONTAINER_URL, env:AZ_BATCH_JOB_ID, env:AZ_BATCH_TASK_ID -ErrorAction SilentlyContinue");
                Environment.SetEnvironmentVariable("AZBATCHOUTPUT_CONTAINER_URL", null);
                Environment.SetEnvironmentVariable("AZ_BATCH_JOB_ID", null);
                Environment.SetEnvironmentVariable("AZ_BATCH_TASK_ID", null);
            }

            var blob = TestStorage.Sdk.GetBlobContainerClient(containerName).GetBlobClient("task-7/$TaskOutput/out.txt").GetProperties().Value;
            Assert.Equal(321, blob.ContentLength);
        }

        [Fact]
        public void WithNoStorageAnywhereTheErrorSaysHowToChooseOne()
        {
            using var session = ModuleSession.Start(connect: false);
            var result = session.Run("Get-BatchJobOutput -JobId some-job");
            var error = result.SingleError();
            Assert.Equal("NoStorageConfigured,AzBatchOutput.Cmdlets.GetBatchJobOutputCommand", error.FullyQualifiedErrorId);
            Assert.Contains("Connect-BatchOutputStorage", error.ToString());
            Assert.Contains("AZBATCHOUTPUT_CONTAINER_URL", error.ToString());
        }

        [Fact]
        public void SaveWithoutAJobIdOffANodeSaysWhichParameterIsMissing()
        {
            using var session = ModuleSession.Start();
            session.Folder.WriteRandomFile("a.txt", 3);
            var error = session.Run("Save-BatchTaskOutput -TaskId t1 -Path a.txt").SingleError();
            Assert.Equal("JobIdRequired,AzBatchOutput.Cmdlets.SaveBatchTaskOutputCommand", error.FullyQualifiedErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Contains("-JobId", error.ToString());
        }
    }
}
