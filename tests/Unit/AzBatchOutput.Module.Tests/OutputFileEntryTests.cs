using System;
using System.Linq;
using System.Text.Json;
using AzBatchOutput.Module.Tests.Infrastructure;
using Azure.Storage.Blobs;
using Xunit;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>Entries for Batch's own OutputFiles upload land where the conventions (and this module) look.</summary>
    public class OutputFileEntryTests
    {
        [Fact]
        public void AWildcardPatternUploadsUnderTheKindsFolderAndIsFoundAgain()
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("OutFiles");
            session.InitializeJob(jobId);
            var url = session.Run("(New-BatchJobOutputSas -JobId $JobId).Url", ("JobId", jobId)).ThrowIfFailed().Output.Single().ToString();

            var entry = session.Run("New-BatchTaskOutputFile -FilePattern 'out/*.png' -TaskId render-7 -Kind taskpreview -UploadCondition TaskSuccess -ContainerUrl $Url -JobId $JobId",
                ("Url", url)).ThrowIfFailed().Output.Single();
            Assert.Contains("AzBatchOutput.Batch.OutputFileEntry", entry.TypeNames);
            Assert.DoesNotContain("sig=", entry.BaseObject.ToString());
            Assert.Equal("out/*.png", entry.Str("filePattern"));
            var container = System.Management.Automation.PSObject.AsPSObject(System.Management.Automation.PSObject.AsPSObject(entry.Prop("destination")).Prop("container"));
            Assert.Equal("render-7/$TaskPreview", container.Str("path"));
            Assert.Equal(url, container.Str("containerUrl"));
            Assert.Equal("taskSuccess", System.Management.Automation.PSObject.AsPSObject(entry.Prop("uploadOptions")).Str("uploadCondition"));

            // Do what the Batch service does with the entry: upload each match to {path}/{relative name}.
            var target = new BlobContainerClient(new Uri(url));
            target.GetBlobClient(container.Str("path") + "/frame1.png").Upload(new BinaryData(new byte[] { 1, 2, 3 }));
            var found = session.Run("Get-BatchTaskOutput -JobId $JobId -TaskId render-7 -Kind TaskPreview").ThrowIfFailed().Output.Single();
            Assert.Equal("frame1.png", found.Str("Path"));
            Assert.Equal(3L, found.Prop("Length"));
        }

        [Theory]
        [InlineData("../stdout.txt", null, "TaskLog", "t1/$TaskLog/stdout.txt")]
        [InlineData("..\\stderr.txt", null, "TaskLog", "t1/$TaskLog/stderr.txt")]
        [InlineData("logs/**/*.log", "app", "TaskLog", "t1/$TaskLog/app")]
        [InlineData("result.bin", "final/result-v2.bin", "TaskOutput", "t1/$TaskOutput/final/result-v2.bin")]
        public void TheDestinationFollowsTheConventions(string pattern, string path, string kind, string expected)
        {
            using var session = ModuleSession.Start(connect: false);
            var json = session.Run("New-BatchTaskOutputFile -FilePattern $Pattern -TaskId t1 -Kind $Kind -ContainerUrl 'https://acct.blob.core.windows.net/job-j1?sv=x&sig=y' -AsJson" + (path == null ? "" : " -Path $P"),
                ("Pattern", pattern), ("Kind", kind), ("P", path)).ThrowIfFailed().Output.Single().ToString();
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            Assert.Equal(pattern, root.GetProperty("filePattern").GetString());
            Assert.Equal(expected, root.GetProperty("destination").GetProperty("container").GetProperty("path").GetString());
            Assert.Equal("https://acct.blob.core.windows.net/job-j1?sv=x&sig=y", root.GetProperty("destination").GetProperty("container").GetProperty("containerUrl").GetString());
            Assert.Equal("taskCompletion", root.GetProperty("uploadOptions").GetProperty("uploadCondition").GetString());
        }

        [Fact]
        public void AManagedIdentityEntryTakesTheContainerFromTheJob()
        {
            using var session = ModuleSession.Start();
            var json = session.Run("New-BatchTaskOutputFile -FilePattern '*.csv' -TaskId t2 -JobId My_Job -IdentityReference '/subscriptions/s/resourceGroups/r/providers/Microsoft.ManagedIdentity/userAssignedIdentities/batch' -UploadCondition TaskFailure -AsJson")
                .ThrowIfFailed().Output.Single().ToString();
            using var doc = JsonDocument.Parse(json);
            var container = doc.RootElement.GetProperty("destination").GetProperty("container");
            var expectedContainer = session.InitializeJob("My_Job");
            Assert.Equal(TestStorage.Server.BlobEndpoint.AbsoluteUri.TrimEnd('/') + "/" + expectedContainer, container.GetProperty("containerUrl").GetString());
            Assert.Equal("/subscriptions/s/resourceGroups/r/providers/Microsoft.ManagedIdentity/userAssignedIdentities/batch", container.GetProperty("identityReference").GetProperty("resourceId").GetString());
            Assert.Equal("taskFailure", doc.RootElement.GetProperty("uploadOptions").GetProperty("uploadCondition").GetString());
        }

        /// <summary>
        /// With Az.Batch loaded (here its models' public shape, from tests/Unit/AzBatchOutput.AzBatchStandIn), entries are
        /// Az.Batch's own PSOutputFile, which New-AzBatchTask -OutputFile takes as it is.
        /// </summary>
        [Fact]
        public void WithAzBatchLoadedEntriesAreAzBatchsOwnOutputFiles()
        {
            var standIn = System.IO.Path.Combine(AppContext.BaseDirectory, "azbatch-standin", "AzBatchOutput.AzBatchStandIn.dll");
            Assert.True(System.IO.File.Exists(standIn), $"the build did not copy {standIn}");
            const string Identity = "/subscriptions/s/resourceGroups/r/providers/Microsoft.ManagedIdentity/userAssignedIdentities/batch";
            var script = string.Join("\n",
                $"[void][System.Reflection.Assembly]::LoadFrom('{standIn}')",
                $"Import-Module '{AzBatchOutput.TestSupport.RepoPaths.ModuleFolder}'",
                // Az.Batch's New-AzBatchTask binds -OutputFile as PSOutputFile[]: a plain object would not bind.
                "function New-AzBatchTask { param([Parameter(Mandatory)][Microsoft.Azure.Commands.Batch.Models.PSOutputFile[]] $OutputFile) $OutputFile }",
                "$sas = New-BatchTaskOutputFile 'out/*.png' -TaskId render-7 -Kind TaskPreview -UploadCondition TaskSuccess -JobId render -ContainerUrl 'https://acct.blob.core.windows.net/job-render?sv=x&sig=y' -Verbose 4>&1",
                $"$mi = New-BatchTaskOutputFile '../stdout.txt' -TaskId render-7 -Kind TaskLog -IdentityReference '{Identity}' -ContainerUrl 'https://acct.blob.core.windows.net/job-render'",
                "foreach ($f in New-AzBatchTask -OutputFile $sas, $mi) {",
                "  $c = $f.Destination.Container",
                "  '{0}|{1}|{2}|{3}|{4}|{5}' -f $f.GetType().FullName, $f.FilePattern, $c.ContainerUrl, $c.Path, $f.UploadOptions.UploadCondition, $c.IdentityReference.ResourceId",
                "}");
            using var child = TestHostProcess.Start(script);
            Assert.True(child.WaitForExit(TimeSpan.FromSeconds(120)) == 0, child.StandardOutput + child.StandardError);

            var lines = child.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            Assert.Equal(new[]
            {
                "Microsoft.Azure.Commands.Batch.Models.PSOutputFile|out/*.png|https://acct.blob.core.windows.net/job-render?sv=x&sig=y|render-7/$TaskPreview|TaskSuccess|",
                $"Microsoft.Azure.Commands.Batch.Models.PSOutputFile|../stdout.txt|https://acct.blob.core.windows.net/job-render|render-7/$TaskLog/stdout.txt|TaskCompletion|{Identity}",
            }, lines);
            Assert.Equal(string.Empty, child.StandardError.Trim());
        }

        /// <summary>An entry Batch could not upload with is refused when it is made, not when the task ends.</summary>
        [Theory]
        [InlineData("[pscustomobject]@{ Id = 'frame-9'; Url = 'https://mybatch.westeurope.batch.azure.com/jobs/render-42/tasks/frame-9' } | New-BatchTaskOutputFile -FilePattern '*.log' -Kind TaskLog",
            "InvalidContainerUrl", "Batch service URL")]
        [InlineData("New-BatchTaskOutputFile -FilePattern '*.log' -TaskId t1 -ContainerUrl 'https://acct.blob.core.windows.net/?sv=2024-08-04&sig=c2VjcmV0'", "InvalidContainerUrl", "exactly one container")]
        [InlineData("New-BatchTaskOutputFile -FilePattern '*.log' -TaskId t1 -ContainerUrl 'https://acct.blob.core.windows.net/job-j1/a.txt?sv=2024-08-04&sig=c2VjcmV0'", "InvalidContainerUrl", "exactly one container")]
        [InlineData("New-BatchTaskOutputFile -FilePattern '*.log' -TaskId t1 -ContainerUrl 'ftp://acct.blob.core.windows.net/job-j1'", "InvalidContainerUrl", "http(s)")]
        [InlineData("New-BatchTaskOutputFile -FilePattern '*.log' -TaskId t1 -ContainerUrl 'https://acct.blob.core.windows.net/job-j1'", "ContainerUrlNeedsSas", "-IdentityReference")]
        public void AnEntryBatchCouldNotUploadWithIsRefused(string script, string errorId, string phrase)
        {
            using var session = ModuleSession.Start(connect: false);
            var result = session.Run(script);
            var error = result.SingleError();
            Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
            Assert.Equal(System.Management.Automation.ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Contains(phrase, error.ToString());
            Assert.DoesNotContain("c2VjcmV0", error.ToString());
            Assert.Empty(result.Output);
        }

        [Fact]
        public void AContainerUrlOfAnotherJobIsRefused()
        {
            using var session = ModuleSession.Start(connect: false);
            var error = session.Run("New-BatchTaskOutputFile -FilePattern '*.txt' -TaskId t1 -JobId j2 -ContainerUrl 'https://acct.blob.core.windows.net/job-j1?sig=y'").SingleError();
            Assert.StartsWith("ContainerUrlJobMismatch,", error.FullyQualifiedErrorId);
            Assert.Contains("job-j2", error.ToString());
            Assert.DoesNotContain("sig=y", error.ToString());
        }
    }
}
