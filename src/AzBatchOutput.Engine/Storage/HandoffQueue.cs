using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;

namespace AzBatchOutput.Storage
{
    /// <summary>
    /// Items that worker threads hand to one consumer thread (a cmdlet's pipeline thread), in the order each worker adds
    /// them. Three choices make it cheap and safe at thousands of items a second:
    /// <list type="bullet">
    /// <item>A lock-free queue plus an event set only when not set already: a BlockingCollection's semaphore took a wait
    /// and a release per item and was a third of the client's CPU in a 20,000-file listing.</item>
    /// <item>While items come faster than one per <c>minimumPassInterval</c>, the consumer waits out the rest of that
    /// interval before it takes them, so it wakes once for a batch instead of once per item (a wake costs both threads a
    /// lock handoff and a system call). A lone item, or the first after a quiet spell, is taken at once.</item>
    /// <item>A bound: once <see cref="Capacity"/> items wait untaken, a producer that may wait does, until the consumer
    /// has taken half of them. A fast listing piped into a slow consumer then holds that many results, not the job's.</item>
    /// </list>
    /// </summary>
    public sealed class HandoffQueue<T> : IDisposable
    {
        private readonly ConcurrentQueue<T> _queue = new ConcurrentQueue<T>();
        // No spinning before a thread sleeps: on a small node the cores it would burn are the ones the transfers (hashing,
        // TLS) and, in the benchmark, the storage emulator need.
        private readonly ManualResetEventSlim _pending = new ManualResetEventSlim(false, spinCount: 0);
        private readonly ManualResetEventSlim _room = new ManualResetEventSlim(true, spinCount: 0);
        private readonly TimeSpan _minimumPassInterval;
        private int _count;
        private volatile bool _closed;
        private int _consumerThread = -1;

        public HandoffQueue(int capacity, TimeSpan minimumPassInterval)
        {
            if (capacity < 2)
            {
                throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "A handoff queue holds at least two items.");
            }

            Capacity = capacity;
            _minimumPassInterval = minimumPassInterval;
        }

        /// <summary>How many items may wait untaken before a producer that may wait does.</summary>
        public int Capacity { get; }

        /// <summary>Items added and not yet taken.</summary>
        public int Count => Volatile.Read(ref _count);

        /// <summary>True once <see cref="Close"/> was called: nothing more is added.</summary>
        public bool IsClosed => _closed;

        /// <summary>
        /// Adds an item; false if the queue is closed (nobody will take it). With <paramref name="mayWait"/>, a full queue
        /// makes the caller wait for room, except on the consumer's own thread, which would then wait for itself.
        /// </summary>
        public bool Add(T item, bool mayWait)
        {
            if (_closed)
            {
                return false;
            }

            if (Interlocked.Increment(ref _count) > Capacity && mayWait && Environment.CurrentManagedThreadId != Volatile.Read(ref _consumerThread))
            {
                WaitForRoom();
                if (_closed)
                {
                    Interlocked.Decrement(ref _count);
                    return false; // closed while this producer waited: nobody will take it
                }
            }

            _queue.Enqueue(item);
            Signal();
            return true;
        }

        /// <summary>No more items: <see cref="Drain"/> ends once the queue is empty, and producers waiting for room go on.</summary>
        public void Close()
        {
            _closed = true;
            Signal();
            SetQuietly(_room);
        }

        /// <summary>Yields the items on the calling (consumer) thread until <see cref="Close"/> and the queue is empty.</summary>
        public IEnumerable<T> Drain()
        {
            Volatile.Write(ref _consumerThread, Environment.CurrentManagedThreadId);
            var lastPass = 0L;
            while (true)
            {
                _pending.Wait();
                PaceWhileBusy(lastPass);
                lastPass = Stopwatch.GetTimestamp();
                _pending.Reset();
                Interlocked.MemoryBarrier(); // the reset is seen before the queue is read (pairs with Signal's)
                // Read before emptying the queue: whatever was added before closing is then taken in this pass.
                var closed = _closed;
                while (_queue.TryDequeue(out var item))
                {
                    if (Interlocked.Decrement(ref _count) <= Capacity / 2 && !_room.IsSet)
                    {
                        SetQuietly(_room);
                    }

                    yield return item;
                }

                if (closed)
                {
                    yield break;
                }
            }
        }

        public void Dispose()
        {
            _pending.Dispose();
            _room.Dispose();
        }

        private void WaitForRoom()
        {
            try
            {
                while (!_closed && Volatile.Read(ref _count) > Capacity)
                {
                    _room.Reset();
                    Interlocked.MemoryBarrier(); // the reset is seen before the count is read again (pairs with Drain's)
                    if (_closed || Volatile.Read(ref _count) <= Capacity / 2)
                    {
                        return;
                    }

                    // Bounded, so that a wake-up missed in a race costs a moment, never a hang.
                    _room.Wait(TimeSpan.FromMilliseconds(50));
                }
            }
            catch (ObjectDisposedException)
            {
                // The consumer is gone and the queue disposed: the item is added to nothing, which is all that can happen now.
            }
        }

        private void PaceWhileBusy(long lastPass)
        {
            if (_closed || lastPass == 0 || _minimumPassInterval <= TimeSpan.Zero)
            {
                return;
            }

            var sinceLastPass = TimeSpan.FromSeconds((Stopwatch.GetTimestamp() - lastPass) / (double)Stopwatch.Frequency);
            if (sinceLastPass < _minimumPassInterval)
            {
                Thread.Sleep(_minimumPassInterval - sinceLastPass);
            }
        }

        private void Signal()
        {
            // A full fence between publishing (an item, or closing) and reading the event: without it the read could
            // happen first, see an event the consumer is about to reset, and leave the item unseen.
            Interlocked.MemoryBarrier();
            if (!_pending.IsSet)
            {
                SetQuietly(_pending);
            }
        }

        private static void SetQuietly(ManualResetEventSlim signal)
        {
            try
            {
                signal.Set();
            }
            catch (ObjectDisposedException)
            {
            }
        }
    }
}
