using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Azure.Storage;
using Azure.Storage.Blobs.Models;

namespace AzBatchOutput.Storage
{
    /// <summary>Saves planned files as block blobs, several at once, streaming each from disk.</summary>
    public static class OutputUploader
    {
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
                    var options = new BlobUploadOptions
                    {
                        HttpHeaders = new BlobHttpHeaders { ContentType = ContentTypeMap.FromPath(item.Path) },
                        TransferOptions = TransferTuning.ForFile(item.Length),
                        ProgressHandler = meter.ForFile(item.Path),
                    };

                    // ReadWrite|Delete sharing: a log may still be written while it is saved.
                    using (var stream = new FileStream(item.LocalPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 81920, useAsync: true))
                    {
                        var length = stream.Length;
                        var response = await blob.UploadAsync(stream, options, ct).ConfigureAwait(false);
                        sink.Verbose($"Saved '{item.LocalPath}' as '{item.BlobName}' ({length} bytes).");
                        sink.Output(new BatchOutputFile
                        {
                            JobId = jobId,
                            TaskId = item.TaskId ?? string.Empty,
                            Kind = item.Kind,
                            Path = item.Path,
                            Length = length,
                            LastModified = response.Value.LastModified,
                            ContentType = options.HttpHeaders.ContentType,
                            BlobName = item.BlobName,
                            ContainerName = containerName,
                            Uri = StorageContexts.WithoutQuery(blob.Uri),
                            Context = context,
                        });
                    }

                    meter.FileDone(item.Path);
                }
                catch (Exception ex) when (!ct.IsCancellationRequested || !(ex is OperationCanceledException))
                {
                    sink.Error(StorageErrors.Translate(ex, "save", $"'{item.LocalPath}' as '{item.BlobName}'", context));
                }
            }, cancellationToken).ConfigureAwait(false);
            meter.Complete();
        }
    }

    /// <summary>Block sizes and per-file concurrency; one place so uploads and downloads agree.</summary>
    internal static class TransferTuning
    {
        private const long SingleShotLimit = 8L * 1024 * 1024;
        private const long BlockSize = 8L * 1024 * 1024;

        public static StorageTransferOptions ForFile(long length) => new StorageTransferOptions
        {
            InitialTransferSize = SingleShotLimit,
            MaximumTransferSize = BlockSize,
            // Small files gain nothing from splitting; large ones go up and down in parallel blocks.
            MaximumConcurrency = length > SingleShotLimit ? 8 : 1,
        };
    }
}
