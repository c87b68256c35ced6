using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Azure;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Blobs.Specialized;
using AzBatchOutput.Storage;

namespace AzBatchOutput.Tracking
{
    /// <summary>What became of one conditional append.</summary>
    internal enum AppendOutcome
    {
        /// <summary>The bytes are now in the blob at the expected position.</summary>
        Appended,

        /// <summary>
        /// The append-position condition failed, but the blob is exactly as long as it would be with these bytes: an earlier
        /// try of this same append (retried by the SDK after a lost response) had landed. The bytes are in; nothing was
        /// sent twice into the blob.
        /// </summary>
        AlreadyAppended,

        /// <summary>The blob no longer exists (deleted, or its container was re-created).</summary>
        BlobMissing,

        /// <summary>The blob holds as many blocks as an append blob can (BlockCountExceedsLimit): it takes no more appends.</summary>
        BlockLimitReached,

        /// <summary>The blob's length is not what this tracker wrote: something else changed it.</summary>
        Diverged,

        /// <summary>
        /// The append-position condition failed and this credential may not read the blob's length (a write-only SAS), so
        /// whether an earlier try of this append landed cannot be told.
        /// </summary>
        Unconfirmed,
    }

    /// <summary>
    /// The append blob a tracker writes, and the only part of tracking that speaks to the Azure SDK. Every append carries
    /// the append-position condition (If-Append-Position-Equal = bytes already in the blob), so a retried request can
    /// never store bytes twice.
    /// </summary>
    internal sealed class AppendTarget
    {
        private readonly AppendBlobClient _blob;
        private readonly string _contentType;

        public AppendTarget(BatchOutputStorageContext context, string containerName, string blobName, string contentType)
        {
            Context = context;
            BlobName = blobName;
            _contentType = contentType;
            _blob = context.GetContainerClient(containerName).GetAppendBlobClient(blobName);
        }

        public BatchOutputStorageContext Context { get; }

        public string BlobName { get; }

        public Uri Uri => StorageContexts.WithoutQuery(_blob.Uri);

        /// <summary>The blocks the blob held after this tracker's last append (0 after it was created); each append adds one.</summary>
        public int CommittedBlocks { get; private set; }

        /// <summary>
        /// Creates a fresh, empty append blob. When a blob of that name exists (a retried task's earlier attempt), it is
        /// replaced; the result says so, with its length when the credential may read it (a task's least-privilege SAS
        /// cannot). Only create and write permission are needed.
        /// </summary>
        public async Task<ReplaceResult> CreateOrReplaceAsync(CancellationToken cancellationToken)
        {
            try
            {
                await _blob.CreateAsync(CreateOptions(onlyIfMissing: true), cancellationToken).ConfigureAwait(false);
                return ReplaceResult.Created;
            }
            catch (RequestFailedException ex) when (ex.Status == 409 || ex.Status == 412)
            {
                // BlobAlreadyExists (the service answers If-None-Match: * with 409; some emulators with 412).
            }

            var earlier = await TryGetLengthAsync(cancellationToken).ConfigureAwait(false);
            await RecreateAsync(cancellationToken).ConfigureAwait(false);
            return new ReplaceResult(true, earlier);
        }

        /// <summary>Replaces whatever is there with a fresh, empty append blob.</summary>
        public async Task RecreateAsync(CancellationToken cancellationToken)
        {
            await _blob.CreateAsync(CreateOptions(onlyIfMissing: false), cancellationToken).ConfigureAwait(false);
            CommittedBlocks = 0;
        }

        /// <summary>
        /// Appends <paramref name="count"/> bytes at <paramref name="position"/>, which must be the blob's length. The request
        /// carries the bytes' MD5, which the service checks before it stores them; content corrupted on the way is refused and
        /// sent again (a few times) from the same buffer.
        /// </summary>
        public async Task<AppendOutcome> AppendAsync(byte[] buffer, int count, long position, CancellationToken cancellationToken)
        {
            var options = new AppendBlobAppendBlockOptions
            {
                Conditions = new AppendBlobRequestConditions { IfAppendPositionEqual = position },
                TransferValidation = TransferTuning.UploadValidation,
            };

            try
            {
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        using (var content = new MemoryStream(buffer, 0, count, writable: false))
                        {
                            var appended = await _blob.AppendBlockAsync(content, options, cancellationToken).ConfigureAwait(false);
                            CommittedBlocks = appended.Value.BlobCommittedBlockCount;
                        }

                        return AppendOutcome.Appended;
                    }
                    catch (Exception ex) when (attempt < OutputUploader.IntegrityAttempts && StorageErrors.IsIntegrityFailure(ex))
                    {
                        // Refused as corrupted: nothing was stored, so the same append at the same position is still right.
                    }
                }
            }
            catch (RequestFailedException ex) when (ex.Status == 404 && ex.ErrorCode == BlobErrorCode.BlobNotFound.ToString())
            {
                return AppendOutcome.BlobMissing;
            }
            catch (RequestFailedException ex) when (ex.Status == 409 && ex.ErrorCode == BlobErrorCode.BlockCountExceedsLimit.ToString())
            {
                return AppendOutcome.BlockLimitReached;
            }
            catch (RequestFailedException ex) when (ex.Status == 412 && ex.ErrorCode == BlobErrorCode.AppendPositionConditionNotMet.ToString())
            {
                // Resync: read the blob's real length. Only this tracker writes the blob, so when it is exactly one append
                // longer, that append is what got there (a retry whose first try had succeeded).
                var actual = await TryGetLengthAsync(cancellationToken).ConfigureAwait(false);
                return actual == null ? AppendOutcome.Unconfirmed
                    : actual == position + count ? AppendOutcome.AlreadyAppended
                    : AppendOutcome.Diverged;
            }
        }

        /// <summary>The blob's length; 0 when it does not exist; null when this credential may not read it.</summary>
        public async Task<long?> TryGetLengthAsync(CancellationToken cancellationToken)
        {
            try
            {
                var properties = await _blob.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                return properties.Value.ContentLength;
            }
            catch (RequestFailedException ex) when (ex.Status == 404 && ex.ErrorCode != BlobErrorCode.ContainerNotFound.ToString())
            {
                return 0;
            }
            catch (RequestFailedException ex) when (ex.Status == 403)
            {
                return null;
            }
        }

        private AppendBlobCreateOptions CreateOptions(bool onlyIfMissing) => new AppendBlobCreateOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = _contentType },
            Conditions = onlyIfMissing ? new AppendBlobRequestConditions { IfNoneMatch = ETag.All } : null,
        };
    }

    /// <summary>Whether creating the blob replaced an existing one, and how long that one was (null: not readable).</summary>
    internal readonly struct ReplaceResult
    {
        public static readonly ReplaceResult Created = new ReplaceResult(false, 0);

        public ReplaceResult(bool replaced, long? earlierLength)
        {
            Replaced = replaced;
            EarlierLength = earlierLength;
        }

        public bool Replaced { get; }

        public long? EarlierLength { get; }
    }
}
