using System;
using System.Diagnostics.Tracing;
using System.Threading;

namespace AzBatchOutput.Benchmarks
{
    /// <summary>
    /// Counts, in a child, the requests that failed (and were retried, or failed the run), the error answers and the
    /// answers slower than Azure.Core's 3-second warning: a run that waited with both processes idle can then say on what.
    /// Only warning and error events are enabled, so no request is logged and the clients' per-request work is unchanged.
    /// </summary>
    internal sealed class RequestTroubleListener : EventListener
    {
        private int _failedRequests;
        private int _errorResponses;
        private int _slowResponses;

        public int FailedRequests => Volatile.Read(ref _failedRequests);

        public int ErrorResponses => Volatile.Read(ref _errorResponses);

        public int SlowResponses => Volatile.Read(ref _slowResponses);

        /// <summary>Starts counting afresh: set-up and warm-up are not the timed run.</summary>
        public void Reset()
        {
            Interlocked.Exchange(ref _failedRequests, 0);
            Interlocked.Exchange(ref _errorResponses, 0);
            Interlocked.Exchange(ref _slowResponses, 0);
        }

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            // The module's isolated Azure.Core is a second "Azure-Core" source, which Azure.Core names with a suffix.
            if (eventSource.Name.StartsWith("Azure-Core", StringComparison.Ordinal))
            {
                EnableEvents(eventSource, EventLevel.Warning);
            }
            else if (eventSource.Name == "System.Net.Http")
            {
                EnableEvents(eventSource, EventLevel.Error);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            switch (eventData.EventName)
            {
                case "RequestFailed":
                    Interlocked.Increment(ref _failedRequests);
                    break;
                case "ErrorResponse":
                    Interlocked.Increment(ref _errorResponses);
                    break;
                case "ResponseDelay":
                    Interlocked.Increment(ref _slowResponses);
                    break;
            }
        }
    }
}
