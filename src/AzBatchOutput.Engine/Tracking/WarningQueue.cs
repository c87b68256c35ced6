using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;

namespace AzBatchOutput.Tracking
{
    /// <summary>
    /// Warnings raised by background trackers, waiting for a pipeline thread to write them. Bounded: a tracker that fails the
    /// same way every interval for days, with no tracking cmdlet called meanwhile, must not grow it without end, so past
    /// <see cref="Capacity"/> waiting warnings new ones are only counted, and the count is the last warning taken.
    /// </summary>
    public sealed class WarningQueue
    {
        private readonly ConcurrentQueue<string> _waiting = new ConcurrentQueue<string>();
        private int _dropped;

        public WarningQueue(int capacity = 100)
        {
            Capacity = capacity;
        }

        public int Capacity { get; }

        public void Add(string warning)
        {
            if (_waiting.Count >= Capacity)
            {
                Interlocked.Increment(ref _dropped);
                return;
            }

            _waiting.Enqueue(warning);
        }

        /// <summary>Takes every waiting warning, oldest first, then one that says how many were left out, if any.</summary>
        public IEnumerable<string> TakeAll()
        {
            while (_waiting.TryDequeue(out var warning))
            {
                yield return warning;
            }

            var dropped = Interlocked.Exchange(ref _dropped, 0);
            if (dropped > 0)
            {
                yield return $"{dropped:N0} more tracking warning(s) came while {Capacity} were waiting to be shown, and were left out. " +
                             "Each tracker's State, LastError and RestartCount say where it stands.";
            }
        }
    }
}
