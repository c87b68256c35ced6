using System;
using System.Globalization;
using System.Threading;
using System.Threading.Tasks;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace AzBatchOutput.Storage
{
    /// <summary>Bytes read from one blob: where they start in it and how long the blob was when they were read.</summary>
    public sealed class BlobSlice
    {
        public BlobSlice(byte[] bytes, long offset, long blobLength)
        {
            Bytes = bytes ?? throw new ArgumentNullException(nameof(bytes));
            Offset = offset;
            BlobLength = blobLength;
        }

        public byte[] Bytes { get; }

        /// <summary>The position of <see cref="Bytes"/>' first byte in the blob.</summary>
        public long Offset { get; }

        public long BlobLength { get; }

        public bool StartsAtBeginning => Offset == 0;

        public bool IsWhole => Offset == 0 && Bytes.LongLength == BlobLength;
    }

    /// <summary>
    /// Reads a small part of an output into memory: its head (a preview image) or its tail (the end of a log), each
    /// with one ranged download and a hard cap on the bytes kept, however large the blob is or grows to.
    /// </summary>
    public static class OutputReader
    {
        /// <summary>The largest slice either method reads: they are for previews and log tails, not for downloads.</summary>
        public const int MaxSliceBytes = 16 * 1024 * 1024;

        private const int CopyBufferBytes = 81920;

        /// <summary>The blob's first <paramref name="maxBytes"/> bytes at most (all of it when it is no longer).</summary>
        public static Task<BlobSlice> ReadHeadAsync(BatchOutputFile file, int maxBytes, IProgress<long> progress, CancellationToken cancellationToken) =>
            ReadAsync(file, maxBytes, fromEnd: false, progress, cancellationToken);

        /// <summary>
        /// The blob's last <paramref name="maxBytes"/> bytes at most, by a ranged download from the length the listing
        /// saw: a growing log is read up to that point, never whole.
        /// </summary>
        public static Task<BlobSlice> ReadTailAsync(BatchOutputFile file, int maxBytes, IProgress<long> progress, CancellationToken cancellationToken) =>
            ReadAsync(file, maxBytes, fromEnd: true, progress, cancellationToken);

        private static async Task<BlobSlice> ReadAsync(BatchOutputFile file, int maxBytes, bool fromEnd, IProgress<long> progress, CancellationToken cancellationToken)
        {
            if (file == null)
            {
                throw new ArgumentNullException(nameof(file));
            }

            if (maxBytes < 1 || maxBytes > MaxSliceBytes)
            {
                throw new ArgumentOutOfRangeException(nameof(maxBytes), maxBytes, $"A slice is 1 to {MaxSliceBytes} bytes.");
            }

            try
            {
                var blob = file.Context.GetContainerClient(file.ContainerName).GetBlobClient(file.BlobName);
                var length = file.Length;
                for (var attempt = 0; ; attempt++)
                {
                    if (length <= 0)
                    {
                        return new BlobSlice(new byte[0], 0, 0);
                    }

                    var count = Math.Min(length, maxBytes);
                    var offset = fromEnd ? length - count : 0;
                    try
                    {
                        return await ReadRangeAsync(blob, offset, (int)count, length, progress, cancellationToken).ConfigureAwait(false);
                    }
                    catch (RequestFailedException ex) when (ex.Status == 416 && attempt == 0)
                    {
                        // The blob shrank since it was listed (overwritten by a shorter file): read its length now, once.
                        var properties = await blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                        length = properties.Value.ContentLength;
                    }
                }
            }
            catch (Exception ex) when (!(ex is BatchOutputException) && !(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                throw StorageErrors.Translate(ex, fromEnd ? "read the end of" : "read", $"'{file.BlobName}'", file.Context, targetObject: file.BlobName);
            }
        }

        private static async Task<BlobSlice> ReadRangeAsync(BlobClient blob, long offset, int count, long listedLength, IProgress<long> progress, CancellationToken cancellationToken)
        {
            var response = await blob.DownloadStreamingAsync(new BlobDownloadOptions { Range = new HttpRange(offset, count) }, cancellationToken).ConfigureAwait(false);
            using (var result = response.Value)
            using (var content = result.Content)
            {
                var buffer = new byte[count];
                var filled = 0;
                while (filled < count)
                {
                    var read = await content.ReadAsync(buffer, filled, Math.Min(CopyBufferBytes, count - filled), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        break;
                    }

                    filled += read;
                    progress?.Report(filled);
                }

                if (filled < count)
                {
                    Array.Resize(ref buffer, filled);
                }

                var total = TotalLength(result.Details.ContentRange) ?? Math.Max(listedLength, offset + filled);
                return new BlobSlice(buffer, offset, total);
            }
        }

        /// <summary>The blob's whole length from a Content-Range header such as "bytes 0-99/1234".</summary>
        internal static long? TotalLength(string contentRange)
        {
            var slash = contentRange?.LastIndexOf('/') ?? -1;
            return slash >= 0 && long.TryParse(contentRange.Substring(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var total)
                ? total
                : (long?)null;
        }
    }
}
