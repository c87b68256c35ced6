using System;
using AzBatchOutput.Storage;

namespace AzBatchOutput.Resolution
{
    /// <summary>
    /// The one place that decides which storage a call uses: an explicit -Context, else the session's
    /// Connect-BatchOutputStorage choice, else a Batch node's AZBATCHOUTPUT_CONTAINER_URL.
    /// </summary>
    internal static class StorageResolver
    {
        private static readonly object Gate = new object();
        private static string _environmentUrl;
        private static BatchOutputStorageContext _environmentContext;

        public static BatchOutputStorageContext Resolve(BatchOutputStorageContext explicitContext)
        {
            if (explicitContext != null)
            {
                return explicitContext;
            }

            var session = SessionContexts.Current;
            if (session != null)
            {
                return session;
            }

            var url = BatchNodeEnvironment.ContainerUrl;
            if (url != null)
            {
                return FromEnvironment(url);
            }

            // Seam for the Az login (Connect-AzAccount): a later source slots in here, before the error.
            throw new BatchOutputException("NoStorageConfigured", FailureCategory.InvalidOperation,
                "No storage account is chosen for Batch output. Run Connect-BatchOutputStorage (with -ConnectionString, " +
                "-StorageAccountName and -StorageAccountKey, -ContainerUrl or -UseDevelopmentStorage), pass -Context, " +
                $"or on a Batch node set {BatchNodeEnvironment.ContainerUrlVariable} to the job container's SAS URL.");
        }

        private static BatchOutputStorageContext FromEnvironment(string url)
        {
            // Parse once per distinct URL: a node's tasks call the cmdlets many times with the same one.
            lock (Gate)
            {
                if (!string.Equals(url, _environmentUrl, StringComparison.Ordinal))
                {
                    _environmentContext = StorageContexts.FromContainerUrl(url, BatchNodeEnvironment.ContainerUrlVariable);
                    _environmentUrl = url;
                }

                return _environmentContext;
            }
        }
    }
}
