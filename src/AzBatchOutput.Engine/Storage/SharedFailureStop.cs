using System;
using System.Collections.Generic;
using System.Threading;

namespace AzBatchOutput.Storage
{
    /// <summary>
    /// Ends a many-file operation at the first failure that every other file would meet as well: the job's container
    /// is missing, the credential is refused, the endpoint cannot be reached. Without it, 2,000 files meant 2,000 copies
    /// of one error, and against an unreachable endpoint each file waited out the SDK's retries in turn (measured: 100
    /// files, 100 s). The first such error is written as it is; the files cut short or never started after it are
    /// gathered into one more error at the end, whose target lists them for a second attempt.
    /// </summary>
    internal sealed class SharedFailureStop : IDisposable
    {
        /// <summary>Error ids whose cause lies in the account, the container, the credential or the network, not in one file.</summary>
        private static readonly HashSet<string> SharedErrorIds = new HashSet<string>(StringComparer.Ordinal)
        {
            "JobContainerNotFound",
            "JobContainerBeingDeleted",
            "StorageAuthenticationFailed",
            "StoragePermissionDenied",
            "SharedKeyAccessDisabled",
            "StorageUnreachable",
        };

        /// <summary>True for an error id whose cause every file of the operation shares.</summary>
        internal static bool IsShared(string errorId) => SharedErrorIds.Contains(errorId);

        private readonly IOperationSink _sink;
        private readonly CancellationToken _caller;
        private readonly CancellationTokenSource _stop;
        private readonly List<string> _notDone = new List<string>();
        private readonly object _gate = new object();
        private BatchOutputException _cause;

        public SharedFailureStop(IOperationSink sink, CancellationToken caller)
        {
            _sink = sink;
            _caller = caller;
            _stop = CancellationTokenSource.CreateLinkedTokenSource(caller);
        }

        /// <summary>The token for each file's work: cancelled by the caller, or by the first shared failure.</summary>
        public CancellationToken Token => _stop.Token;

        /// <summary>True (and the file counted as not done) when a shared failure has already ended the operation.</summary>
        public bool SkipAfterFailure(string item)
        {
            if (Volatile.Read(ref _cause) == null)
            {
                return false;
            }

            lock (_gate)
            {
                if (_cause == null)
                {
                    return false;
                }

                _notDone.Add(item);
                return true;
            }
        }

        /// <summary>
        /// Reports one file's failure. A cancellation the caller asked for is not a failure: the caller rethrows or
        /// ignores it (see <see cref="StoppedByCaller"/>).
        /// </summary>
        public void Fail(string item, Exception error, Func<Exception, BatchOutputException> translate)
        {
            if (!_caller.IsCancellationRequested && IsCancellation(error) && SkipAfterFailure(item))
            {
                return; // cut short by the shared failure, not failed on its own
            }

            var translated = translate(error);
            if (translated.ErrorId == "OperationStopped" && !_caller.IsCancellationRequested && SkipAfterFailure(item))
            {
                return;
            }

            if (!IsShared(translated.ErrorId))
            {
                _sink.Error(translated);
                return;
            }

            lock (_gate)
            {
                if (_cause != null)
                {
                    _notDone.Add(item); // one more file that met the failure already reported
                    return;
                }

                _cause = translated;
            }

            _sink.Error(translated);
            _stop.Cancel();
        }

        /// <summary>A cancellation, also when the SDK wrapped it (its retry policy gathers every attempt's failure).</summary>
        private static bool IsCancellation(Exception error)
        {
            for (var inner = error; inner != null; inner = inner.InnerException)
            {
                if (inner is OperationCanceledException)
                {
                    return true;
                }

                if (inner is AggregateException many && many.InnerExceptions.Count > 0)
                {
                    return many.InnerExceptions[many.InnerExceptions.Count - 1] is OperationCanceledException;
                }
            }

            return false;
        }

        /// <summary>True when <paramref name="error"/> is the caller stopping the command (Ctrl+C, a closed pipeline).</summary>
        public bool StoppedByCaller(Exception error) => error is OperationCanceledException && _caller.IsCancellationRequested;

        /// <summary>Writes the one error that accounts for every file the shared failure left undone, if any.</summary>
        /// <param name="done">What was not done to them, as in "saved".</param>
        public void Complete(string done)
        {
            string[] items;
            BatchOutputException cause;
            lock (_gate)
            {
                items = _notDone.ToArray();
                cause = _cause;
            }

            if (items.Length == 0)
            {
                return;
            }

            var count = items.Length == 1 ? "1 other file was" : $"{items.Length:N0} other files were";
            _sink.Error(new BatchOutputException("StoppedAfterSharedFailure", FailureCategory.OperationStopped,
                $"{count} not {done}: the command stopped at the {cause.ErrorId} error above, which each of them would have met too. " +
                "Fix its cause and run the command again; this error's TargetObject lists them.", items));
        }

        public void Dispose() => _stop.Dispose();
    }
}
