using System;
using System.Globalization;
using System.IO;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading;
using Azure;

namespace AzBatchOutput.Storage
{
    /// <summary>
    /// Turns what the SDK and the file system throw into errors a user can act on. Messages are built from the
    /// status and error code only: the service's own text can quote request details, so it is not passed on, and
    /// what little exception text is quoted (a socket error, a file system error) is scrubbed of anything that looks
    /// like a signature, a key or a URL's query first. The SDK's exception is never attached as the inner exception.
    /// </summary>
    internal static class StorageErrors
    {
        /// <summary>The error id of content that did not match its checksum, on the way up or down.</summary>
        public const string ChecksumMismatchId = "ChecksumMismatch";


        /// <param name="target">What the action was on, as the message names it (quoted, perhaps with its blob name).</param>
        /// <param name="cancellation">
        /// The caller's token, when it has one: an <see cref="OperationCanceledException"/> while it is not cancelled
        /// is the SDK giving up on a silent connection (its network timeout), not the user stopping the command.
        /// </param>
        /// <param name="targetObject">
        /// The error record's TargetObject when it differs from <paramref name="target"/>: the bare path, blob name or
        /// job ID, which a script can use as it is (to retry, say) without taking quotes off.
        /// </param>
        public static BatchOutputException Translate(
            Exception error, string action, object target, BatchOutputStorageContext context, CancellationToken cancellation = default, object targetObject = null)
        {
            var translated = FromException(error, action, target, context, cancellation);
            return targetObject == null || ReferenceEquals(translated, error)
                ? translated
                : new BatchOutputException(translated.ErrorId, translated.Category, translated.Message, targetObject);
        }

        private static BatchOutputException FromException(Exception error, string action, object target, BatchOutputStorageContext context, CancellationToken cancellation)
        {
            switch (error)
            {
                case BatchOutputException known:
                    return known;
                case OperationCanceledException _ when IsNetworkTimeout(error, cancellation):
                    return Unreachable(error, action, target, context);
                case OperationCanceledException _:
                    return new BatchOutputException("OperationStopped", FailureCategory.OperationStopped, $"Stopped before it could {action} {target}.", target);
                case RequestFailedException failed:
                    return FromService(failed, action, target, context);
                case AggregateException many when many.InnerExceptions.Count > 0:
                    // The SDK's retry policy gave up: it lists every attempt's failure, the last one last.
                    var last = many.InnerExceptions[many.InnerExceptions.Count - 1];
                    if (last is RequestFailedException lastFailed && lastFailed.Status != 0)
                    {
                        return FromService(lastFailed, action, target, context);
                    }

                    return last is InvalidDataException ? ChecksumMismatch(action, target) : Unreachable(last, action, target, context);
                case InvalidDataException _:
                    return ChecksumMismatch(action, target);
                case HttpRequestException _:
                case SocketException _:
                    return Unreachable(error, action, target, context);
                case FileNotFoundException _:
                case DirectoryNotFoundException _:
                    return new BatchOutputException("LocalFileNotFound", FailureCategory.ObjectNotFound,
                        $"Could not {action} {target}: {Scrub(error.Message)} A file may have been deleted or moved since it was found, " +
                        "or a folder on the way may be missing or be a file; correct that and run the command again.", target);
                case UnauthorizedAccessException _:
                    return new BatchOutputException("LocalFileAccessDenied", FailureCategory.PermissionDenied,
                        $"Could not {action} {target}: access to the local file was denied ({Scrub(error.Message)}).", target);
                case IOException _ when IsNetworkFailure(error):
                    return Unreachable(error, action, target, context);
                case IOException _:
                    return new BatchOutputException("LocalFileError", FailureCategory.WriteError,
                        $"Could not {action} {target}: {Scrub(error.Message)}", target);
                default:
                    return new BatchOutputException("UnexpectedFailure", FailureCategory.InvalidOperation,
                        $"Could not {action} {target}: {error.GetType().Name}: {Scrub(FirstLine(error.Message))}", target);
            }
        }

        /// <summary>
        /// True when content was corrupted between this machine and the service: the service refused an upload whose
        /// bytes did not match their MD5, or a download's bytes did not match the MD5 the service sent. Worth
        /// sending or fetching the whole file again; other failures were already retried by the SDK.
        /// </summary>
        public static bool IsIntegrityFailure(Exception error)
        {
            switch (error)
            {
                case InvalidDataException _:
                    return true;
                case RequestFailedException failed:
                    return IsChecksumCode(failed.ErrorCode);
                case AggregateException many when many.InnerExceptions.Count > 0:
                    return IsIntegrityFailure(many.InnerExceptions[many.InnerExceptions.Count - 1]);
                default:
                    return false;
            }
        }

        /// <summary>Removes URL query strings and secret key=value pairs from text that is about to be shown.</summary>
        public static string Scrub(string text) => SecretText.Scrub(text);

        private static bool IsChecksumCode(string code) =>
            string.Equals(code, "Md5Mismatch", StringComparison.OrdinalIgnoreCase) ||
            string.Equals(code, "Crc64Mismatch", StringComparison.OrdinalIgnoreCase) ||
            string.Equals(code, "InvalidMd5", StringComparison.OrdinalIgnoreCase);

        private static bool IsNetworkTimeout(Exception error, CancellationToken cancellation)
        {
            if (cancellation.CanBeCanceled)
            {
                return !cancellation.IsCancellationRequested;
            }

            // Without the caller's token: Azure.Core says so in its message when its network timeout fired.
            return error.Message.IndexOf("configured timeout", StringComparison.OrdinalIgnoreCase) >= 0;
        }

        private static bool IsNetworkFailure(Exception error)
        {
            for (var inner = error; inner != null; inner = inner.InnerException)
            {
                if (inner is SocketException || inner is HttpRequestException)
                {
                    return true;
                }
            }

            return false;
        }

        private static BatchOutputException ChecksumMismatch(string action, object target) =>
            new BatchOutputException(ChecksumMismatchId, FailureCategory.InvalidData,
                $"Could not {action} {target}: its content was corrupted between this machine and storage (it did not match its MD5) " +
                "every time it was sent, so it was not kept. Try again; if it keeps happening, check the proxies, VPN or network " +
                "equipment between this machine and the storage account.", target);

        private static BatchOutputException FromService(RequestFailedException failed, string action, object target, BatchOutputStorageContext context)
        {
            var code = failed.ErrorCode ?? string.Empty;
            var where = context == null ? "the storage account" : $"storage account '{context.StorageAccountName}'";
            if (failed.Status == 0)
            {
                return Unreachable(failed.InnerException ?? failed, action, target, context);
            }

            if (IsChecksumCode(code))
            {
                return ChecksumMismatch(action, target);
            }

            // AuthorizationFailure is not about permissions: Azure sends it when a firewall or network rule refuses the
            // caller, and Azurite when a shared-key or SAS signature does not verify (a wrong key, an expired SAS).
            if (failed.Status == 403 && code.StartsWith("Authorization", StringComparison.Ordinal) && code != "AuthorizationFailure")
            {
                return new BatchOutputException("StoragePermissionDenied", FailureCategory.PermissionDenied,
                    $"{Capitalize(where)} refused to {action} {target}: the credential in use does not allow it ({code}). " +
                    PermissionAdvice(context?.Authentication), target);
            }

            if (failed.Status == 403 && code == "KeyBasedAuthenticationNotPermitted")
            {
                return new BatchOutputException("SharedKeyAccessDisabled", FailureCategory.AuthenticationError,
                    $"{Capitalize(where)} does not allow shared-key access, so it refused to {action} {target} with an account key " +
                    "or a SAS signed with one. Connect with your Entra ID login instead (Connect-BatchOutputStorage -StorageAccountName <name>), " +
                    "or give tasks a user delegation SAS (New-BatchJobOutputSas while connected with Entra ID).", target);
            }

            if (failed.Status == 403 || failed.Status == 401)
            {
                return new BatchOutputException("StorageAuthenticationFailed", FailureCategory.AuthenticationError,
                    $"{Capitalize(where)} did not accept the credential while trying to {action} {target} ({failed.Status} {code}). " +
                    (ExpiredSasAdvice(context) ??
                     CredentialAdvice(context?.Authentication) + ", and that this machine's clock is right" +
                     (code == "AuthorizationFailure" ? "; if they are, the account's firewall may not allow requests from this network." : ".")), target);
            }

            if (failed.Status == 404 && code == "ContainerNotFound")
            {
                return new BatchOutputException("JobContainerNotFound", FailureCategory.ObjectNotFound,
                    $"Could not {action} {target}: the job's output container does not exist in {where}. " +
                    "Run Initialize-BatchJobOutputStorage -JobId <job> first.", target);
            }

            if (failed.Status == 404)
            {
                return new BatchOutputException("OutputNotFound", FailureCategory.ObjectNotFound,
                    $"Could not {action} {target}: it does not exist in {where} ({code}).", target);
            }

            if (failed.Status == 409 && code == "ContainerBeingDeleted")
            {
                return new BatchOutputException("JobContainerBeingDeleted", FailureCategory.ResourceBusy,
                    $"Could not {action} {target}: the job's container is still being deleted. Try again in a minute.", target);
            }

            if ((failed.Status == 412 || failed.Status == 409) && code.StartsWith("Lease", StringComparison.Ordinal))
            {
                return new BatchOutputException("OutputLeased", FailureCategory.ResourceBusy,
                    $"Could not {action} {target}: another client holds a lease on it in {where} ({code}). " +
                    "Wait for that client to finish (a lease lasts up to 60 s unless it is infinite), or break the lease in the Azure portal " +
                    "or with Az.Storage, then try again.", target);
            }

            if (failed.Status == 503 || failed.Status == 429)
            {
                return new BatchOutputException("StorageBusy", FailureCategory.ResourceBusy,
                    $"Could not {action} {target}: {where} kept answering {failed.Status} {code} (busy or throttling) after retries. " +
                    "Try again later, or send fewer files at once with a lower -ThrottleLimit.", target);
            }

            if (failed.Status >= 500)
            {
                return new BatchOutputException("StorageServerError", FailureCategory.ConnectionError,
                    $"Could not {action} {target}: {where} kept failing with {failed.Status} {code} after retries. " +
                    "Try again later; if it persists, check the storage account's health in the Azure portal.", target);
            }

            return new BatchOutputException("StorageRequestFailed", FailureCategory.InvalidOperation,
                $"Could not {action} {target}: {where} answered {failed.Status} {code}.", target);
        }

        /// <summary>What to do about a refused permission depends on how the call authenticated.</summary>
        private static string PermissionAdvice(StorageAuthentication? authentication) =>
            authentication == StorageAuthentication.EntraId
                ? "The signed-in identity needs a data role on the account or its container: Storage Blob Data Contributor to save and " +
                  "delete, Storage Blob Data Reader to list and download (Owner or Contributor alone is not enough, and a new role " +
                  "assignment takes a few minutes to apply)."
                : "A task's default SAS only creates and writes; issue one with the permission needed (New-BatchJobOutputSas -Permission) " +
                  "or connect with a credential that has it.";

        /// <summary>Said instead of the general advice when the context's own SAS has passed its expiry (se=) by this machine's clock.</summary>
        private static string ExpiredSasAdvice(BatchOutputStorageContext context) =>
            context?.Authentication == StorageAuthentication.SharedAccessSignature && context.SasExpiresOn is DateTimeOffset expiresOn && expiresOn <= DateTimeOffset.UtcNow
                ? $"Its SAS expired at {expiresOn.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)}Z: issue a new one " +
                  "(New-BatchJobOutputSas) and connect with it, or give the task a SAS that lasts as long as the job."
                : null;

        private static string CredentialAdvice(StorageAuthentication? authentication)
        {
            switch (authentication)
            {
                case StorageAuthentication.EntraId:
                    return "Check that the Entra ID token has not expired (run Connect-AzAccount again, or pass a new -AccessToken) and is for this account's tenant";
                case StorageAuthentication.SharedAccessSignature:
                    return "Check that the SAS has not expired or been revoked";
                case StorageAuthentication.SharedKey:
                case StorageAuthentication.DevelopmentStorage:
                    return "Check the account key (keys can be rotated)";
                default:
                    return "Check the account key, or that the SAS has not expired or been revoked";
            }
        }

        private static BatchOutputException Unreachable(Exception cause, string action, object target, BatchOutputStorageContext context)
        {
            var endpoint = context?.BlobEndpoint?.ToString() ?? "the storage endpoint";
            if (UnknownHostRetryPolicy.IsUnknownHost(cause))
            {
                // Not retried (UnknownHostRetryPolicy): DNS answered that the name does not exist, which is nearly always a typo.
                return new BatchOutputException("StorageHostNotFound", FailureCategory.ConnectionError,
                    $"Could not {action} {target}: DNS found no host for {endpoint} ({Describe(cause)}). " +
                    "Check the storage account name or the endpoint URL, and the machine's DNS settings.", target);
            }

            return new BatchOutputException("StorageUnreachable", FailureCategory.ConnectionError,
                $"Could not {action} {target}: {endpoint} could not be reached after retries ({Describe(cause)}). " +
                "Check the endpoint, the network and any firewall.", target);
        }

        /// <summary>The cause in a few words, without the SDK's advice about client options a PowerShell user cannot set.</summary>
        private static string Describe(Exception cause)
        {
            if (cause is OperationCanceledException)
            {
                return "no answer within the time each try allows: Connect-BatchOutputStorage -ClientTimeoutPerRequest sets it";
            }

            // Prefer the innermost socket error: "Connection refused (127.0.0.1:1)" says more than "An error occurred while sending the request."
            var innermost = cause;
            for (var inner = cause; inner != null; inner = inner.InnerException)
            {
                if (inner is SocketException || inner is HttpRequestException)
                {
                    innermost = inner;
                }
            }

            return Scrub(FirstLine(innermost.Message)).TrimEnd('.');
        }

        private static string FirstLine(string text)
        {
            var cut = text.IndexOfAny(new[] { '\r', '\n' });
            return cut < 0 ? text : text.Substring(0, cut);
        }

        private static string Capitalize(string text) => char.ToUpperInvariant(text[0]) + text.Substring(1);
    }
}
