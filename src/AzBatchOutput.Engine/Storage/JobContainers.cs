using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Azure;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using AzBatchOutput.Conventions;

namespace AzBatchOutput.Storage
{
    /// <summary>Creates, finds and deletes a job's conventions container.</summary>
    public static class JobContainers
    {
        /// <summary>Container metadata that keeps the original job ID, since a hashed container name cannot be reversed.</summary>
        public const string JobIdMetadataKey = "batchjobid";

        public static async Task<JobOutputStorage> InitializeAsync(BatchOutputStorageContext context, string jobId, CancellationToken cancellationToken)
        {
            var containerName = ContainerNaming.GetContainerName(jobId);
            var container = context.GetContainerClient(containerName);
            if (context.IsContainerScoped)
            {
                // A task's SAS cannot create containers; the admin who issued it already has.
                return Describe(context, jobId, container, created: false, lastModified: null);
            }

            try
            {
                var metadata = new Dictionary<string, string> { [JobIdMetadataKey] = jobId };
                var response = await container.CreateIfNotExistsAsync(PublicAccessType.None, metadata, cancellationToken: cancellationToken).ConfigureAwait(false);
                return Describe(context, jobId, container, created: response != null, lastModified: response?.Value.LastModified);
            }
            catch (Exception ex) when (!(ex is BatchOutputException))
            {
                throw StorageErrors.Translate(ex, "create the output container for job", $"'{jobId}' ({containerName})", context, targetObject: jobId);
            }
        }

        public static async Task<JobOutputStorage> GetAsync(BatchOutputStorageContext context, string jobId, CancellationToken cancellationToken)
        {
            var containerName = ContainerNaming.GetContainerName(jobId);
            var container = context.GetContainerClient(containerName);
            if (context.IsContainerScoped)
            {
                // A container SAS may not read the container's properties (the service keeps that for account-wide
                // credentials): describe it from what the SAS names, as InitializeAsync does.
                return Describe(context, jobId, container, created: false, lastModified: null);
            }

            try
            {
                var properties = await container.GetPropertiesAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
                return Describe(context, jobId, container, created: false, lastModified: properties.Value.LastModified);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                throw NotFound(context, jobId, containerName);
            }
            catch (Exception ex) when (!(ex is BatchOutputException))
            {
                throw StorageErrors.Translate(ex, "read the output container of job", $"'{jobId}' ({containerName})", context, targetObject: jobId);
            }
        }

        public static async Task RemoveAsync(BatchOutputStorageContext context, string jobId, CancellationToken cancellationToken)
        {
            var containerName = ContainerNaming.GetContainerName(jobId);
            var container = context.GetContainerClient(containerName);
            try
            {
                await container.DeleteAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                throw NotFound(context, jobId, containerName);
            }
            catch (Exception ex) when (!(ex is BatchOutputException))
            {
                throw StorageErrors.Translate(ex, "delete the output container of job", $"'{jobId}' ({containerName})", context, targetObject: jobId);
            }
        }

        private static BatchOutputException NotFound(BatchOutputStorageContext context, string jobId, string containerName) =>
            new BatchOutputException("JobContainerNotFound", FailureCategory.ObjectNotFound,
                $"Job '{jobId}' has no output container '{containerName}' in storage account '{context.StorageAccountName}'. " +
                "Check the job ID and the storage account, or run Initialize-BatchJobOutputStorage -JobId first.", jobId);

        private static JobOutputStorage Describe(BatchOutputStorageContext context, string jobId, BlobContainerClient container, bool created, DateTimeOffset? lastModified) =>
            new JobOutputStorage
            {
                JobId = jobId,
                ContainerName = container.Name,
                Uri = StorageContexts.WithoutQuery(container.Uri),
                StorageAccountName = context.StorageAccountName,
                Created = created,
                LastModified = lastModified,
                Context = context,
            };
    }
}
