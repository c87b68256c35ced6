using System;
using System.Threading;
using Azure.Storage.Blobs;
using AzBatchOutput.Storage;

namespace AzBatchOutput
{
    /// <summary>How a context proves who it is to the storage service.</summary>
    public enum StorageAuthentication
    {
        SharedKey,
        SharedAccessSignature,
        DevelopmentStorage,
        EntraId,
    }

    /// <summary>
    /// Which storage account (or single job container) the cmdlets use, and how they authenticate.
    /// Every public member is safe to print: the key, SAS and connection string are held privately.
    /// </summary>
    public sealed class BatchOutputStorageContext
    {
        private readonly Func<BlobClientOptions, BlobServiceClient> _createService;
        private readonly Func<BlobClientOptions, BlobContainerClient> _createContainer;
        private BlobServiceClient _service;
        private BlobContainerClient _container;

        // The account-wide context's last container client: a download of many files asks for the same container once a
        // file, and each new client parses and builds its URL again. One entry, so it never grows.
        private Tuple<string, BlobContainerClient> _lastContainer;

        internal BatchOutputStorageContext(
            string accountName,
            Uri blobEndpoint,
            StorageAuthentication authentication,
            string source,
            string containerName,
            Func<BlobClientOptions, BlobServiceClient> createService,
            Func<BlobClientOptions, BlobContainerClient> createContainer,
            TimeSpan? clientTimeoutPerRequest = null,
            DateTimeOffset? sasExpiresOn = null)
        {
            StorageAccountName = accountName;
            BlobEndpoint = blobEndpoint;
            Authentication = authentication;
            Source = source;
            ContainerName = containerName;
            _createService = createService;
            _createContainer = createContainer;
            ClientTimeoutPerRequest = clientTimeoutPerRequest ?? StorageClientOptions.DefaultNetworkTimeout;
            SasExpiresOn = sasExpiresOn;
        }

        public string StorageAccountName { get; }

        /// <summary>The blob service endpoint, without a query string.</summary>
        public Uri BlobEndpoint { get; }

        public StorageAuthentication Authentication { get; }

        /// <summary>Set when the context reaches one job container only (a container SAS URL).</summary>
        public string ContainerName { get; }

        /// <summary>Where the context came from, e.g. "ConnectionString" or "AZBATCHOUTPUT_CONTAINER_URL".</summary>
        public string Source { get; }

        public bool IsContainerScoped => ContainerName != null;

        /// <summary>When the context's SAS stops working (its se= field, not a secret); null for other credentials.</summary>
        public DateTimeOffset? SasExpiresOn { get; }

        /// <summary>
        /// How long one try of a request may go unanswered before it is retried (a network that drops everything
        /// silently otherwise holds each file for every retry of the SDK's 100 s default).
        /// </summary>
        public TimeSpan ClientTimeoutPerRequest { get; }

        /// <summary>The same account and credential with another per-request timeout; this context is left as it is.</summary>
        internal BatchOutputStorageContext WithClientTimeoutPerRequest(TimeSpan timeout) =>
            new BatchOutputStorageContext(StorageAccountName, BlobEndpoint, Authentication, Source, ContainerName, _createService, _createContainer, timeout, SasExpiresOn);

        public override string ToString() =>
            IsContainerScoped
                ? $"{StorageAccountName}/{ContainerName} ({Authentication})"
                : $"{StorageAccountName} ({Authentication})";

        internal BlobContainerClient GetContainerClient(string containerName)
        {
            if (IsContainerScoped)
            {
                if (!string.Equals(containerName, ContainerName, StringComparison.Ordinal))
                {
                    throw new BatchOutputException(
                        "ContainerOutOfScope",
                        FailureCategory.InvalidArgument,
                        $"The storage context reaches only the container '{ContainerName}', but this job's outputs live in '{containerName}'. " +
                        "Use a container URL issued for this job (New-BatchJobOutputSas), or connect with an account-wide credential.",
                        containerName);
                }

                return LazyInitializer.EnsureInitialized(ref _container, () => _createContainer(StorageClientOptions.Create(ClientTimeoutPerRequest)));
            }

            var last = Volatile.Read(ref _lastContainer);
            if (last != null && string.Equals(last.Item1, containerName, StringComparison.Ordinal))
            {
                return last.Item2;
            }

            var client = GetServiceClient().GetBlobContainerClient(containerName);
            Volatile.Write(ref _lastContainer, Tuple.Create(containerName, client));
            return client;
        }

        internal BlobServiceClient GetServiceClient()
        {
            if (IsContainerScoped)
            {
                throw new BatchOutputException(
                    "AccountOperationNotAllowed",
                    FailureCategory.PermissionDenied,
                    $"The storage context reaches only the container '{ContainerName}'; this needs access to the whole storage account. " +
                    "Connect with a connection string, an account key or an Entra ID login.",
                    ContainerName);
            }

            return LazyInitializer.EnsureInitialized(ref _service, () => _createService(StorageClientOptions.Create(ClientTimeoutPerRequest)));
        }
    }
}
