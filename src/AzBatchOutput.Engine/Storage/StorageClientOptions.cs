using System;
using System.Globalization;
using Azure.Core;
using Azure.Storage.Blobs;

namespace AzBatchOutput.Storage
{
    /// <summary>The one place that sets retries, timeouts and telemetry for every client the module creates.</summary>
    internal static class StorageClientOptions
    {
        /// <summary>
        /// For tests only: shortens (or lengthens) retries and the network timeout of clients created while it is set, so
        /// fault-injection tests need not wait 100 s for a stalled request. Semicolon-separated, seconds as decimals, any
        /// subset: <c>retries=2;delay=0.05;maxDelay=0.2;networkTimeout=1.5</c>. Values out of range or unreadable are
        /// ignored. It is read when a storage context first makes its client, not on every request. Not for production:
        /// the defaults below are chosen for real accounts.
        /// </summary>
        public const string TestRetryVariable = "AZBATCHOUTPUT_TEST_RETRY";

        public const int DefaultMaxRetries = 6;
        public static readonly TimeSpan DefaultDelay = TimeSpan.FromMilliseconds(400);
        public static readonly TimeSpan DefaultMaxDelay = TimeSpan.FromSeconds(20);
        public static readonly TimeSpan DefaultNetworkTimeout = TimeSpan.FromSeconds(100);

        /// <param name="networkTimeout">
        /// How long one try of a request (or one read of a download's body) may go unanswered before it is retried.
        /// </param>
        public static BlobClientOptions Create(TimeSpan networkTimeout)
        {
            var options = new BlobClientOptions();
            options.Diagnostics.ApplicationId = "AzBatchOutput";
            // Task output is often the only copy: retry transient faults longer than the SDK's default of 3.
            options.Retry.Mode = RetryMode.Exponential;
            options.Retry.MaxRetries = DefaultMaxRetries;
            options.Retry.Delay = DefaultDelay;
            options.Retry.MaxDelay = DefaultMaxDelay;
            options.Retry.NetworkTimeout = networkTimeout;
            ApplyTestOverrides(options.Retry, Environment.GetEnvironmentVariable(TestRetryVariable));
            // The same tries and delays as options.Retry describes, but a host that does not exist fails at once.
            options.RetryPolicy = new UnknownHostRetryPolicy(options.Retry.MaxRetries, options.Retry.Delay, options.Retry.MaxDelay);
            return options;
        }

        internal static void ApplyTestOverrides(RetryOptions retry, string setting)
        {
            if (string.IsNullOrWhiteSpace(setting))
            {
                return;
            }

            foreach (var part in setting.Split(';'))
            {
                var eq = part.IndexOf('=');
                if (eq <= 0 || !double.TryParse(part.Substring(eq + 1).Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
                {
                    continue;
                }

                switch (part.Substring(0, eq).Trim().ToLowerInvariant())
                {
                    case "retries" when value >= 0 && value <= 20:
                        retry.MaxRetries = (int)value;
                        break;
                    case "delay" when value > 0 && value <= 60:
                        retry.Delay = TimeSpan.FromSeconds(value);
                        break;
                    case "maxdelay" when value > 0 && value <= 600:
                        retry.MaxDelay = TimeSpan.FromSeconds(value);
                        break;
                    case "networktimeout" when value >= 0.1 && value <= 3600:
                        retry.NetworkTimeout = TimeSpan.FromSeconds(value);
                        break;
                }
            }
        }
    }
}
