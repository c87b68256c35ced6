using System;

namespace AzBatchOutput.Tracking
{
    /// <summary>The numbers that tracked output is built on; one place, so the cmdlets, the help and the tests agree.</summary>
    public static class TrackingDefaults
    {
        /// <summary>How often a tracker sends what the file gained, unless told otherwise.</summary>
        public static readonly TimeSpan FlushInterval = TimeSpan.FromSeconds(15);

        /// <summary>The shortest interval accepted: each flush costs at least one request per tracked file.</summary>
        public static readonly TimeSpan MinimumFlushInterval = TimeSpan.FromSeconds(1);

        /// <summary>The longest interval accepted.</summary>
        public static readonly TimeSpan MaximumFlushInterval = TimeSpan.FromHours(24);

        /// <summary>
        /// Stop's default grace: Batch copies a task's stdout.txt and stderr.txt up to about 3 seconds late, so before the
        /// final flush Stop waits until the file has not grown for <see cref="SettleTime"/>, but never longer than this.
        /// </summary>
        public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(3);

        /// <summary>How long a file must keep its length, during the grace period, to count as complete.</summary>
        public static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(1);

        /// <summary>The longest grace period accepted.</summary>
        public static readonly TimeSpan MaximumGracePeriod = TimeSpan.FromMinutes(5);

        /// <summary>
        /// How long the final flushes may take, all trackers together, when the process exits or the runspace that owns the
        /// trackers closes (no grace period then: the process is going away).
        /// </summary>
        public static readonly TimeSpan ShutdownFlushTimeout = TimeSpan.FromSeconds(5);

        /// <summary>The largest single append: the size of one append block that every service version accepts.</summary>
        public const int MaxAppendBytes = 4 * 1024 * 1024;

        /// <summary>The most blocks (appends) one append blob can take; the service refuses more (BlockCountExceedsLimit).</summary>
        public const int AppendBlobBlockLimit = 50_000;

        /// <summary>
        /// For tests only: the block count at which a tracked blob is compacted (written again from its file in appends of
        /// <see cref="MaxAppendBytes"/>), instead of <see cref="CompactAtBlocks"/>; read when a tracker is created.
        /// </summary>
        public const string TestCompactAtVariable = "AZBATCHOUTPUT_TEST_COMPACT_AT_BLOCKS";

        /// <summary>
        /// A chatty log appended every 5 s reaches the block limit in about 69 hours: well before it does, leaving room for
        /// one flush of a few GB, the blob is written again in large appends and tracking goes on.
        /// </summary>
        public static int CompactAtBlocks =>
            int.TryParse(Environment.GetEnvironmentVariable(TestCompactAtVariable), out var blocks) && blocks >= 2 && blocks <= AppendBlobBlockLimit
                ? blocks
                : AppendBlobBlockLimit - 1_000;

        /// <summary>
        /// How much of the start and of the end of what was sent is remembered, to notice a file that was replaced
        /// (rotated, or rewritten by a new process) rather than grown.
        /// </summary>
        public const int FingerprintBytes = 4 * 1024;

        /// <summary>How often the length is read while waiting for a file to settle.</summary>
        internal static readonly TimeSpan SettlePollInterval = TimeSpan.FromMilliseconds(100);
    }
}
