using System;
using Azure;
using Azure.Storage;
using Azure.Storage.Blobs;
using Azure.Storage.Sas;

namespace AzBatchOutput.Storage
{
    /// <summary>
    /// Builds storage contexts from what a user has: a connection string, a key, a container SAS URL, or the
    /// local emulator. Errors here name what was wrong but never echo the secret that was given.
    /// </summary>
    public static class StorageContexts
    {
        public const string DevelopmentAccountName = "devstoreaccount1";

        // Azurite's and the old Storage Emulator's published, well-known key: not a secret.
        private const string DevelopmentAccountKey =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

        private static readonly System.Text.RegularExpressions.Regex DnsSuffix = new System.Text.RegularExpressions.Regex(
            "^[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)+$", System.Text.RegularExpressions.RegexOptions.CultureInvariant);

        public static readonly Uri DefaultDevelopmentBlobEndpoint = new Uri("http://127.0.0.1:10000/devstoreaccount1");

        /// <summary>The same account and credential with another per-request network timeout; the given context is left as it is.</summary>
        public static BatchOutputStorageContext WithClientTimeoutPerRequest(BatchOutputStorageContext context, TimeSpan timeout) =>
            context.WithClientTimeoutPerRequest(timeout);

        public static BatchOutputStorageContext FromConnectionString(string connectionString)
        {
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw InvalidConnectionString("it is empty");
            }

            string accountName;
            Uri serviceUri;
            try
            {
                // The SDK parses lazily: a malformed SAS inside (se=bogus, spr=ftp) surfaces when its parts are read.
                var probe = new BlobServiceClient(connectionString);
                accountName = probe.AccountName;
                serviceUri = probe.Uri;
            }
            catch (Exception ex) when (ex is FormatException || ex is ArgumentException || ex is InvalidOperationException)
            {
                throw InvalidConnectionString("it could not be parsed");
            }

            var authentication = StorageAuthentication.SharedKey;
            if (HasSetting(connectionString, "UseDevelopmentStorage"))
            {
                authentication = StorageAuthentication.DevelopmentStorage;
            }
            else if (HasSetting(connectionString, "SharedAccessSignature"))
            {
                authentication = StorageAuthentication.SharedAccessSignature;
            }
            else if (!HasSetting(connectionString, "AccountKey"))
            {
                throw InvalidConnectionString("it has neither an AccountKey nor a SharedAccessSignature");
            }
            else if (!IsBase64(SettingValue(connectionString, "AccountKey")))
            {
                throw InvalidConnectionString("its AccountKey is empty or not a base64 key");
            }

            return new BatchOutputStorageContext(
                accountName,
                WithoutQuery(serviceUri),
                authentication,
                "ConnectionString",
                containerName: null,
                createService: options => new BlobServiceClient(connectionString, options),
                createContainer: null,
                sasExpiresOn: authentication == StorageAuthentication.SharedAccessSignature
                    ? SasExpiry(serviceUri, SettingValue(connectionString, "SharedAccessSignature"))
                    : null);
        }

        public static BatchOutputStorageContext ForDevelopmentStorage(Uri blobEndpoint = null)
        {
            var endpoint = blobEndpoint ?? DefaultDevelopmentBlobEndpoint;
            RequireHttpEndpoint(endpoint, "BlobEndpoint");
            var credential = new StorageSharedKeyCredential(DevelopmentAccountName, DevelopmentAccountKey);
            return new BatchOutputStorageContext(
                DevelopmentAccountName,
                WithoutQuery(endpoint),
                StorageAuthentication.DevelopmentStorage,
                "DevelopmentStorage",
                containerName: null,
                createService: options => new BlobServiceClient(endpoint, credential, options),
                createContainer: null);
        }

        public static BatchOutputStorageContext FromAccountKey(string accountName, string accountKey, Uri blobEndpoint = null, string endpointSuffix = null)
        {
            if (string.IsNullOrWhiteSpace(accountName))
            {
                throw new BatchOutputException("InvalidStorageAccountName", FailureCategory.InvalidArgument,
                    "The storage account name is empty. Give -StorageAccountName the account's name, e.g. 'mybatchstorage'.");
            }

            var endpoint = EndpointFor(accountName, blobEndpoint, endpointSuffix);
            if (string.IsNullOrEmpty(accountKey) || !IsBase64(accountKey))
            {
                throw new BatchOutputException("InvalidStorageAccountKey", FailureCategory.InvalidArgument,
                    $"The key given for storage account '{accountName}' is not a base64 account key. " +
                    "Copy key1 or key2 from the account's 'Access keys' page (or Get-AzStorageAccountKey).", accountName);
            }

            var credential = new StorageSharedKeyCredential(accountName, accountKey);
            return new BatchOutputStorageContext(
                accountName,
                WithoutQuery(endpoint),
                StorageAuthentication.SharedKey,
                "AccountKey",
                containerName: null,
                createService: options => new BlobServiceClient(endpoint, credential, options),
                createContainer: null);
        }

        /// <summary>
        /// Entra ID: tokens from <paramref name="tokens"/> (the Az login or an explicit token). The endpoint is
        /// https://{account}.blob.{suffix} unless given; bearer tokens are only ever sent over HTTPS.
        /// </summary>
        public static BatchOutputStorageContext FromAccessTokenSource(string accountName, Credentials.IAccessTokenSource tokens, Uri blobEndpoint, string endpointSuffix, string source)
        {
            if (string.IsNullOrWhiteSpace(accountName))
            {
                throw new BatchOutputException("InvalidStorageAccountName", FailureCategory.InvalidArgument,
                    "The storage account name is empty. Give -StorageAccountName the account's name, e.g. 'mybatchstorage'.");
            }

            var endpoint = EndpointFor(accountName, blobEndpoint, endpointSuffix);
            if (endpoint.Scheme != Uri.UriSchemeHttps)
            {
                throw new BatchOutputException("BearerTokenNeedsHttps", FailureCategory.InvalidArgument,
                    $"-BlobEndpoint '{WithoutQuery(endpoint)}' is not HTTPS; an Entra ID token is only ever sent over HTTPS. " +
                    "Use the account's https:// endpoint (Azurite: start it with --cert, --key and --oauth basic).", WithoutQuery(endpoint));
            }

            var credential = new Credentials.SourceTokenCredential(tokens);
            return new BatchOutputStorageContext(
                accountName,
                WithoutQuery(endpoint),
                StorageAuthentication.EntraId,
                source,
                containerName: null,
                createService: options => new BlobServiceClient(endpoint, credential, options),
                createContainer: null);
        }

        /// <summary>
        /// The storage account chosen in the Az context with Az.Storage's Set-AzCurrentStorageAccount, reached with
        /// Entra ID tokens from <paramref name="tokens"/> (the Az login), never with a key the value may carry. The value
        /// is the connection string Az keeps there (account name and blob endpoint are read from it) or a bare account
        /// name, whose endpoint follows <paramref name="endpointSuffix"/>. Errors never echo the value.
        /// </summary>
        public static BatchOutputStorageContext FromAzCurrentStorageAccount(string currentStorageAccount, Credentials.IAccessTokenSource tokens, string endpointSuffix, string source)
        {
            var value = currentStorageAccount?.Trim() ?? string.Empty;
            if (value.IndexOf('=') < 0)
            {
                if (!IsAccountName(value))
                {
                    throw InvalidAzCurrentStorageAccount("it is neither a connection string nor a storage account name");
                }

                return FromAccessTokenSource(value, tokens, null, endpointSuffix, source);
            }

            BlobServiceClient probe;
            try
            {
                probe = new BlobServiceClient(value);
            }
            catch (Exception ex) when (ex is FormatException || ex is ArgumentException || ex is InvalidOperationException)
            {
                throw InvalidAzCurrentStorageAccount("its connection string could not be parsed");
            }

            if (string.IsNullOrEmpty(probe.AccountName))
            {
                throw InvalidAzCurrentStorageAccount("its connection string names no account");
            }

            var endpoint = WithoutQuery(probe.Uri);
            if (endpoint.Scheme != Uri.UriSchemeHttps)
            {
                throw new BatchOutputException("BearerTokenNeedsHttps", FailureCategory.InvalidArgument,
                    $"The storage account in the current Az context has the endpoint '{endpoint}', which is not HTTPS; an Entra ID token " +
                    "is only ever sent over HTTPS. Choose an https account with Set-AzCurrentStorageAccount, or run Connect-BatchOutputStorage.", endpoint);
            }

            return FromAccessTokenSource(probe.AccountName, tokens, endpoint, null, source);
        }

        /// <summary>An account-wide SAS (e.g. from an Az.Storage context made with -SasToken).</summary>
        public static BatchOutputStorageContext FromAccountSas(string accountName, Uri blobEndpoint, string sasToken, string source)
        {
            if (string.IsNullOrWhiteSpace(sasToken) || sasToken.IndexOf("sig=", StringComparison.OrdinalIgnoreCase) < 0)
            {
                throw new BatchOutputException("InvalidSasToken", FailureCategory.InvalidArgument,
                    $"The SAS token from {source} has no signature ('sig=').", source);
            }

            RequireHttpEndpoint(blobEndpoint, "BlobEndpoint");
            var sas = new AzureSasCredential(sasToken.TrimStart('?'));
            return new BatchOutputStorageContext(
                accountName,
                WithoutQuery(blobEndpoint),
                StorageAuthentication.SharedAccessSignature,
                source,
                containerName: null,
                createService: options => new BlobServiceClient(WithoutQuery(blobEndpoint), sas, options),
                createContainer: null,
                sasExpiresOn: SasExpiry(blobEndpoint, sasToken));
        }

        /// <summary>A job container's SAS URL, as a task on a node gets it.</summary>
        public static BatchOutputStorageContext FromContainerUrl(string containerUrl, string source)
        {
            if (string.IsNullOrWhiteSpace(containerUrl) || !Uri.TryCreate(containerUrl.Trim(), UriKind.Absolute, out var uri) ||
                (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                throw InvalidContainerUrl(source, "it is not an absolute http(s) URL");
            }

            BlobUriBuilder parts;
            try
            {
                parts = new BlobUriBuilder(uri);
            }
            catch (Exception ex) when (ex is FormatException || ex is ArgumentException || ex is OverflowException)
            {
                // The SDK reads the SAS's fields (se=, st=, spr=, ...) and refuses one it cannot parse, e.g. a truncated expiry.
                throw InvalidContainerUrl(source, "its SAS token is malformed (a field such as its expiry cannot be read; was it cut short?). Copy the whole URL again");
            }

            if (string.IsNullOrEmpty(parts.BlobContainerName) || !string.IsNullOrEmpty(parts.BlobName))
            {
                throw InvalidContainerUrl(source, "it does not name exactly one container (expected https://ACCOUNT.blob.core.windows.net/CONTAINER?SAS)");
            }

            if (string.IsNullOrEmpty(parts.Sas?.Signature))
            {
                throw InvalidContainerUrl(source, "it has no complete SAS token (the part after '?', with 'sv=' and 'sig=')");
            }

            var containerName = parts.BlobContainerName;
            var accountName = parts.AccountName;
            var expiresOn = ExpiryOf(parts.Sas);
            var sas = new AzureSasCredential(parts.Sas.ToString());
            parts.BlobContainerName = string.Empty;
            parts.Sas = null;
            parts.Query = string.Empty;
            var endpoint = parts.ToUri();
            var containerUri = new Uri(endpoint.AbsoluteUri.TrimEnd('/') + "/" + containerName);

            return new BatchOutputStorageContext(
                accountName,
                endpoint,
                StorageAuthentication.SharedAccessSignature,
                source,
                containerName,
                createService: null,
                createContainer: options => new BlobContainerClient(containerUri, sas, options),
                sasExpiresOn: expiresOn);
        }

        /// <summary>A SAS token's expiry (se=), or null when it has none or it cannot be read (the service then judges it).</summary>
        private static DateTimeOffset? SasExpiry(Uri blobEndpoint, string sasToken)
        {
            try
            {
                return ExpiryOf(new BlobUriBuilder(new Uri(WithoutQuery(blobEndpoint).AbsoluteUri + "?" + sasToken.TrimStart('?'))).Sas);
            }
            catch (Exception ex) when (ex is FormatException || ex is ArgumentException || ex is OverflowException || ex is UriFormatException)
            {
                return null;
            }
        }

        private static DateTimeOffset? ExpiryOf(SasQueryParameters sas) =>
            sas == null || sas.ExpiresOn == default ? (DateTimeOffset?)null : sas.ExpiresOn;

        internal static Uri WithoutQuery(Uri uri) => new Uri(uri.GetLeftPart(UriPartial.Path).TrimEnd('/'));

        /// <summary>
        /// The blob endpoint given, else https://{account}.blob.{suffix}, which only a real account name (not a URL, not a
        /// connection string) makes. The name is not echoed: a pasted connection string would carry its key.
        /// </summary>
        private static Uri EndpointFor(string accountName, Uri blobEndpoint, string endpointSuffix)
        {
            // Checked with -BlobEndpoint too: the name goes into the context's output, its verbose line and key signing.
            if (!IsAccountName(accountName))
            {
                throw new BatchOutputException("InvalidStorageAccountName", FailureCategory.InvalidArgument,
                    "The value given as the storage account name is not one: a name has 3 to 24 lowercase letters and digits, " +
                    "e.g. 'mybatchstorage'. Give the name alone (not its URL); for an endpoint of another form, also give -BlobEndpoint.");
            }

            if (blobEndpoint != null)
            {
                RequireHttpEndpoint(blobEndpoint, "BlobEndpoint");
                return blobEndpoint;
            }

            // Only a DNS name: '@evil.example' would make a URL whose host is evil.example, where keys and tokens would go.
            var suffix = endpointSuffix ?? "core.windows.net";
            var host = $"{accountName}.blob.{suffix}";
            if (!DnsSuffix.IsMatch(suffix) || !Uri.TryCreate($"https://{host}", UriKind.Absolute, out var endpoint) ||
                !string.Equals(endpoint.Host, host, StringComparison.OrdinalIgnoreCase) || endpoint.AbsolutePath != "/" || !string.IsNullOrEmpty(endpoint.Query))
            {
                throw new BatchOutputException("InvalidEndpointSuffix", FailureCategory.InvalidArgument,
                    $"-EndpointSuffix '{suffix}' is not a DNS suffix of a storage service, e.g. 'core.windows.net' or 'core.chinacloudapi.cn'.", suffix);
            }

            return endpoint;
        }

        private static void RequireHttpEndpoint(Uri endpoint, string parameter)
        {
            if (!endpoint.IsAbsoluteUri || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
            {
                var shown = endpoint.IsAbsoluteUri ? WithoutQuery(endpoint).ToString() : endpoint.OriginalString.Split('?')[0];
                throw new BatchOutputException("InvalidBlobEndpoint", FailureCategory.InvalidArgument,
                    $"-{parameter} '{shown}' is not an http(s) URL of a blob service. Give it whole, with its scheme, " +
                    "e.g. 'https://mybatchstorage.blob.core.windows.net'.", parameter);
            }

            // A query here would ride along into every SAS URL issued from the context.
            if (!string.IsNullOrEmpty(endpoint.Query) || !string.IsNullOrEmpty(endpoint.Fragment))
            {
                throw new BatchOutputException("InvalidBlobEndpoint", FailureCategory.InvalidArgument,
                    $"-{parameter} '{WithoutQuery(endpoint)}' has a query or fragment, which an endpoint does not take. Give the endpoint alone; " +
                    "a SAS goes with -ContainerUrl, or in a connection string's SharedAccessSignature.", parameter);
            }
        }

        private static bool HasSetting(string connectionString, string name) => SettingValue(connectionString, name) != null;

        /// <summary>A connection string's setting (the text after its first '='), or null when it has none.</summary>
        private static string SettingValue(string connectionString, string name)
        {
            foreach (var part in connectionString.Split(';'))
            {
                var eq = part.IndexOf('=');
                if (eq > 0 && string.Equals(part.Substring(0, eq).Trim(), name, StringComparison.OrdinalIgnoreCase))
                {
                    return part.Substring(eq + 1).Trim();
                }
            }

            return null;
        }

        private static bool IsBase64(string text)
        {
            try
            {
                return Convert.FromBase64String(text).Length > 0;
            }
            catch (FormatException)
            {
                return false;
            }
        }

        // Storage account names: 3 to 24 lowercase letters and digits.
        private static bool IsAccountName(string text)
        {
            if (text.Length < 3 || text.Length > 24)
            {
                return false;
            }

            foreach (var c in text)
            {
                if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')))
                {
                    return false;
                }
            }

            return true;
        }

        private static BatchOutputException InvalidAzCurrentStorageAccount(string why) =>
            new BatchOutputException("InvalidAzCurrentStorageAccount", FailureCategory.InvalidData,
                $"The storage account chosen in the current Az context (Get-AzContext).Subscription.CurrentStorageAccount is not usable: {why}. " +
                "Choose it again with Set-AzCurrentStorageAccount -ResourceGroupName <group> -Name <account>, or run Connect-BatchOutputStorage -StorageAccountName <account>.");

        private static BatchOutputException InvalidConnectionString(string why) =>
            new BatchOutputException("InvalidConnectionString", FailureCategory.InvalidArgument,
                $"The storage connection string is not valid: {why}. Copy it from the storage account's 'Access keys' page; " +
                "it looks like 'DefaultEndpointsProtocol=https;AccountName=...;AccountKey=...;EndpointSuffix=core.windows.net'.");

        private static BatchOutputException InvalidContainerUrl(string source, string why) =>
            new BatchOutputException("InvalidContainerUrl", FailureCategory.InvalidArgument,
                $"The container URL from {source} is not valid: {why}. Issue one with New-BatchJobOutputSas.", source);
    }
}
