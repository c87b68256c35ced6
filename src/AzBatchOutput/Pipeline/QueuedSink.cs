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
    /// pipeline thread (PowerShell forbids Write* from any other thread).
    /// </summary>
    internal sealed class QueuedSink : IOperationSink, IDisposable
    {
        private static int _nextActivityId = 1000;
        private readonly BlockingCollection<Action<Cmdlet>> _queue = new BlockingCollection<Action<Cmdlet>>();
        private readonly int _activityId = Interlocked.Increment(ref _nextActivityId);

        public int ErrorCount => Volatile.Read(ref _errors);

        private int _errors;

        public void Output(object item) => Enqueue(cmdlet => cmdlet.WriteObject(item));

        public void Error(BatchOutputException error)
        {
            Interlocked.Increment(ref _errors);
            Enqueue(cmdlet => cmdlet.WriteError(ErrorRecords.From(error)));
        }

        public void Warning(string message) => Enqueue(cmdlet => cmdlet.WriteWarning(message));

        public void Verbose(string message) => Enqueue(cmdlet => cmdlet.WriteVerbose(message));

        public void Progress(TransferProgress progress) => Enqueue(cmdlet => cmdlet.WriteProgress(ProgressRecords.From(_activityId, progress)));

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
                    answer.SetResult(work(cmdlet));
                }
                catch (Exception error)
                {
                    answer.SetException(error);
                }
            }

            if (!Enqueue(Answer))
            {
                answer.SetException(new BatchOutputException("PipelineNotAvailable", FailureCategory.InvalidOperation,
                    "The command that started this work has finished, so nothing can run PowerShell for it any more."));
            }

            return answer.Task;
        }

        /// <summary>No more items will come: the consuming loop ends once the queue is drained.</summary>
        public void Complete() => _queue.CompleteAdding();

        /// <summary>Yields queued writes on the caller's (pipeline) thread until <see cref="Complete"/>.</summary>
        public IEnumerable<Action<Cmdlet>> Drain() => _queue.GetConsumingEnumerable();

        public void Dispose() => _queue.Dispose();

        private bool Enqueue(Action<Cmdlet> write)
        {
            try
            {
                return _queue.TryAdd(write);
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
            catch (InvalidOperationException)
            {
                return false; // completed: the operation is over and nobody is listening
            }
        }
    }
}
