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
    /// Results that workers hand to the pipeline thread: none lost or repeated, each worker's in its order, and no more
    /// than the capacity (plus one per waiting worker) held for a consumer that falls behind. Waits are bounded by a
    /// generous timeout only so that a hang fails the test instead of the run.
    /// </summary>
    public class HandoffQueueTests
    {
        private static readonly TimeSpan NoHang = TimeSpan.FromSeconds(30);

        [Fact]
        public void EveryItemOfEveryProducerIsTakenOnceAndInItsProducersOrder()
        {
            using var queue = new HandoffQueue<(int Producer, int Index)>(capacity: 64, minimumPassInterval: TimeSpan.FromMilliseconds(1));
            const int producers = 6, perProducer = 5000;
            var work = Task.WhenAll(Enumerable.Range(0, producers).Select(p => Task.Run(() =>
            {
                for (var i = 0; i < perProducer; i++)
                {
                    Assert.True(queue.Add((p, i), mayWait: true));
                }
            }))).ContinueWith(_ => queue.Close(), TaskScheduler.Default);

            var taken = queue.Drain().ToList();

            Assert.True(work.Wait(NoHang));
            Assert.Equal(producers * perProducer, taken.Count);
            foreach (var group in taken.GroupBy(t => t.Producer))
            {
                Assert.Equal(Enumerable.Range(0, perProducer), group.Select(t => t.Index));
            }

            Assert.Equal(0, queue.Count);
        }

        [Fact]
        public void ASlowConsumerHoldsAtMostTheCapacityPlusOnePerWaitingProducer()
        {
            const int capacity = 100, producers = 4, perProducer = 1000;
            using var queue = new HandoffQueue<int>(capacity, TimeSpan.Zero);
            var work = Task.WhenAll(Enumerable.Range(0, producers).Select(p => Task.Run(() =>
            {
                for (var i = 0; i < perProducer; i++)
                {
                    queue.Add(i, mayWait: true);
                }
            }))).ContinueWith(_ => queue.Close(), TaskScheduler.Default);

            var most = 0;
            var taken = 0;
            foreach (var _ in queue.Drain())
            {
                most = Math.Max(most, queue.Count);
                taken++;
                if (taken % 50 == 0)
                {
                    Thread.Sleep(2); // a consumer slower than the producers: they fill the queue and must wait
                }
            }

            Assert.True(work.Wait(NoHang));
            Assert.Equal(producers * perProducer, taken);
            Assert.InRange(most, capacity / 2, capacity + producers);
        }

        [Fact]
        public void ItemsThatMayNotWaitAreAddedPastTheCapacity()
        {
            using var queue = new HandoffQueue<int>(capacity: 10, TimeSpan.Zero);
            var adding = Task.Run(() =>
            {
                for (var i = 0; i < 100; i++)
                {
                    Assert.True(queue.Add(i, mayWait: false));
                }
            });

            Assert.True(adding.Wait(NoHang));
            Assert.Equal(100, queue.Count);
            queue.Close();
            Assert.Equal(Enumerable.Range(0, 100), queue.Drain());
        }

        [Fact]
        public void ClosingReleasesAProducerWaitingForRoomAndRefusesItsItem()
        {
            using var queue = new HandoffQueue<int>(capacity: 4, TimeSpan.Zero);
            for (var i = 0; i < 4; i++)
            {
                Assert.True(queue.Add(i, mayWait: true));
            }

            var waiting = Task.Run(() => queue.Add(99, mayWait: true));
            Assert.False(waiting.Wait(TimeSpan.FromMilliseconds(300)), "a producer went on while the queue was full and nothing was taken");

            queue.Close(); // the consumer is gone (a write threw): nothing more will be taken

            Assert.True(waiting.Wait(NoHang));
            Assert.False(waiting.Result);
            Assert.False(queue.Add(100, mayWait: true));
            Assert.Equal(4, queue.Count);
        }

        [Fact]
        public void TheConsumersOwnAddNeverWaitsForItself()
        {
            using var queue = new HandoffQueue<int>(capacity: 4, TimeSpan.Zero);
            queue.Add(0, mayWait: true);
            var consumer = Task.Run(() =>
            {
                var seen = new List<int>();
                foreach (var item in queue.Drain())
                {
                    seen.Add(item);
                    if (item == 0)
                    {
                        // A write on the pipeline thread that reports more (as a request's answer may): the queue is
                        // over capacity now, and waiting for room here would wait for this very thread.
                        for (var i = 1; i <= 10; i++)
                        {
                            queue.Add(i, mayWait: true);
                        }

                        queue.Close();
                    }
                }

                return seen;
            });

            Assert.True(consumer.Wait(NoHang));
            Assert.Equal(Enumerable.Range(0, 11), consumer.Result);
        }

        [Fact]
        public void AnItemAddedAfterClosingIsRefused()
        {
            using var queue = new HandoffQueue<string>(capacity: 8, TimeSpan.FromMilliseconds(4));
            Assert.True(queue.Add("before", mayWait: true));
            queue.Close();
            Assert.False(queue.Add("after", mayWait: false));
            Assert.Equal(new[] { "before" }, queue.Drain());
        }

        [Fact]
        public void ACapacityBelowTwoIsRefused()
        {
            Assert.Throws<ArgumentOutOfRangeException>(() => new HandoffQueue<int>(1, TimeSpan.Zero));
        }
    }
}
