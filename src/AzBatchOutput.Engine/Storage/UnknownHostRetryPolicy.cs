using System;
using System.Net.Sockets;
using System.Threading.Tasks;
using Azure.Core;
using Azure.Core.Pipeline;

namespace AzBatchOutput.Storage
{
    /// <summary>
    /// Azure.Core's retry policy (the same tries and exponential delays), except that a host DNS says does not exist
    /// is not tried again: a mistyped account name or endpoint would otherwise wait out every retry (about 25 s with
    /// the module's defaults) before saying so. Only that definite answer skips the retries; a lookup that timed out
    /// (TryAgain) and every other fault are retried as before.
    /// </summary>
    internal sealed class UnknownHostRetryPolicy : RetryPolicy
    {
        public UnknownHostRetryPolicy(int maxRetries, TimeSpan delay, TimeSpan maxDelay)
            : base(maxRetries, DelayStrategy.CreateExponentialDelayStrategy(delay, maxDelay))
        {
        }

        /// <summary>Whether the fault is DNS answering that the host does not exist (HostNotFound), at any depth.</summary>
        public static bool IsUnknownHost(Exception exception)
        {
            for (var inner = exception; inner != null; inner = inner.InnerException)
            {
                if (inner is SocketException socket && socket.SocketErrorCode == SocketError.HostNotFound)
                {
                    return true;
                }
            }

            return false;
        }

        // Both: Azure.Core's async path asks ShouldRetryAsync, which does not go through ShouldRetry.
        protected override bool ShouldRetry(HttpMessage message, Exception exception) =>
            !IsUnknownHost(exception) && base.ShouldRetry(message, exception);

        protected override ValueTask<bool> ShouldRetryAsync(HttpMessage message, Exception exception) =>
            IsUnknownHost(exception) ? new ValueTask<bool>(false) : base.ShouldRetryAsync(message, exception);
    }
}
