using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AzBatchOutput.Storage;
using Xunit;

namespace AzBatchOutput.Engine.Tests.Storage
{
    /// <summary>A failure every file would meet is written once; the files it left undone are named in one more error.</summary>
    public class SharedFailureStopTests
    {
        private static BatchOutputException Error(string id, string target) =>
            new BatchOutputException(id, FailureCategory.InvalidOperation, $"{id} for {target}", target);

        [Fact]
        public void TheFirstSharedFailureIsWrittenOnceAndTheRestAreNamedTogether()
        {
            var sink = new RecordingSink();
            using (var stop = new SharedFailureStop(sink, CancellationToken.None))
            {
                Assert.False(stop.SkipAfterFailure("a"));
                stop.Fail("a", new Exception(), _ => Error("JobContainerNotFound", "a"));
                Assert.True(stop.Token.IsCancellationRequested);

                // Already in flight: met the same failure, or was cut short by the stop.
                stop.Fail("b", new Exception(), _ => Error("JobContainerNotFound", "b"));
                stop.Fail("c", new OperationCanceledException(stop.Token), _ => throw new InvalidOperationException("a cut-short file is not translated"));
                stop.Fail("c2", new AggregateException(new TimeoutException(), new TaskCanceledException()), _ => throw new InvalidOperationException("nor one the SDK wrapped"));
                stop.Fail("c3", new Exception(), _ => Error("OperationStopped", "c3"));
                // Never started.
                Assert.True(stop.SkipAfterFailure("d"));
                stop.Complete("saved");
            }

            Assert.Equal(new[] { "JobContainerNotFound", "StoppedAfterSharedFailure" }, sink.Errors.Select(e => e.ErrorId));
            var summary = sink.Errors[1];
            Assert.Equal(FailureCategory.OperationStopped, summary.Category);
            Assert.Equal(new[] { "b", "c", "c2", "c3", "d" }, (string[])summary.Target);
            Assert.StartsWith("5 other files were not saved: the command stopped at the JobContainerNotFound error above", summary.Message);
        }

        [Fact]
        public void AFailureOfOneFileIsWrittenForEachFileAndStopsNothing()
        {
            var sink = new RecordingSink();
            using (var stop = new SharedFailureStop(sink, CancellationToken.None))
            {
                stop.Fail("a", new Exception(), _ => Error("OutputNotFound", "a"));
                stop.Fail("b", new Exception(), _ => Error("LocalFileAccessDenied", "b"));
                Assert.False(stop.Token.IsCancellationRequested);
                Assert.False(stop.SkipAfterFailure("c"));
                stop.Complete("saved");
            }

            Assert.Equal(new[] { "OutputNotFound", "LocalFileAccessDenied" }, sink.Errors.Select(e => e.ErrorId));
        }

        [Theory]
        [InlineData("JobContainerNotFound", true)]
        [InlineData("JobContainerBeingDeleted", true)]
        [InlineData("StorageAuthenticationFailed", true)]
        [InlineData("StoragePermissionDenied", true)]
        [InlineData("SharedKeyAccessDisabled", true)]
        [InlineData("StorageUnreachable", true)]
        [InlineData("OutputNotFound", false)]
        [InlineData("OutputLeased", false)]
        [InlineData("StorageBusy", false)]
        [InlineData("ChecksumMismatch", false)]
        [InlineData("LocalFileNotFound", false)]
        public void OnlyFailuresOfTheAccountContainerCredentialOrNetworkAreShared(string errorId, bool shared)
        {
            Assert.Equal(shared, SharedFailureStop.IsShared(errorId));
        }

        [Fact]
        public void TheCallerStoppingIsNotAFailure()
        {
            var sink = new RecordingSink();
            using (var caller = new CancellationTokenSource())
            using (var stop = new SharedFailureStop(sink, caller.Token))
            {
                caller.Cancel();
                Assert.True(stop.Token.IsCancellationRequested);
                Assert.True(stop.StoppedByCaller(new OperationCanceledException(stop.Token)));
                Assert.False(stop.StoppedByCaller(new Exception()));
                stop.Complete("saved");
            }

            Assert.Empty(sink.Errors);
        }

        [Fact]
        public void OneFileLeftUndoneIsSaidInTheSingular()
        {
            var sink = new RecordingSink();
            using (var stop = new SharedFailureStop(sink, CancellationToken.None))
            {
                stop.Fail("a", new Exception(), _ => Error("StorageUnreachable", "a"));
                stop.SkipAfterFailure("b");
                stop.Complete("downloaded");
            }

            Assert.StartsWith("1 other file was not downloaded: the command stopped at the StorageUnreachable error above", sink.Errors[1].Message);
        }

        private sealed class RecordingSink : IOperationSink
        {
            public List<BatchOutputException> Errors { get; } = new List<BatchOutputException>();

            public void Output(object item)
            {
            }

            public void Error(BatchOutputException error)
            {
                lock (Errors)
                {
                    Errors.Add(error);
                }
            }

            public void Warning(string message)
            {
            }

            public void Verbose(string message)
            {
            }

            public void Progress(TransferProgress progress)
            {
            }
        }
    }
}
