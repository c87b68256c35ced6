using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Management.Automation;
using System.Threading;
using AzBatchOutput.Storage;

namespace AzBatchOutput.Pipeline
{
    /// <summary>
    /// The engine's writer for a cmdlet: worker threads queue what they report, and the cmdlet writes it on the
    /// pipeline thread (PowerShell forbids Write* from any other thread).
    /// <para>
    /// A lock-free queue plus an event that is set only when it is not set already: a BlockingCollection's semaphore
    /// took a wait and a release per item and was a third of the client's CPU in a 20,000-file listing. The consumer
    /// resets the event before it empties the queue, so an item queued meanwhile either is taken in that pass or sets
    /// the event again (full fences on both sides): none waits unseen.
    /// </para>
    /// </summary>
    internal sealed class QueuedSink : IOperationSink, IDisposable
    {
        private static int _nextActivityId = 1000;
        private readonly ConcurrentQueue<Action<Cmdlet>> _queue = new ConcurrentQueue<Action<Cmdlet>>();
        private readonly ConcurrentQueue<Action> _failRequests = new ConcurrentQueue<Action>();
        // No spinning before the pipeline thread sleeps: on a small node the cores it would burn are the ones the
        // transfers (hashing, TLS) and, in the benchmark, the storage emulator need.
        private readonly ManualResetEventSlim _pending = new ManualResetEventSlim(false, spinCount: 0);
        // Long enough to gather a few files' results at a thousand files a second, too short for anyone to see.
        private static readonly TimeSpan MinimumPassInterval = TimeSpan.FromMilliseconds(4);
        private volatile bool _completed;
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
            if (!Enqueue(Answer) || _completed)
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
            _completed = true;
            while (_failRequests.TryDequeue(out var fail))
            {
                fail();
            }
        }

        /// <summary>No more items will come: the consuming loop ends once the queue is drained.</summary>
        public void Complete()
        {
            _completed = true;
            Signal();
        }

        /// <summary>Yields queued writes on the caller's (pipeline) thread until <see cref="Complete"/> and the queue is empty.</summary>
        public IEnumerable<Action<Cmdlet>> Drain()
        {
            var lastPass = 0L;
            while (true)
            {
                _pending.Wait();
                PaceWhileBusy(lastPass);
                lastPass = Stopwatch.GetTimestamp();
                _pending.Reset();
                Interlocked.MemoryBarrier(); // the reset is seen before the queue is read (pairs with Signal's)
                // Read before emptying the queue: whatever was queued before completion is then taken in this pass.
                var completed = _completed;
                while (_queue.TryDequeue(out var write))
                {
                    yield return write;
                }

                if (completed)
                {
                    yield break;
                }
            }
        }

        public void Dispose() => _pending.Dispose();

        /// <summary>
        /// While items come faster than one per <see cref="MinimumPassInterval"/>, the pipeline thread waits out the rest
        /// of that interval before it takes them, so it wakes once for a batch instead of once per file. A wake costs both
        /// threads a lock handoff and a system call: in a 2,000-file download that was a tenth of the client's kernel time.
        /// A lone item (one file, a request for the pipeline thread after a quiet spell) and the last one are taken at once.
        /// </summary>
        private void PaceWhileBusy(long lastPass)
        {
            if (_completed || lastPass == 0)
            {
                return;
            }

            var sinceLastPass = TimeSpan.FromSeconds((Stopwatch.GetTimestamp() - lastPass) / (double)Stopwatch.Frequency);
            if (sinceLastPass < MinimumPassInterval)
            {
                Thread.Sleep(MinimumPassInterval - sinceLastPass);
            }
        }

        private bool Enqueue(Action<Cmdlet> write)
        {
            if (_completed)
            {
                return false; // the operation is over and nobody is listening
            }

            _queue.Enqueue(write);
            Signal();
            return true;
        }

        private void Signal()
        {
            // A full fence between publishing (an item, or completion) and reading the event: without it the read could
            // happen first, see an event the consumer is about to reset, and leave the item unseen.
            Interlocked.MemoryBarrier();
            try
            {
                if (!_pending.IsSet)
                {
                    _pending.Set();
                }
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
