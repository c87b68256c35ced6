using Azure.Storage;

namespace AzBatchOutput.Storage
{
    /// <summary>
    /// Block and range sizes, per-file concurrency and checksums; one place so uploads and downloads agree.
    /// <para>
    /// Checksums are MD5, not CRC64: Azure.Storage.Blobs 12.30 sends CRC64 as a structured message body
    /// (x-ms-structured-body: XSM/1.0), which the Azure service understands but Azurite 3.37 does not (it stores the
    /// framed bytes as the blob's content and fails the call), while MD5 is checked by both.
    /// </para>
    /// <para>
    /// Uploads send Content-MD5 with every request that carries content. Downloads check a blob against its stored
    /// whole-content MD5 when it has one (every blob this module saves does), hashing the bytes as they are written,
    /// in large ranges; only a blob without one (or a fetch that failed that check) asks the service for each range's
    /// MD5, which it computes for ranges of at most 4 MiB and which cost Azurite about 2.4x the CPU of serving the
    /// bytes (benchmark case c, 2026-11-24: commit a13b7db and its benchmarks/RESULTS.md).
    /// </para>
    /// </summary>
    internal static class TransferTuning
    {
        // 4 MiB, not 8: with MD5 validation the SDK holds each block in memory, and 8 MiB blocks x 8 in flight put a
        // 1 GiB upload's peak at +141 to +319 MiB over an idle engine; 4 MiB blocks measured +97 to +116 MiB at the
        // same speed straight to storage (benchmarks/RESULTS.md of 2026-11-25, commit 4a421a3).
        public const long SingleShotLimit = 4L * 1024 * 1024;
        private const long BlockSize = 4L * 1024 * 1024;
        private const long ChecksummedRangeLimit = 4L * 1024 * 1024;
        /// <summary>
        /// A file up to this is read whole, synchronously, and sent from memory (see OutputUploader). 256 KiB keeps what
        /// 32 files in flight hold to 8 MiB.
        /// </summary>
        public const long InMemoryUploadLimit = 256 * 1024;

        /// <summary>The range a download checked against the stored MD5 reads at once: a file up to this comes in one.</summary>
        public const long SingleRangeLimit = 8L * 1024 * 1024;

        public static UploadTransferValidationOptions UploadValidation => new UploadTransferValidationOptions
        {
            ChecksumAlgorithm = StorageChecksumAlgorithm.MD5,
        };

        public static DownloadTransferValidationOptions RangeValidation => new DownloadTransferValidationOptions
        {
            ChecksumAlgorithm = StorageChecksumAlgorithm.MD5,
            AutoValidateChecksum = true,
        };

        /// <summary>For a download checked against the blob's stored MD5 afterwards.</summary>
        public static DownloadTransferValidationOptions NoRangeValidation => new DownloadTransferValidationOptions
        {
            ChecksumAlgorithm = StorageChecksumAlgorithm.None,
        };

        public static StorageTransferOptions ForUpload(long length) => new StorageTransferOptions
        {
            InitialTransferSize = SingleShotLimit,
            MaximumTransferSize = BlockSize,
            // Small files gain nothing from splitting; large ones go up in parallel blocks.
            MaximumConcurrency = length > SingleShotLimit ? 8 : 1,
        };

        public static StorageTransferOptions ForRangeCheckedDownload(long length) => new StorageTransferOptions
        {
            InitialTransferSize = ChecksummedRangeLimit,
            MaximumTransferSize = ChecksummedRangeLimit,
            MaximumConcurrency = length > ChecksummedRangeLimit ? 8 : 1,
        };

        public static StorageTransferOptions ForWholeFileCheckedDownload(long length) => new StorageTransferOptions
        {
            InitialTransferSize = SingleRangeLimit,
            MaximumTransferSize = SingleRangeLimit,
            MaximumConcurrency = length > SingleRangeLimit ? 8 : 1,
        };
    }
}
