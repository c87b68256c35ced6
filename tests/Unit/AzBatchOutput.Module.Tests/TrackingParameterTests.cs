using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using AzBatchOutput.Module.Tests.Infrastructure;
using Xunit;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>Start-BatchTaskOutputTracking's parameters: intervals in seconds or as TimeSpan, names, -WhatIf, bad input.</summary>
    public class TrackingParameterTests
    {
        [Theory]
        [InlineData("2", 2.0)]
        [InlineData("1.5", 1.5)]
        [InlineData("'00:00:03'", 3.0)]
        [InlineData("'4'", 4.0)]
        [InlineData("([TimeSpan]::FromSeconds(5))", 5.0)]
        [InlineData("([TimeSpan]::FromMinutes(2))", 120.0)]
        public void FlushIntervalIsSecondsOrATimeSpan(string value, double seconds)
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("TrackArgs");
            session.InitializeJob(jobId);
            var file = session.Folder.WriteRandomFile("stdout.txt", 10);
            var tracker = session.StartTracking(file, jobId, "t1", $"-FlushInterval {value}");
            try
            {
                Assert.Equal(TimeSpan.FromSeconds(seconds), (TimeSpan)tracker.Prop("FlushInterval"));
            }
            finally
            {
                session.StopTracking(tracker).ThrowIfFailed();
            }
        }

        [Theory]
        [InlineData("0.5")]
        [InlineData("0")]
        [InlineData("-3")]
        [InlineData("'00:00:00.2'")]
        [InlineData("86401")]
        public void FlushIntervalOutOfRangeIsRefused(string value)
        {
            using var session = ModuleSession.Start();
            var file = session.Folder.WriteRandomFile("stdout.txt", 10);
            var error = session.Run($"Start-BatchTaskOutputTracking -Path $File -JobId j1 -TaskId t1 -FlushInterval {value}", ("File", file)).SingleError();
            Assert.StartsWith("ParameterArgumentValidationError,", error.FullyQualifiedErrorId);
            Assert.Contains("seconds", error.ToString());
        }

        [Fact]
        public void FlushIntervalThatIsNotATimeIsRefused()
        {
            using var session = ModuleSession.Start();
            var error = session.Run("Start-BatchTaskOutputTracking -Path x.log -JobId j1 -TaskId t1 -FlushInterval soon").SingleError();
            Assert.StartsWith("ParameterArgumentTransformationError,", error.FullyQualifiedErrorId);
        }

        [Fact]
        public void TrackerDescribesItselfWithoutSecretsAndDefaults()
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("TrackShape");
            var container = session.InitializeJob(jobId);
            var file = session.Folder.WriteRandomFile("logs/app.log", 1234);
            var tracker = session.StartTracking(file, jobId, "task-3");
            var stopped = session.StopTracking(tracker).ThrowIfFailed().Output.Single();

            Assert.Equal(jobId, stopped.Str("JobId"));
            Assert.Equal("task-3", stopped.Str("TaskId"));
            Assert.Equal("TaskLog", stopped.Str("Kind"));
            Assert.Equal("app.log", stopped.Str("Path"));
            Assert.Equal(file, stopped.Str("LocalPath"));
            Assert.Equal("task-3/$TaskLog/app.log", stopped.Str("BlobName"));
            Assert.Equal(container, stopped.Str("ContainerName"));
            Assert.Equal(TimeSpan.FromSeconds(15), (TimeSpan)stopped.Prop("FlushInterval"));
            Assert.Equal("Stopped", stopped.Str("State"));
            Assert.Equal(1234L, stopped.Long("BytesUploaded"));
            Assert.Equal(1234L, stopped.Long("BlobLength"));
            Assert.Equal(1L, stopped.Long("FlushCount"));
            Assert.NotNull(stopped.Prop("LastFlush"));
            Assert.Null(stopped.Prop("LastError"));
            foreach (var property in stopped.Properties)
            {
                Assert.DoesNotContain("sig=", property.Value?.ToString() ?? string.Empty);
                Assert.DoesNotContain("AccountKey", property.Value?.ToString() ?? string.Empty);
            }

            var blob = TestStorage.Sdk.GetBlobContainerClient(container).GetBlobClient("task-3/$TaskLog/app.log").GetProperties().Value;
            Assert.Equal(Azure.Storage.Blobs.Models.BlobType.Append, blob.BlobType);
            Assert.StartsWith("text/plain", blob.ContentType);
        }

        [Fact]
        public void DestinationPathAndCustomKindNameTheBlob()
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("TrackDest");
            var container = session.InitializeJob(jobId);
            var file = session.Folder.WriteRandomFile("out.log", 77);
            var tracker = session.StartTracking(file, jobId, "t9", "-Kind Diagnostics -DestinationPath 'logs\\run.log'");
            session.StopTracking(tracker).ThrowIfFailed();
            Assert.Equal("t9/$Diagnostics/logs/run.log", tracker.Str("BlobName"));
            TrackingTestKit.AssertSameBytes(File.ReadAllBytes(file), TrackingTestKit.BlobBytes(container, "t9/$Diagnostics/logs/run.log"), "custom kind");
        }

        [Theory]
        [InlineData("logs/")]
        [InlineData("logs\\")]
        public void ADestinationPathEndingInASeparatorIsAFolder(string destination)
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("TrackDir");
            session.InitializeJob(jobId);
            var file = session.Folder.WriteRandomFile("app.log", 5);
            var tracker = session.StartTracking(file, jobId, "t1", $"-DestinationPath '{destination}'");
            session.StopTracking(tracker).ThrowIfFailed();
            Assert.Equal("t1/$TaskLog/logs/app.log", tracker.Str("BlobName"));
        }

        [Fact]
        public void AWildcardThatNamesNoFileIsTakenLiterallyWithAWarning()
        {
            using var session = ModuleSession.Start(connect: false);
            var result = session.Run("Start-BatchTaskOutputTracking -Path 'logs/*.log' -JobId j1 -TaskId t1 -WhatIf").ThrowIfFailed();
            var warning = Assert.Single(result.Warnings);
            Assert.Contains("'logs/*.log' is taken literally", warning.Message);
            Assert.Contains("Get-ChildItem *.log | Start-BatchTaskOutputTracking", warning.Message);
        }

        [Fact]
        public void WhatIfStartsNothing()
        {
            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("TrackWhatIf");
            var container = session.InitializeJob(jobId);
            var file = session.Folder.WriteRandomFile("stdout.txt", 5);
            var result = session.Run("Start-BatchTaskOutputTracking -Path $File -JobId $JobId -TaskId t1 -WhatIf", ("File", file), ("JobId", jobId)).ThrowIfFailed();
            Assert.Empty(result.Output);
            Assert.Null(TrackingTestKit.BlobBytes(container, "t1/$TaskLog/stdout.txt"));
            Assert.Empty(session.Run("Stop-BatchTaskOutputTracking -All -PassThru").ThrowIfFailed().Output);
        }

        [Theory]
        [InlineData("-TaskId t1", "JobIdRequired")]
        [InlineData("-JobId j1", "TaskIdRequired")]
        [InlineData("-JobId j1 -TaskId t1 -Kind JobOutput", "KindScopeMismatch")]
        [InlineData("-JobId j1 -TaskId t1 -DestinationPath ../up.log", "InvalidOutputPath")]
        [InlineData("-JobId 'bad job' -TaskId t1", "InvalidJobId")]
        public void BadInputIsRefusedWithItsId(string parameters, string errorId)
        {
            using var session = ModuleSession.Start();
            var error = session.Run($"Start-BatchTaskOutputTracking -Path stdout.txt {parameters}").SingleError();
            Assert.Equal(errorId + ",AzBatchOutput.Cmdlets.StartBatchTaskOutputTrackingCommand", error.FullyQualifiedErrorId);
        }

        [Fact]
        public void AFolderCannotBeTracked()
        {
            using var session = ModuleSession.Start();
            Directory.CreateDirectory(session.Folder.Combine("logs"));
            var error = session.Run("Start-BatchTaskOutputTracking -Path logs -JobId j1 -TaskId t1").SingleError();
            Assert.Equal("TrackedPathIsFolder,AzBatchOutput.Cmdlets.StartBatchTaskOutputTrackingCommand", error.FullyQualifiedErrorId);
        }

        [Fact]
        public void AMissingContainerIsReportedAtStart()
        {
            using var session = ModuleSession.Start();
            var file = session.Folder.WriteRandomFile("stdout.txt", 5);
            var result = session.Run("Start-BatchTaskOutputTracking -Path $File -JobId $JobId -TaskId t1", ("File", file), ("JobId", TestStorage.NewJobId("NoContainer")));
            Assert.Equal("JobContainerNotFound,AzBatchOutput.Cmdlets.StartBatchTaskOutputTrackingCommand", result.SingleError().FullyQualifiedErrorId);
            Assert.Empty(result.Output);
            Assert.Empty(session.Run("Stop-BatchTaskOutputTracking -All -PassThru").ThrowIfFailed().Output);
        }
    }
}
