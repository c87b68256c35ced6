using System;
using Azure.Core;
using Azure.Storage.Blobs;

namespace AzBatchOutput.Storage
{
    /// <summary>The one place that sets retries and telemetry for every client the module creates.</summary>
    internal static class StorageClientOptions
    {
        public static BlobClientOptions Create()
        {
            var options = new BlobClientOptions();
            options.Diagnostics.ApplicationId = "AzBatchOutput";
            // Task output is often the only copy: retry transient faults longer than the SDK's default of 3.
            options.Retry.Mode = RetryMode.Exponential;
            options.Retry.MaxRetries = 6;
            options.Retry.Delay = TimeSpan.FromMilliseconds(400);
            options.Retry.MaxDelay = TimeSpan.FromSeconds(20);
            options.Retry.NetworkTimeout = TimeSpan.FromSeconds(100);
            return options;
        }
    }
}
