namespace AzBatchOutput.Tracking
{
    /// <summary>Where a tracker is in its life.</summary>
    public enum TrackerState
    {
        /// <summary>The file does not exist (yet, or any more); it is tracked from when it appears.</summary>
        WaitingForFile,

        /// <summary>The last flush succeeded: the blob held everything the file had at that time.</summary>
        Tracking,

        /// <summary>The last flush failed; it is retried at the next interval and nothing is dropped.</summary>
        Retrying,

        /// <summary>Stop was asked for: waiting for the file to settle, then the final flush.</summary>
        Stopping,

        /// <summary>Stopped after a successful final flush: the blob equals the file as it was then.</summary>
        Stopped,

        /// <summary>Stopped, but the final flush failed or was cancelled: see LastError; the blob may lack the file's end.</summary>
        Failed,
    }
}
