using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using AzBatchOutput.Storage;

namespace AzBatchOutput.Pipeline
{
    /// <summary>
    /// The engine's writer for a cmdlet: worker threads queue what they report, and the cmdlet writes it on the
    /// pipeline thread (PowerShell forbids Write* from any other thread). The handoff (batching, and a bound on what
    /// waits untaken) is <see cref="HandoffQueue{T}"/>'s.
    /// </summary>
    internal sealed class QueuedSink : IOperationSink, IDisposable
    {
        /// <summary>
        /// Writes that may wait untaken before the workers that report them wait: about 5 MB of listed files. A listing
        /// piped into something slow (Format-Table on a console, a download per file) holds this many, not the job's.
        /// </summary>
        internal const int WriteCapacity = 10000;

        // Long enough to gather a few files' results at a thousand files a second, too short for anyone to see.
        private static readonly TimeSpan MinimumPassInterval = TimeSpan.FromMilliseconds(4);
        private static int _nextActivityId = 1000;
        private readonly HandoffQueue<Action<Cmdlet>> _queue = new HandoffQueue<Action<Cmdlet>>(WriteCapacity, MinimumPassInterval);
        private readonly ConcurrentQueue<Action> _failRequests = new ConcurrentQueue<Action>();
        private readonly int _activityId = Interlocked.Increment(ref _nextActivityId);

        public int ErrorCount => Volatile.Read(ref _errors);

        private int _errors;

        public void Output(object item) => Enqueue(cmdlet => cmdlet.WriteObject(item is System.IO.FileInfo file ? LocalFileItems.From(file) : item));

        public void Error(BatchOutputException error)
        {
            Interlocked.Increment(ref _errors);
            Enqueue(cmdlet => cmdlet.WriteError(ErrorRecords.From(error)));
        }

        public void Warning(string message) => Enqueue(cmdlet => cmdlet.WriteWarning(message));

        /// <summary>
        /// False when the command's verbose stream is off: its messages (two per file of a transfer) are then not queued
        /// for the pipeline thread to drop, which was a sixth of a 2,000-file download's queue traffic twice over.
        /// </summary>
        public bool VerboseWanted { get; set; } = true;

        public void Verbose(string message)
        {
            if (VerboseWanted)
            {
                Enqueue(cmdlet => cmdlet.WriteVerbose(message));
            }
        }

        public void Progress(TransferProgress progress) => _queue.Add(cmdlet => cmdlet.WriteProgress(ProgressRecords.From(_activityId, progress)), mayWait: false);

        /// <summary>
        /// Runs <paramref name="work"/> on the pipeline thread and hands back its result: how a worker asks for
        /// something only the runspace can give. Fails at once if the operation has already finished.
        /// </summary>
        public System.Threading.Tasks.Task<T> Request<T>(Func<Cmdlet, T> work)
        {
            var answer = new System.Threading.Tasks.TaskCompletionSource<T>(System.Threading.Tasks.TaskCreationOptions.RunContinuationsAsynchronously);
            void Answer(Cmdlet cmdlet)
            {
                try
                {
                    answer.TrySetResult(work(cmdlet));
                }
                catch (Exception error)
                {
                    answer.TrySetException(error);
                }
            }

            void Fail() => answer.TrySetException(new BatchOutputException("PipelineNotAvailable", FailureCategory.InvalidOperation,
                "The command that started this work has finished, so nothing can run PowerShell for it any more."));

            // Queued just as the operation ended, the request may never be taken: it fails instead of waiting forever.
            _failRequests.Enqueue(Fail);
            if (!_queue.Add(Answer, mayWait: false) || _queue.IsClosed)
            {
                Fail();
            }

            return answer.Task;
        }

        /// <summary>
        /// The pipeline thread stopped taking writes before the work ended (a write threw): nothing more is queued, and
        /// every request still waiting for an answer fails, so no worker waits for a pipeline that is gone.
        /// </summary>
        public void Abandon()
        {
            _queue.Close();
            while (_failRequests.TryDequeue(out var fail))
            {
                fail();
            }
        }

        /// <summary>No more items will come: the consuming loop ends once the queue is drained.</summary>
        public void Complete() => _queue.Close();

        /// <summary>Yields queued writes on the caller's (pipeline) thread until <see cref="Complete"/> and the queue is empty.</summary>
        public IEnumerable<Action<Cmdlet>> Drain() => _queue.Drain();

        public void Dispose() => _queue.Dispose();

        private void Enqueue(Action<Cmdlet> write) => _queue.Add(write, mayWait: true);
    }
}
