using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Azure.Storage.Blobs.Models;

namespace AzBatchOutput.Storage
{
    /// <summary>Deletes outputs, several at once; with <c>outputRemoved</c>, each one removed (or already gone) is written as output.</summary>
    public static class OutputRemover
    {
        public static Task RemoveAsync(IReadOnlyList<BatchOutputFile> files, int throttleLimit, bool outputRemoved, IOperationSink sink, CancellationToken cancellationToken) =>
            BoundedParallel.ForEachAsync(files, throttleLimit, async (file, ct) =>
            {
                try
                {
                    var blob = file.Context.GetContainerClient(file.ContainerName).GetBlobClient(file.BlobName);
                    var response = await blob.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: ct).ConfigureAwait(false);
                    sink.Verbose(response.Value ? $"Removed '{file.BlobName}'." : $"'{file.BlobName}' was already gone.");
                    if (outputRemoved)
                    {
                        sink.Output(file);
                    }
                }
                catch (Exception ex) when (!(ex is OperationCanceledException && ct.IsCancellationRequested))
                {
                    sink.Error(StorageErrors.Translate(ex, "remove", $"'{file.BlobName}'", file.Context));
                }
            }, cancellationToken);
    }
}
