using System;
using System.Management.Automation;
using System.Runtime.InteropServices;
using System.Security;
using AzBatchOutput.Resolution;
using AzBatchOutput.Storage;

namespace AzBatchOutput.Cmdlets
{
    /// <summary>Chooses the storage account (or one job container) for this session and returns the context.</summary>
    [Cmdlet(VerbsCommunications.Connect, "BatchOutputStorage", DefaultParameterSetName = ConnectionStringSet)]
    [OutputType(typeof(BatchOutputStorageContext))]
    public sealed class ConnectBatchOutputStorageCommand : PSCmdlet
    {
        private const string ConnectionStringSet = "ConnectionString";
        private const string AccountKeySet = "AccountKey";
        private const string ContainerUrlSet = "ContainerUrl";
        private const string DevelopmentSet = "DevelopmentStorage";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ConnectionStringSet)]
        [ValidateNotNullOrEmpty]
        public string ConnectionString { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = AccountKeySet)]
        [Alias("AccountName")]
        [ValidateNotNullOrEmpty]
        public string StorageAccountName { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = AccountKeySet)]
        [ValidateNotNull]
        public SecureString StorageAccountKey { get; set; }

        [Parameter(ParameterSetName = AccountKeySet)]
        [ValidateNotNullOrEmpty]
        public string EndpointSuffix { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ContainerUrlSet)]
        [ValidateNotNullOrEmpty]
        public string ContainerUrl { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = DevelopmentSet)]
        public SwitchParameter UseDevelopmentStorage { get; set; }

        [Parameter(ParameterSetName = AccountKeySet)]
        [Parameter(ParameterSetName = DevelopmentSet)]
        public Uri BlobEndpoint { get; set; }

        protected override void ProcessRecord()
        {
            BatchOutputStorageContext context;
            try
            {
                context = Create();
            }
            catch (BatchOutputException error)
            {
                ThrowTerminatingError(Pipeline.ErrorRecords.From(error));
                return;
            }

            SessionContexts.Current = context;
            WriteVerbose($"Batch output storage for this session: {context}.");
            WriteObject(context);
        }

        private BatchOutputStorageContext Create()
        {
            switch (ParameterSetName)
            {
                case AccountKeySet:
                    return StorageContexts.FromAccountKey(StorageAccountName, Unprotect(StorageAccountKey), BlobEndpoint, EndpointSuffix);
                case ContainerUrlSet:
                    return StorageContexts.FromContainerUrl(ContainerUrl, "-ContainerUrl");
                case DevelopmentSet:
                    return StorageContexts.ForDevelopmentStorage(BlobEndpoint);
                default:
                    return StorageContexts.FromConnectionString(ConnectionString);
            }
        }

        private static string Unprotect(SecureString secret)
        {
            var pointer = IntPtr.Zero;
            try
            {
                pointer = Marshal.SecureStringToGlobalAllocUnicode(secret);
                return Marshal.PtrToStringUni(pointer);
            }
            finally
            {
                if (pointer != IntPtr.Zero)
                {
                    Marshal.ZeroFreeGlobalAllocUnicode(pointer);
                }
            }
        }
    }
}
