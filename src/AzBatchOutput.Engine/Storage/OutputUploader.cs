using System;
using System.Buffers;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace AzBatchOutput.Storage
{
    /// <summary>
    /// Saves planned files as block blobs, several at once, streaming each from disk. Every request that carries content
    /// also carries its MD5 (Content-MD5), which the service checks before it stores anything: a byte changed on the way
    /// is refused (400 Md5Mismatch), never kept. Such a refusal is retried from the file on disk a few times.
    /// Every saved blob ends with its whole-content MD5 stored, which downloads check against: the service computes
    /// it for a single-request upload; for one sent in blocks it is hashed while the file is read and set afterwards.
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
            using (var stop = new SharedFailureStop(sink, cancellationToken))
            {
                await BoundedParallel.ForEachAsync(items, throttleLimit, (item, _) => SaveOneAsync(item, stop), cancellationToken).ConfigureAwait(false);
                stop.Complete("saved");
            }

            meter.Complete();

            async Task SaveOneAsync(UploadItem item, SharedFailureStop stop)
            {
                if (stop.SkipAfterFailure(context, containerName, item.LocalPath))
                {
                    return;
                }

                var ct = stop.TokenFor(context, containerName);
                try
                {
                    var blob = container.GetBlobClient(item.BlobName);
                    var contentType = ContentTypeMap.FromPath(item.Path);
                    var progress = meter.ForFile(item.Path);
                    for (var attempt = 1; ; attempt++)
                    {
                        try
                        {
                            var (length, lastModified, md5) = await UploadOnceAsync(blob, item, contentType, progress, sink, ct).ConfigureAwait(false);
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
                                ContentMd5 = md5,
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

                    stop.Succeeded(context, containerName);
                    meter.FileDone(item.Path);
                }
                catch (Exception ex) when (!stop.StoppedByCaller(ex))
                {
                    stop.Fail(context, containerName, item.LocalPath, ex, e => StorageErrors.Translate(e, "save", $"'{item.LocalPath}' as '{item.BlobName}'", context, ct, item.LocalPath));
                }
            }
        }

        private static async Task<(long Length, DateTimeOffset LastModified, byte[] Md5)> UploadOnceAsync(
            BlobClient blob, UploadItem item, string contentType, IProgress<long> progress, IOperationSink sink, CancellationToken ct)
        {
            // ReadWrite|Delete sharing: a log may still be written while it is saved. A small file is read synchronously.
            var small = item.Length <= TransferTuning.InMemoryUploadLimit;
            using (var open = new FileStream(item.LocalPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, small ? 1 : 81920, useAsync: !small))
            {
                // What the file holds now is what is saved: a log that grows meanwhile keeps its new bytes for the next save.
                var length = open.Length;
                if (length <= TransferTuning.InMemoryUploadLimit)
                {
                    return await UploadFromMemoryAsync(blob, item, open, length, contentType, progress, ct).ConfigureAwait(false);
                }

                var file = new LengthLimitedStream(open, length);
                var inBlocks = length > TransferTuning.SingleShotLimit;
                using (var hashing = inBlocks ? new Md5PassThroughStream(file, hashInBackground: true) : null)
                {
                    BlobContentInfo uploaded;
                    try
                    {
                        uploaded = (await blob.UploadAsync((Stream)hashing ?? file, UploadOptions(contentType, length, progress), ct).ConfigureAwait(false)).Value;
                    }
                    catch (Exception) when (file.Shrank)
                    {
                        throw LocalFileShrank(item, length);
                    }

                    if (!inBlocks)
                    {
                        return (length, uploaded.LastModified, uploaded.ContentHash);
                    }

                    var md5 = hashing.BytesPassed == length ? await hashing.GetHashAsync().ConfigureAwait(false) : null;
                    if (md5 == null)
                    {
                        sink.Verbose($"'{item.BlobName}' has no stored MD5: '{item.LocalPath}' could not be hashed in one pass as it was sent (it changed length meanwhile); downloads check it range by range.");
                        return (length, uploaded.LastModified, null);
                    }

                    return (length, await StoreMd5Async(blob, contentType, md5, uploaded.ETag, ct).ConfigureAwait(false) ?? uploaded.LastModified, md5);
                }
            }
        }

        /// <summary>
        /// A small file, read whole in one synchronous call and sent from memory in one request. The SDK hashes a file
        /// stream and then reads it again to send it, each read of an asynchronous file a hand-off to another thread pool
        /// thread on Linux; from memory it does both without touching the file. The buffer is pooled and goes back only
        /// once the request has ended.
        /// </summary>
        internal static async Task<(long Length, DateTimeOffset LastModified, byte[] Md5)> UploadFromMemoryAsync(
            BlobClient blob, UploadItem item, Stream open, long length, string contentType, IProgress<long> progress, CancellationToken ct)
        {
            var size = (int)length;
            var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(size, 1));
            try
            {
                var filled = 0;
                int read;
                while (filled < size && (read = open.Read(buffer, filled, size - filled)) > 0)
                {
                    filled += read;
                }

                if (filled < size)
                {
                    throw LocalFileShrank(item, length);
                }

                using (var content = new MemoryStream(buffer, 0, size, writable: false))
                {
                    var uploaded = (await blob.UploadAsync(content, UploadOptions(contentType, length, progress), ct).ConfigureAwait(false)).Value;
                    return (length, uploaded.LastModified, uploaded.ContentHash);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        private static BlobUploadOptions UploadOptions(string contentType, long length, IProgress<long> progress) => new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = contentType },
            TransferOptions = TransferTuning.ForUpload(length),
            TransferValidation = TransferTuning.UploadValidation,
            ProgressHandler = progress,
        };

        private static BatchOutputException LocalFileShrank(UploadItem item, long length) =>
            new BatchOutputException("LocalFileChanged", FailureCategory.ReadError,
                $"'{item.LocalPath}' got shorter while it was saved (it had {length:N0} bytes when opened), so it was not saved. " +
                "Save it again once nothing is rewriting it.", item.LocalPath);

        /// <summary>
        /// Records the MD5 of a blob committed from blocks (the service computes none for a block list), only if the
        /// blob is still the one just committed. Returns its new modification time, or null if it was replaced meanwhile.
        /// </summary>
        private static async Task<DateTimeOffset?> StoreMd5Async(BlobClient blob, string contentType, byte[] md5, ETag committed, CancellationToken ct)
        {
            try
            {
                var headers = new BlobHttpHeaders { ContentType = contentType, ContentHash = md5 };
                var set = await blob.SetHttpHeadersAsync(headers, new BlobRequestConditions { IfMatch = committed }, ct).ConfigureAwait(false);
                return set.Value.LastModified;
            }
            catch (RequestFailedException ex) when (ex.Status == 412)
            {
                return null; // replaced by a newer save of the same file: that one owns the blob's headers
            }
        }
    }
}
