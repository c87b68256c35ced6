using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using AzBatchOutput.Conventions;

namespace AzBatchOutput.Storage
{
    /// <summary>Lists a job's outputs by reading each blob name once, with the narrowest prefix the query allows.</summary>
    public static class OutputCatalog
    {
        public static async Task<int> ListAsync(BatchOutputStorageContext context, OutputQuery query, Action<BatchOutputFile> found, CancellationToken cancellationToken)
        {
            var containerName = ContainerNaming.GetContainerName(query.JobId);
            var container = context.GetContainerClient(containerName);
            var prefix = PrefixFor(query);
            var kinds = query.Kinds != null && query.Kinds.Count > 0 ? new HashSet<string>(query.Kinds.Select(k => k.Name), StringComparer.Ordinal) : null;
            var count = 0;
            // Addresses are built only when read (GetBlobClient(name).Uri for every item cost 4% of a 20,000-item listing).
            var containerUri = container.Uri;
            Func<string, Uri> address = blobName => new BlobUriBuilder(containerUri) { Sas = null, Query = string.Empty, BlobName = blobName }.ToUri();
            try
            {
                var pages = container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken).AsPages(pageSizeHint: 5000);
                var pageEnumerator = pages.GetAsyncEnumerator(cancellationToken);
                var nextPage = pageEnumerator.MoveNextAsync().AsTask();
                try
                {
                    while (await nextPage.ConfigureAwait(false))
                    {
                        // Ask for the following page before going through this one, so the service's answer and its
                        // parsing overlap this page's work: a 20,000-blob listing is four pages read one after another.
                        var page = pageEnumerator.Current;
                        nextPage = pageEnumerator.MoveNextAsync().AsTask();
                        foreach (var item in page.Values)
                        {
                            if (!Keep(item.Name, query, kinds, out var parsed))
                            {
                                continue;
                            }

                            count++;
                            found(new BatchOutputFile
                            {
                                JobId = query.JobId,
                                TaskId = parsed.TaskId ?? string.Empty,
                                Kind = parsed.Kind,
                                Path = parsed.Path,
                                Length = item.Properties.ContentLength ?? 0,
                                LastModified = item.Properties.LastModified,
                                ContentType = item.Properties.ContentType,
                                ContentMd5 = item.Properties.ContentHash,
                                BlobName = item.Name,
                                ContainerName = containerName,
                                Address = address,
                                Context = context,
                            });
                        }
                    }
                }
                finally
                {
                    await Settle(nextPage).ConfigureAwait(false);
                    await pageEnumerator.DisposeAsync().ConfigureAwait(false);
                }
            }
            catch (Exception ex) when (!(ex is BatchOutputException))
            {
                throw StorageErrors.Translate(ex, "list the outputs of job", $"'{query.JobId}' ({containerName})", context, targetObject: query.JobId);
            }

            return count;
        }

        /// <summary>Waits out a page request still in flight when the listing stops early, so the enumerator is idle when disposed.</summary>
        private static async Task Settle(Task<bool> pending)
        {
            try
            {
                await pending.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The listing already ended (or failed) for another reason, which is what the caller sees.
            }
        }

        internal static string PrefixFor(OutputQuery query)
        {
            var singleKind = query.Kinds != null && query.Kinds.Count == 1 ? query.Kinds[0] : null;
            if (query.Scope == OutputScope.Job)
            {
                return singleKind != null ? BlobNaming.GetKindPrefix(null, singleKind) : BlobNaming.JobOutputsPrefix;
            }

            if (string.IsNullOrEmpty(query.TaskId))
            {
                return null; // every task: one flat listing of the container, filtered here
            }

            return singleKind != null ? BlobNaming.GetKindPrefix(query.TaskId, singleKind) : BlobNaming.GetTaskPrefix(query.TaskId);
        }

        private static bool Keep(string blobName, OutputQuery query, HashSet<string> kinds, out ParsedBlobName parsed)
        {
            if (!BlobNaming.TryParse(blobName, out parsed) || parsed.Scope != query.Scope)
            {
                return false;
            }

            if (!string.IsNullOrEmpty(query.TaskId) && !string.Equals(parsed.TaskId, query.TaskId, StringComparison.Ordinal))
            {
                return false;
            }

            if (kinds != null && !kinds.Contains(parsed.Kind))
            {
                return false;
            }

            return query.PathFilter == null || query.PathFilter(parsed.Path);
        }
    }
}
