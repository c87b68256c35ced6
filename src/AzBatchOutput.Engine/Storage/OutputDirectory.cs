using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Azure.Storage.Blobs.Models;
using AzBatchOutput.Conventions;

namespace AzBatchOutput.Storage
{
    /// <summary>
    /// What exists in storage, for argument completion: job IDs (from each container's batchjobid metadata, or
    /// from the name when it is the plain 'job-{id}' form), task IDs (the job container's top-level folders) and
    /// the kinds in use. Each call reads at most <c>limit</c> items.
    /// </summary>
    public static class OutputDirectory
    {
        public static async Task<IReadOnlyList<string>> ListJobIdsAsync(BatchOutputStorageContext context, int limit, CancellationToken cancellationToken)
        {
            var found = new List<string>();
            if (context.IsContainerScoped)
            {
                return found; // one container: its job ID is not recorded anywhere a SAS for writing may read
            }

            var containers = context.GetServiceClient().GetBlobContainersAsync(BlobContainerTraits.Metadata, "job-", cancellationToken);
            var enumerator = containers.GetAsyncEnumerator(cancellationToken);
            try
            {
                while (found.Count < limit && await enumerator.MoveNextAsync().ConfigureAwait(false))
                {
                    var container = enumerator.Current;
                    if (container.Properties.Metadata != null && container.Properties.Metadata.TryGetValue(JobContainers.JobIdMetadataKey, out var jobId) &&
                        BatchIds.IsValidJobId(jobId) && ContainerNaming.GetContainerName(jobId) == container.Name)
                    {
                        found.Add(jobId);
                    }
                    else if (TryReadPlainJobId(container.Name, out var plain))
                    {
                        found.Add(plain);
                    }
                }
            }
            finally
            {
                await enumerator.DisposeAsync().ConfigureAwait(false);
            }

            return found;
        }

        /// <summary>A container made by another tool for a simple job ID is 'job-' plus the lower-cased ID; a hashed name cannot be reversed.</summary>
        internal static bool TryReadPlainJobId(string containerName, out string jobId)
        {
            jobId = containerName.Length > 4 ? containerName.Substring(4) : null;
            return jobId != null && BatchIds.IsValidJobId(jobId) && ContainerNaming.GetContainerName(jobId) == containerName;
        }

        public static async Task<IReadOnlyList<string>> ListTaskIdsAsync(BatchOutputStorageContext context, string jobId, int limit, CancellationToken cancellationToken)
        {
            var found = new List<string>();
            var container = context.GetContainerClient(ContainerNaming.GetContainerName(jobId));
            var items = container.GetBlobsByHierarchyAsync(BlobTraits.None, BlobStates.None, "/", null, cancellationToken);
            var enumerator = items.GetAsyncEnumerator(cancellationToken);
            try
            {
                while (found.Count < limit && await enumerator.MoveNextAsync().ConfigureAwait(false))
                {
                    var prefix = enumerator.Current.IsPrefix ? enumerator.Current.Prefix.TrimEnd('/') : null;
                    if (prefix != null && BatchIds.IsValidTaskId(prefix))
                    {
                        found.Add(prefix);
                    }
                }
            }
            finally
            {
                await enumerator.DisposeAsync().ConfigureAwait(false);
            }

            return found;
        }

        /// <summary>Kinds used in a job (one task's when given), reading at most <paramref name="limit"/> blob names.</summary>
        public static async Task<IReadOnlyCollection<string>> ListKindsAsync(BatchOutputStorageContext context, string jobId, string taskId, OutputScope scope, int limit, CancellationToken cancellationToken)
        {
            var kinds = new SortedSet<string>(StringComparer.Ordinal);
            var container = context.GetContainerClient(ContainerNaming.GetContainerName(jobId));
            var prefix = scope == OutputScope.Job ? BlobNaming.JobOutputsPrefix : string.IsNullOrEmpty(taskId) ? null : BlobNaming.GetTaskPrefix(taskId);
            var read = 0;
            var enumerator = container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, cancellationToken).GetAsyncEnumerator(cancellationToken);
            try
            {
                while (read++ < limit && await enumerator.MoveNextAsync().ConfigureAwait(false))
                {
                    if (BlobNaming.TryParse(enumerator.Current.Name, out var parsed) && parsed.Scope == scope)
                    {
                        kinds.Add(parsed.Kind);
                    }
                }
            }
            finally
            {
                await enumerator.DisposeAsync().ConfigureAwait(false);
            }

            return kinds;
        }
    }
}
