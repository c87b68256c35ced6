using System;
using System.Threading;
using Azure.Storage.Blobs;
using AzBatchOutput.TestSupport;

namespace AzBatchOutput.Module.Tests.Infrastructure
{
    /// <summary>One real Azurite for the whole test run (started on first use, stopped when the process exits).</summary>
    public static class TestStorage
    {
        private static readonly Lazy<AzuriteServer> Lazy = new Lazy<AzuriteServer>(() => AzuriteServer.Start(), LazyThreadSafetyMode.ExecutionAndPublication);
        private static int _counter;

        public static AzuriteServer Server => Lazy.Value;

        public static string ConnectionString => Server.ConnectionString;

        /// <summary>The plain Azure SDK, as another tool would use it (the test process's own, older version).</summary>
        public static BlobServiceClient Sdk => new BlobServiceClient(ConnectionString);

        /// <summary>A job ID no other test uses.</summary>
        public static string NewJobId(string stem = "job") => $"{stem}-{Environment.ProcessId % 10000}-{Interlocked.Increment(ref _counter)}-{Guid.NewGuid().ToString("N").Substring(0, 6)}";
    }
}
