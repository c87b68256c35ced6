namespace AzBatchOutput.Tracking
{
    /// <summary>
    /// What a tracker reports while it runs in the background. Called from worker threads (and from process exit); an
    /// implementation must not block and must not write to a PowerShell pipeline directly: queue, and write later on the
    /// pipeline thread.
    /// </summary>
    public interface ITrackerEvents
    {
        /// <summary>Something the user should know: a failed flush (retried), a replaced earlier attempt, a truncated file.</summary>
        void Warning(TaskOutputTracker tracker, string message);
    }
}
