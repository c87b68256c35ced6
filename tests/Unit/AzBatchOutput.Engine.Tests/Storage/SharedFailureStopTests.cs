using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AzBatchOutput.Storage;
using Xunit;

namespace AzBatchOutput.Engine.Tests.Storage
{
    /// <summary>
    /// A failure every file of a container would meet is written once and stops that container's files, whose names go
    /// into one more error; a failure of one file, or of another container, stops nothing else.
    /// </summary>
    public class SharedFailureStopTests
    {
        private static readonly object StorageA = new object();
        private static readonly object StorageB = new object();

        private static BatchOutputException Error(string id, string target) =>
            new BatchOutputException(id, FailureCategory.InvalidOperation, $"{id} for {target}", target);

        [Fact]
        public void TheFirstCertainFailureIsWrittenOnceAndTheRestAreNamedTogether()
        {
            var sink = new RecordingSink();
            using (var stop = new SharedFailureStop(sink, CancellationToken.None))
            {
                Assert.False(stop.SkipAfterFailure(StorageA, "job-a", "a"));
                stop.Fail(StorageA, "job-a", "a", new Exception(), _ => Error("JobContainerNotFound", "a"));
                Assert.True(stop.TokenFor(StorageA, "job-a").IsCancellationRequested);

                // Already in flight: met the same failure, or was cut short by the stop, however the SDK wrapped it.
                stop.Fail(StorageA, "job-a", "b", new Exception(), _ => Error("JobContainerNotFound", "b"));
                stop.Fail(StorageA, "job-a", "c", new OperationCanceledException(), _ => throw new InvalidOperationException("a cut-short file is not translated"));
                stop.Fail(StorageA, "job-a", "c2", new AggregateException(new TimeoutException(), new TaskCanceledException()), _ => throw new InvalidOperationException("nor one the SDK wrapped"));
                stop.Fail(StorageA, "job-a", "c3", new Exception(), _ => Error("OperationStopped", "c3"));
                // Never started.
                Assert.True(stop.SkipAfterFailure(StorageA, "job-a", "d"));
                stop.Complete("saved");
            }

            Assert.Equal(new[] { "JobContainerNotFound", "StoppedAfterSharedFailure" }, sink.Errors.Select(e => e.ErrorId));
            var summary = sink.Errors[1];
            Assert.Equal(FailureCategory.OperationStopped, summary.Category);
            Assert.Equal(new[] { "b", "c", "c2", "c3", "d" }, (string[])summary.Target);
            Assert.StartsWith("5 other files in container 'job-a' were not saved: the command stopped there at the JobContainerNotFound error above", summary.Message);
        }

        [Fact]
        public void AnotherContainerOrStorageGoesOn()
        {
            var sink = new RecordingSink();
            using (var stop = new SharedFailureStop(sink, CancellationToken.None))
            {
                stop.Fail(StorageA, "job-a", "a1", new Exception(), _ => Error("JobContainerNotFound", "a1"));

                Assert.False(stop.SkipAfterFailure(StorageA, "job-b", "b1"));
                Assert.False(stop.TokenFor(StorageA, "job-b").IsCancellationRequested);
                Assert.False(stop.SkipAfterFailure(StorageB, "job-a", "other-credential"));
                Assert.True(stop.SkipAfterFailure(StorageA, "job-a", "a2"));
                stop.Complete("downloaded");
            }

            Assert.Equal(new[] { "JobContainerNotFound", "StoppedAfterSharedFailure" }, sink.Errors.Select(e => e.ErrorId));
            Assert.Equal(new[] { "a2" }, (string[])sink.Errors[1].Target);
            Assert.StartsWith("1 other file in container 'job-a' was not downloaded", sink.Errors[1].Message);
        }

        [Fact]
        public void AFailureOfOneFileIsWrittenForEachFileAndStopsNothing()
        {
            var sink = new RecordingSink();
            using (var stop = new SharedFailureStop(sink, CancellationToken.None))
            {
                stop.Fail(StorageA, "job-a", "a", new Exception(), _ => Error("OutputNotFound", "a"));
                stop.Fail(StorageA, "job-a", "b", new Exception(), _ => Error("LocalFileAccessDenied", "b"));
                Assert.False(stop.TokenFor(StorageA, "job-a").IsCancellationRequested);
                Assert.False(stop.SkipAfterFailure(StorageA, "job-a", "c"));
                stop.Complete("saved");
            }

            Assert.Equal(new[] { "OutputNotFound", "LocalFileAccessDenied" }, sink.Errors.Select(e => e.ErrorId));
        }

        [Fact]
        public void AnUnreachableEndpointStopsAfterRepeatingWithNothingGettingThrough()
        {
            var sink = new RecordingSink();
            using (var stop = new SharedFailureStop(sink, CancellationToken.None))
            {
                stop.Fail(StorageA, "job-a", "1", new Exception(), _ => Error("StorageUnreachable", "1"));
                stop.Fail(StorageA, "job-a", "2", new Exception(), _ => Error("StorageUnreachable", "2"));
                stop.Succeeded(StorageA, "job-a"); // a blip: the count starts again
                stop.Fail(StorageA, "job-a", "3", new Exception(), _ => Error("StorageUnreachable", "3"));
                stop.Fail(StorageA, "job-a", "4", new Exception(), _ => Error("StorageUnreachable", "4"));
                Assert.False(stop.TokenFor(StorageA, "job-a").IsCancellationRequested);
                stop.Fail(StorageA, "job-a", "5", new Exception(), _ => Error("StorageUnreachable", "5"));
                Assert.True(stop.TokenFor(StorageA, "job-a").IsCancellationRequested);
                stop.Fail(StorageA, "job-a", "6", new Exception(), _ => Error("StorageUnreachable", "6"));
                stop.Complete("saved");
            }

            Assert.Equal(Enumerable.Repeat("StorageUnreachable", 5).Append("StoppedAfterSharedFailure"), sink.Errors.Select(e => e.ErrorId));
            Assert.Equal(new[] { "6" }, (string[])sink.Errors[5].Target);
        }

        [Fact]
        public void APermissionRefusedAfterOthersWereGrantedIsThatPathsOwn()
        {
            var sink = new RecordingSink();
            using (var stop = new SharedFailureStop(sink, CancellationToken.None))
            {
                // An account with a hierarchical namespace: one folder's access list refuses its files.
                stop.Succeeded(StorageA, "job-a");
                for (var i = 0; i < 5; i++)
                {
                    stop.Fail(StorageA, "job-a", "denied" + i, new Exception(), _ => Error("StoragePermissionDenied", "denied"));
                }

                Assert.False(stop.TokenFor(StorageA, "job-a").IsCancellationRequested);

                // A credential without the role: nothing is ever granted.
                for (var i = 0; i < 4; i++)
                {
                    stop.Fail(StorageB, "job-a", "none" + i, new Exception(), _ => Error("StoragePermissionDenied", "none"));
                }

                Assert.True(stop.TokenFor(StorageB, "job-a").IsCancellationRequested);
                stop.Complete("removed");
            }

            Assert.Equal(5 + SharedFailureStop.RepeatsToStop + 1, sink.Errors.Count);
            Assert.Equal(new[] { "none3" }, (string[])sink.Errors.Last().Target);
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
                Assert.True(stop.TokenFor(StorageA, "job-a").IsCancellationRequested);
                Assert.True(stop.StoppedByCaller(new OperationCanceledException(caller.Token)));
                Assert.False(stop.StoppedByCaller(new Exception()));
                stop.Complete("saved");
            }

            Assert.Empty(sink.Errors);
        }

        [Fact]
        public void DeletesInFlightAreNotCutShort()
        {
            var sink = new RecordingSink();
            using (var stop = new SharedFailureStop(sink, CancellationToken.None, cancelInFlight: false))
            {
                stop.Fail(StorageA, "job-a", "a", new Exception(), _ => Error("JobContainerNotFound", "a"));

                Assert.False(stop.TokenFor(StorageA, "job-a").CanBeCanceled);
                Assert.True(stop.SkipAfterFailure(StorageA, "job-a", "b"));
            }
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
