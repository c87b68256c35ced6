using System;
using System.Management.Automation;
using AzBatchOutput.AzContext;
using AzBatchOutput.Storage;

namespace AzBatchOutput.Resolution
{
    /// <summary>
    /// The one place that decides which storage a call uses: an explicit -Context, else the session's
    /// Connect-BatchOutputStorage choice, else a Batch node's AZBATCHOUTPUT_CONTAINER_URL, else (for a running
    /// cmdlet, which can ask Az.Accounts on its pipeline thread) the storage account of the current Az context.
    /// </summary>
    internal static class StorageResolver
    {
        private static readonly object Gate = new object();
        private static string _environmentUrl;
        private static BatchOutputStorageContext _environmentContext;

        public static BatchOutputStorageContext Resolve(BatchOutputStorageContext explicitContext, PSCmdlet cmdlet = null)
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

            var fromAz = cmdlet == null ? null : AzCurrentStorage.TryResolve(cmdlet);
            if (fromAz != null)
            {
                return fromAz;
            }

            throw new BatchOutputException("NoStorageConfigured", FailureCategory.InvalidOperation,
                "No storage account is chosen for Batch output. Run Connect-BatchOutputStorage (with -ConnectionString, " +
                "-StorageAccountName, -ContainerUrl or -UseDevelopmentStorage), pass -Context, " +
                $"on a Batch node set {BatchNodeEnvironment.ContainerUrlVariable} to the job container's SAS URL, " +
                "or run Connect-AzAccount and Set-AzCurrentStorageAccount.");
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
