using System;
using System.Management.Automation;
using System.Security;
using AzBatchOutput.AzContext;
using AzBatchOutput.Credentials;
using AzBatchOutput.Pipeline;
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
        private const string ConnectedAccountSet = "ConnectedAccount";
        private const string AccessTokenSet = "AccessToken";
        private const string BatchContextSet = "BatchContext";
        private const string ContextSet = "Context";
        private const string ContainerUrlSet = "ContainerUrl";
        private const string DevelopmentSet = "DevelopmentStorage";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ConnectionStringSet)]
        [ValidateNotNullOrEmpty]
        public string ConnectionString { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = AccountKeySet)]
        [Parameter(Mandatory = true, ParameterSetName = ConnectedAccountSet)]
        [Parameter(Mandatory = true, ParameterSetName = AccessTokenSet)]
        [Alias("AccountName")]
        [ValidateNotNullOrEmpty]
        public string StorageAccountName { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = AccountKeySet)]
        [ValidateNotNull]
        public SecureString StorageAccountKey { get; set; }

        /// <summary>Entra ID through the Az login (Connect-AzAccount); the default when only an account name is given.</summary>
        [Parameter(ParameterSetName = ConnectedAccountSet)]
        public SwitchParameter UseConnectedAccount { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = AccessTokenSet)]
        [ValidateNotNull]
        public SecureString AccessToken { get; set; }

        /// <summary>Az.Batch's BatchAccountContext (Get-AzBatchAccount): its linked auto-storage account, with the Az login.</summary>
        [Parameter(Mandatory = true, ParameterSetName = BatchContextSet)]
        [ValidateNotNull]
        public object BatchContext { get; set; }

        /// <summary>An Az.Storage context (New-AzStorageContext) or a context from this cmdlet, made the session default.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ContextSet)]
        [ValidateNotNull]
        [StorageContextTransformation]
        public BatchOutputStorageContext Context { get; set; }

        [Parameter(ParameterSetName = AccountKeySet)]
        [Parameter(ParameterSetName = ConnectedAccountSet)]
        [Parameter(ParameterSetName = AccessTokenSet)]
        [Parameter(ParameterSetName = BatchContextSet)]
        [ValidateNotNullOrEmpty]
        public string EndpointSuffix { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = ContainerUrlSet)]
        [ValidateNotNullOrEmpty]
        public string ContainerUrl { get; set; }

        [Parameter(Mandatory = true, ParameterSetName = DevelopmentSet)]
        public SwitchParameter UseDevelopmentStorage { get; set; }

        [Parameter(ParameterSetName = AccountKeySet)]
        [Parameter(ParameterSetName = ConnectedAccountSet)]
        [Parameter(ParameterSetName = AccessTokenSet)]
        [Parameter(ParameterSetName = BatchContextSet)]
        [Parameter(ParameterSetName = DevelopmentSet)]
        public Uri BlobEndpoint { get; set; }

        /// <summary>
        /// Seconds one try of a request may go unanswered before it is retried (Az.Storage's name and unit); the SDK's
        /// default of 100 s otherwise holds each file for minutes on a network that drops everything silently.
        /// </summary>
        [Parameter]
        [Alias("ClientTimeoutPerRequestInSeconds")]
        [ValidateRange(1, 3600)]
        public int ClientTimeoutPerRequest { get; set; }

        protected override void ProcessRecord()
        {
            BatchOutputStorageContext context;
            try
            {
                context = Create();
                if (MyInvocation.BoundParameters.ContainsKey(nameof(ClientTimeoutPerRequest)))
                {
                    context = StorageContexts.WithClientTimeoutPerRequest(context, TimeSpan.FromSeconds(ClientTimeoutPerRequest));
                }
            }
            catch (BatchOutputException error)
            {
                ThrowTerminatingError(ErrorRecords.From(error));
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
                    return StorageContexts.FromAccountKey(StorageAccountName, SecureStrings.Unprotect(StorageAccountKey), BlobEndpoint, EndpointSuffix);
                case ConnectedAccountSet:
                    if (MyInvocation.BoundParameters.ContainsKey(nameof(UseConnectedAccount)) && !UseConnectedAccount.IsPresent)
                    {
                        // Turned off explicitly, the Az login is not a silent default: nothing else was given to sign in with.
                        throw new BatchOutputException("NoCredentialChosen", FailureCategory.InvalidArgument,
                            $"-UseConnectedAccount:$false leaves no way to sign in to storage account '{StorageAccountName}'. " +
                            "Give -StorageAccountKey or -AccessToken, or use -UseConnectedAccount (your Connect-AzAccount login).", StorageAccountName);
                    }

                    return WithAzLogin(StorageAccountName, "Az login");
                case AccessTokenSet:
                    var token = SecureStrings.Unprotect(AccessToken);
                    var expires = JwtExpiry.TryRead(token, out var exp) ? exp : DateTimeOffset.UtcNow.AddHours(1);
                    return StorageContexts.FromAccessTokenSource(StorageAccountName, new FixedTokenSource(new AccessTokenInfo(token, expires)), BlobEndpoint, EndpointSuffix, "AccessToken");
                case BatchContextSet:
                    return WithAzLogin(BatchAccountStorage.LinkedStorageAccountName(BatchContext), "Batch account's linked storage");
                case ContextSet:
                    return Context;
                case ContainerUrlSet:
                    return StorageContexts.FromContainerUrl(ContainerUrl, "-ContainerUrl");
                case DevelopmentSet:
                    if (!UseDevelopmentStorage.IsPresent)
                    {
                        throw new BatchOutputException("NoStorageChosen", FailureCategory.InvalidArgument,
                            "-UseDevelopmentStorage:$false chooses no storage. Give -ConnectionString, -StorageAccountName, -ContainerUrl " +
                            "or -Context instead, or -UseDevelopmentStorage for the local emulator (Azurite).", "UseDevelopmentStorage");
                    }

                    return StorageContexts.ForDevelopmentStorage(BlobEndpoint);
                default:
                    return StorageContexts.FromConnectionString(ConnectionString);
            }
        }

        private BatchOutputStorageContext WithAzLogin(string accountName, string source)
        {
            // Ask Az.Accounts now, on the pipeline thread, so a missing module or login fails here, clearly.
            var suffix = EndpointSuffix ?? (BlobEndpoint == null ? AzAccounts.GetStorageEndpointSuffix(this) : null);
            AzAccounts.GetStorageToken(this);
            return StorageContexts.FromAccessTokenSource(accountName, new AzLoginTokenSource(), BlobEndpoint, suffix, source);
        }
    }
}
