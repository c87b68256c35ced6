using System;
using System.Collections.Generic;
using System.Threading;

namespace AzBatchOutput.Storage
{
    /// <summary>
    /// Ends the part of a many-file operation that a failure every one of its files would meet has made hopeless: the
    /// job's container is missing, the credential is refused, the endpoint cannot be reached. Without it, 2,000 files
    /// meant 2,000 copies of one error, and against an unreachable endpoint each file waited out the SDK's retries in
    /// turn (measured: 100 files, 100 s). Files are grouped by where they go (a storage context and a container), so
    /// one job's missing container stops only that job's files. The errors that tripped the stop are written as they
    /// are; the files cut short or never started after it are gathered into one more error at the end, whose target
    /// lists them for a second attempt.
    /// </summary>
    internal sealed class SharedFailureStop : IDisposable
    {
        /// <summary>Causes that lie in the container or the credential: the first one ends its group.</summary>
        private static readonly HashSet<string> CertainlyShared = new HashSet<string>(StringComparer.Ordinal)
        {
            "JobContainerNotFound",
            "JobContainerBeingDeleted",
            "StorageAuthenticationFailed",
            "SharedKeyAccessDisabled",
            "StorageHostNotFound",
        };

        /// <summary>
        /// Causes that one file can meet alone: a permission refused by a folder's access list (accounts with a
        /// hierarchical namespace), one request that timed out. They end a group only when they repeat with nothing
        /// succeeding meanwhile (see <see cref="RepeatsToStop"/>).
        /// </summary>
        private static readonly HashSet<string> SharedWhenRepeated = new HashSet<string>(StringComparer.Ordinal)
        {
            "StoragePermissionDenied",
            "StorageUnreachable",
        };

        /// <summary>How many of a repeatable cause, since the group's last success, end the group.</summary>
        internal const int RepeatsToStop = 3;

        private readonly IOperationSink _sink;
        private readonly CancellationToken _caller;
        private readonly bool _cancelInFlight;
        private readonly Dictionary<(object Storage, string Container), Group> _groups = new Dictionary<(object, string), Group>();
        private readonly object _gate = new object();

        /// <param name="cancelInFlight">
        /// Whether a group's stop also cancels its requests in flight. Not for deletes: one cut short may have happened
        /// on the service all the same, so it could not be said whether the file is gone.
        /// </param>
        public SharedFailureStop(IOperationSink sink, CancellationToken caller, bool cancelInFlight = true)
        {
            _sink = sink;
            _caller = caller;
            _cancelInFlight = cancelInFlight;
        }

        /// <summary>True for an error id whose cause every file of a group may share.</summary>
        internal static bool IsShared(string errorId) => CertainlyShared.Contains(errorId) || SharedWhenRepeated.Contains(errorId);

        /// <summary>The token for a file's work in a group: cancelled by the caller, or by the group's stop.</summary>
        public CancellationToken TokenFor(object storage, string container) => _cancelInFlight ? GroupFor(storage, container).Stop.Token : _caller;

        /// <summary>True (and the file counted as not done) when its group has already been stopped.</summary>
        public bool SkipAfterFailure(object storage, string container, string item)
        {
            var group = GroupFor(storage, container);
            lock (_gate)
            {
                if (group.Cause == null)
                {
                    return false;
                }

                group.NotDone.Add(item);
                return true;
            }
        }

        /// <summary>A file of the group went through: a repeatable cause must now repeat anew before it stops the group.</summary>
        public void Succeeded(object storage, string container)
        {
            var group = GroupFor(storage, container);
            lock (_gate)
            {
                group.Successes++;
                group.Repeats.Clear();
            }
        }

        /// <summary>Reports one file's failure; a cancellation the caller asked for is not one (see <see cref="StoppedByCaller"/>).</summary>
        public void Fail(object storage, string container, string item, Exception error, Func<Exception, BatchOutputException> translate)
        {
            if (!_caller.IsCancellationRequested && IsCancellation(error) && SkipAfterFailure(storage, container, item))
            {
                return; // cut short by the group's stop, not failed on its own
            }

            var translated = translate(error);
            if (translated.ErrorId == "OperationStopped" && !_caller.IsCancellationRequested && SkipAfterFailure(storage, container, item))
            {
                return;
            }

            if (!IsShared(translated.ErrorId))
            {
                _sink.Error(translated);
                return;
            }

            var group = GroupFor(storage, container);
            bool stopsNow;
            lock (_gate)
            {
                if (group.Cause != null)
                {
                    group.NotDone.Add(item); // one more file that met a failure already reported
                    return;
                }

                stopsNow = CertainlyShared.Contains(translated.ErrorId) || Repeated(group, translated.ErrorId);
                if (stopsNow)
                {
                    group.Cause = translated;
                }
            }

            _sink.Error(translated);
            if (stopsNow)
            {
                group.Stop.Cancel();
            }
        }

        /// <summary>True when <paramref name="error"/> is the caller stopping the command (Ctrl+C, a closed pipeline).</summary>
        public bool StoppedByCaller(Exception error) => error is OperationCanceledException && _caller.IsCancellationRequested;

        /// <summary>Writes, for each stopped group, the one error that accounts for every file its stop left undone.</summary>
        /// <param name="done">What was not done to them, as in "saved".</param>
        public void Complete(string done)
        {
            var summaries = new List<BatchOutputException>();
            lock (_gate)
            {
                foreach (var pair in _groups)
                {
                    var group = pair.Value;
                    if (group.NotDone.Count == 0)
                    {
                        continue;
                    }

                    var count = group.NotDone.Count == 1 ? "1 other file" : $"{group.NotDone.Count:N0} other files";
                    var where = string.IsNullOrEmpty(pair.Key.Container) ? string.Empty : $" in container '{pair.Key.Container}'";
                    var were = group.NotDone.Count == 1 ? "was" : "were";
                    summaries.Add(new BatchOutputException("StoppedAfterSharedFailure", FailureCategory.OperationStopped,
                        $"{count}{where} {were} not {done}: the command stopped there at the {group.Cause.ErrorId} error above, which each of them would have met too. " +
                        "Fix its cause and run the command again; this error's TargetObject lists them.", group.NotDone.ToArray()));
                }
            }

            foreach (var summary in summaries)
            {
                _sink.Error(summary);
            }
        }

        public void Dispose()
        {
            foreach (var group in _groups.Values)
            {
                group.Stop.Dispose();
            }
        }

        private bool Repeated(Group group, string errorId)
        {
            group.Repeats.TryGetValue(errorId, out var seen);
            group.Repeats[errorId] = ++seen;

            // A permission refused after others were granted is a path's own access list, not the credential's role.
            return seen >= RepeatsToStop && (errorId != "StoragePermissionDenied" || group.Successes == 0);
        }

        private Group GroupFor(object storage, string container)
        {
            lock (_gate)
            {
                var key = (storage, container ?? string.Empty);
                if (!_groups.TryGetValue(key, out var group))
                {
                    group = new Group(CancellationTokenSource.CreateLinkedTokenSource(_caller));
                    _groups.Add(key, group);
                }

                return group;
            }
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

        /// <summary>The files going to one storage context and container.</summary>
        private sealed class Group
        {
            public Group(CancellationTokenSource stop) => Stop = stop;

            public CancellationTokenSource Stop { get; }

            public BatchOutputException Cause { get; set; }

            public int Successes { get; set; }

            public Dictionary<string, int> Repeats { get; } = new Dictionary<string, int>(StringComparer.Ordinal);

            public List<string> NotDone { get; } = new List<string>();
        }
    }
}
