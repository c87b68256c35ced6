using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace AzBatchOutput.Storage
{
    /// <summary>Runs one async body per item with at most <c>limit</c> in flight (netstandard2.0 has no Parallel.ForEachAsync).</summary>
    internal static class BoundedParallel
    {
        public const int DefaultLimit = 32;

        public static async Task ForEachAsync<T>(IEnumerable<T> items, int limit, Func<T, CancellationToken, Task> body, CancellationToken cancellationToken)
        {
            if (limit < 1)
            {
                limit = 1;
            }

            using (var gate = new SemaphoreSlim(limit))
            {
                var running = new List<Task>();
                OperationCanceledException stopped = null;
                try
                {
                    foreach (var item in items)
                    {
                        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
                        running.Add(RunOne(item));
                    }
                }
                catch (OperationCanceledException ex)
                {
                    stopped = ex;
                }

                // Never leave workers running behind the caller's back, even when stopped.
                await Task.WhenAll(running).ConfigureAwait(false);
                if (stopped != null)
                {
                    throw stopped;
                }

                async Task RunOne(T item)
                {
                    try
                    {
                        await body(item, cancellationToken).ConfigureAwait(false);
                    }
                    finally
                    {
                        gate.Release();
                    }
                }
            }
        }
    }
}
