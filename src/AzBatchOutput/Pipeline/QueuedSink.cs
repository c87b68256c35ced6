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

        /// <summary>No more items will come: the consuming loop ends once the queue is drained.</summary>
        public void Complete() => _queue.CompleteAdding();

        /// <summary>Yields queued writes on the caller's (pipeline) thread until <see cref="Complete"/>.</summary>
        public IEnumerable<Action<Cmdlet>> Drain() => _queue.GetConsumingEnumerable();

        public void Dispose() => _queue.Dispose();

        private void Enqueue(Action<Cmdlet> write)
        {
            if (!_queue.IsAddingCompleted)
            {
                _queue.Add(write);
            }
        }
    }
}
