using System;
using AzBatchOutput.Conventions;

namespace AzBatchOutput.Tracking
{
    /// <summary>Everything a tracker needs, resolved by the caller (the cmdlet) before it starts.</summary>
    public sealed class TrackingRequest
    {
        public BatchOutputStorageContext Context { get; set; }

        public string JobId { get; set; }

        public string TaskId { get; set; }

        public OutputKind Kind { get; set; }

        /// <summary>The path under the kind's folder, already normalised (OutputPath.Normalize).</summary>
        public string Path { get; set; }

        /// <summary>The full path of the local file; it need not exist yet.</summary>
        public string LocalPath { get; set; }

        public TimeSpan FlushInterval { get; set; } = TrackingDefaults.FlushInterval;

        /// <summary>Receives the tracker's warnings; may be null.</summary>
        public ITrackerEvents Events { get; set; }

        /// <summary>
        /// Whoever started the tracker (the cmdlets use one object per PowerShell runspace): trackers can be listed and
        /// stopped by owner. Never shown to users.
        /// </summary>
        public object Owner { get; set; }
    }
}
