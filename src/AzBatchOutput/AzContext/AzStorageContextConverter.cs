using System;
using System.Linq;
using System.Management.Automation;
using AzBatchOutput.Storage;

namespace AzBatchOutput.AzContext
{
    /// <summary>
    /// Turns an Az.Storage AzureStorageContext (New-AzStorageContext by key, SAS, connection string or OAuth) into
    /// this module's context, reading its public properties only.
    /// </summary>
    internal static class AzStorageContextConverter
    {
        private const string AzureStorageContextType = "Microsoft.WindowsAzure.Commands.Storage.AzureStorageContext";

        public static bool IsAzureStorageContext(object value) =>
            value != null && PSObject.AsPSObject(value).TypeNames.Any(t => t.EndsWith(AzureStorageContextType, StringComparison.Ordinal));

        public static BatchOutputStorageContext Convert(object azContext)
        {
            var accountName = AzObjects.Text(azContext, "StorageAccountName");
            var endpointText = AzObjects.Text(azContext, "BlobEndPoint");
            Uri.TryCreate(endpointText ?? string.Empty, UriKind.Absolute, out var endpoint);
            var credentials = AzObjects.Property(AzObjects.Property(azContext, "StorageAccount"), "Credentials");
            const string source = "Az.Storage context";

            if (AzObjects.Flag(credentials, "IsToken"))
            {
                return StorageContexts.FromAccessTokenSource(accountName, new AzLoginTokenSource(), endpoint, AzObjects.Text(azContext, "EndPointSuffix")?.Trim('.', '/'), source);
            }

            var connectionString = AzObjects.Text(azContext, "ConnectionString");
            if (!string.IsNullOrEmpty(connectionString) &&
                (connectionString.IndexOf("AccountKey=", StringComparison.OrdinalIgnoreCase) >= 0 ||
                 connectionString.IndexOf("SharedAccessSignature=", StringComparison.OrdinalIgnoreCase) >= 0 ||
                 connectionString.IndexOf("UseDevelopmentStorage=", StringComparison.OrdinalIgnoreCase) >= 0))
            {
                return StorageContexts.FromConnectionString(connectionString);
            }

            if (AzObjects.Flag(credentials, "IsSharedKey"))
            {
                return StorageContexts.FromAccountKey(accountName, AzObjects.Call(credentials, "ExportBase64EncodedKey"), endpoint);
            }

            if (AzObjects.Flag(credentials, "IsSAS") && endpoint != null)
            {
                return StorageContexts.FromAccountSas(accountName, endpoint, AzObjects.Text(credentials, "SASToken"), source);
            }

            throw new BatchOutputException("UnsupportedStorageContext", FailureCategory.InvalidArgument,
                $"The Az.Storage context for account '{accountName}' has no credential this module can use (anonymous?). " +
                "Create it with -StorageAccountKey, -SasToken, -ConnectionString or -UseConnectedAccount.", accountName);
        }
    }
}
