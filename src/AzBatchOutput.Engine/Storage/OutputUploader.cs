using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace AzBatchOutput.Storage
{
    /// <summary>
    /// Saves planned files as block blobs, several at once, streaming each from disk. Every request that carries content
    /// also carries its MD5 (Content-MD5), which the service checks before it stores anything: a byte changed on the way
    /// is refused (400 Md5Mismatch), never kept. Such a refusal is retried from the file on disk a few times.
    /// </summary>
    public static class OutputUploader
    {
        /// <summary>How many times one file is sent in all when the service reports that its content arrived corrupted.</summary>
        internal const int IntegrityAttempts = 3;

        public static async Task UploadAsync(
            BatchOutputStorageContext context,
            string jobId,
            string containerName,
            IReadOnlyList<UploadItem> items,
            int throttleLimit,
            IOperationSink sink,
            CancellationToken cancellationToken)
        {
            var container = context.GetContainerClient(containerName);
            var meter = new TransferMeter(sink, $"Saving output of job '{jobId}'", items.Count, items.Sum(i => i.Length));
            await BoundedParallel.ForEachAsync(items, throttleLimit, async (item, ct) =>
            {
                try
                {
                    var blob = container.GetBlobClient(item.BlobName);
                    var contentType = ContentTypeMap.FromPath(item.Path);
                    var progress = meter.ForFile(item.Path);
                    for (var attempt = 1; ; attempt++)
                    {
                        try
                        {
                            var (length, lastModified) = await UploadOnceAsync(blob, item, contentType, progress, ct).ConfigureAwait(false);
                            sink.Verbose($"Saved '{item.LocalPath}' as '{item.BlobName}' ({length} bytes, MD5 checked by the service).");
                            sink.Output(new BatchOutputFile
                            {
                                JobId = jobId,
                                TaskId = item.TaskId ?? string.Empty,
                                Kind = item.Kind,
                                Path = item.Path,
                                Length = length,
                                LastModified = lastModified,
                                ContentType = contentType,
                                BlobName = item.BlobName,
                                ContainerName = containerName,
                                Uri = StorageContexts.WithoutQuery(blob.Uri),
                                Context = context,
                            });
                            break;
                        }
                        catch (Exception ex) when (attempt < IntegrityAttempts && StorageErrors.IsIntegrityFailure(ex))
                        {
                            sink.Verbose($"The service found '{item.BlobName}' corrupted on arrival (attempt {attempt} of {IntegrityAttempts}); sending it again.");
                        }
                    }

                    meter.FileDone(item.Path);
                }
                catch (Exception ex) when (!ct.IsCancellationRequested || !(ex is OperationCanceledException))
                {
                    sink.Error(StorageErrors.Translate(ex, "save", $"'{item.LocalPath}' as '{item.BlobName}'", context, ct));
                }
            }, cancellationToken).ConfigureAwait(false);
            meter.Complete();
        }

        private static async Task<(long Length, DateTimeOffset LastModified)> UploadOnceAsync(
            BlobClient blob, UploadItem item, string contentType, IProgress<long> progress, CancellationToken ct)
        {
            // ReadWrite|Delete sharing: a log may still be written while it is saved.
            using (var stream = new FileStream(item.LocalPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 81920, useAsync: true))
            {
                var length = stream.Length;
                var options = new BlobUploadOptions
                {
                    HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
                    TransferOptions = TransferTuning.ForUpload(length),
                    TransferValidation = TransferTuning.UploadValidation,
                    ProgressHandler = progress,
                };
                var response = await blob.UploadAsync(stream, options, ct).ConfigureAwait(false);
                return (length, response.Value.LastModified);
            }
        }
    }

    /// <summary>
    /// Block sizes, per-file concurrency and checksums; one place so uploads and downloads agree.
    /// <para>
    /// Checksums are MD5, not CRC64: Azure.Storage.Blobs 12.30 sends CRC64 as a structured message body
    /// (x-ms-structured-body: XSM/1.0), which the Azure service understands but Azurite 3.37 does not (it stores the
    /// framed bytes as the blob's content and fails the call), while MD5 (Content-MD5 on Put Blob and Put Block,
    /// x-ms-range-get-content-md5 on reads) is checked by both. The service computes an MD5 for ranges of at most
    /// 4 MiB only, so downloads that ask for one read in 4 MiB ranges.
    /// </para>
    /// </summary>
    internal static class TransferTuning
    {
        // 4 MiB, not 8: with MD5 validation the SDK holds each block in memory, and 8 MiB blocks x 8 in flight put a
        // 1 GiB upload's peak at +141 to +319 MiB over an idle engine; 4 MiB blocks measured +97 to +116 MiB at the
        // same speed straight to storage (benchmarks/RESULTS.md).
        private const long SingleShotLimit = 4L * 1024 * 1024;
        private const long BlockSize = 4L * 1024 * 1024;
        private const long ChecksummedRangeLimit = 4L * 1024 * 1024;

        public static UploadTransferValidationOptions UploadValidation => new UploadTransferValidationOptions
        {
            ChecksumAlgorithm = StorageChecksumAlgorithm.MD5,
        };

        public static DownloadTransferValidationOptions DownloadValidation => new DownloadTransferValidationOptions
        {
            ChecksumAlgorithm = StorageChecksumAlgorithm.MD5,
            AutoValidateChecksum = true,
        };

        public static StorageTransferOptions ForUpload(long length) => new StorageTransferOptions
        {
            InitialTransferSize = SingleShotLimit,
            MaximumTransferSize = BlockSize,
            // Small files gain nothing from splitting; large ones go up in parallel blocks.
            MaximumConcurrency = length > SingleShotLimit ? 8 : 1,
        };

        public static StorageTransferOptions ForDownload(long length) => new StorageTransferOptions
        {
            InitialTransferSize = ChecksummedRangeLimit,
            MaximumTransferSize = ChecksummedRangeLimit,
            MaximumConcurrency = length > ChecksummedRangeLimit ? 8 : 1,
        };
    }
}
