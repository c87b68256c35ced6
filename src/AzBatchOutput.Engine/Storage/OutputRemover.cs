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
        public static async Task RemoveAsync(IReadOnlyList<BatchOutputFile> files, int throttleLimit, bool outputRemoved, IOperationSink sink, CancellationToken cancellationToken)
        {
            using (var stop = new SharedFailureStop(sink, cancellationToken, cancelInFlight: false))
            {
                await BoundedParallel.ForEachAsync(files, throttleLimit, (file, _) => RemoveOneAsync(file, stop), cancellationToken).ConfigureAwait(false);
                stop.Complete("removed");
            }

            async Task RemoveOneAsync(BatchOutputFile file, SharedFailureStop stop)
            {
                if (stop.SkipAfterFailure(file.Context, file.ContainerName, file.BlobName))
                {
                    return;
                }

                try
                {
                    var blob = file.Context.GetContainerClient(file.ContainerName).GetBlobClient(file.BlobName);
                    var response = await blob.DeleteIfExistsAsync(DeleteSnapshotsOption.IncludeSnapshots, cancellationToken: stop.TokenFor(file.Context, file.ContainerName)).ConfigureAwait(false);
                    sink.Verbose(response.Value ? $"Removed '{file.BlobName}'." : $"'{file.BlobName}' was already gone.");
                    stop.Succeeded(file.Context, file.ContainerName);
                    if (outputRemoved)
                    {
                        sink.Output(file);
                    }
                }
                catch (Exception ex) when (!stop.StoppedByCaller(ex))
                {
                    stop.Fail(file.Context, file.ContainerName, file.BlobName, ex, e => StorageErrors.Translate(e, "remove", $"'{file.BlobName}'", file.Context, cancellationToken, file.BlobName));
                }
            }
        }
    }
}
