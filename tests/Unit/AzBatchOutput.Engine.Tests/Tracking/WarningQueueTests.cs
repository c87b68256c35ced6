using System.Linq;
using AzBatchOutput.Tracking;
using Xunit;

namespace AzBatchOutput.Engine.Tests.Tracking
{
    /// <summary>Background trackers' warnings wait for a pipeline thread; a flood is counted, not kept.</summary>
    public class WarningQueueTests
    {
        [Fact]
        public void WarningsComeOutOldestFirstAndOnlyOnce()
        {
            var queue = new WarningQueue(capacity: 3);
            queue.Add("one");
            queue.Add("two");
            Assert.Equal(new[] { "one", "two" }, queue.TakeAll().ToArray());
            Assert.Empty(queue.TakeAll());
        }

        [Fact]
        public void PastItsCapacityWarningsAreCountedAndTheCountComesLast()
        {
            var queue = new WarningQueue(capacity: 3);
            for (var i = 1; i <= 10; i++)
            {
                queue.Add("warning " + i);
            }

            var taken = queue.TakeAll().ToArray();
            Assert.Equal(new[] { "warning 1", "warning 2", "warning 3" }, taken.Take(3).ToArray());
            Assert.Equal(4, taken.Length);
            Assert.StartsWith("7 more tracking warning(s) came while 3 were waiting", taken[3]);

            // The count starts again: the next flood is counted on its own.
            queue.Add("after");
            Assert.Equal(new[] { "after" }, queue.TakeAll().ToArray());
        }
    }
}
