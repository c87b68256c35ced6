using System;
using System.IO;
using System.Net.Http;
using Azure;

namespace AzBatchOutput.Storage
{
    /// <summary>
    /// Turns what the SDK and the file system throw into errors a user can act on. Messages are built from the
    /// status and error code only: the service's own text can quote request details, so it is not passed on.
    /// </summary>
    internal static class StorageErrors
    {
        public static BatchOutputException Translate(Exception error, string action, object target, BatchOutputStorageContext context)
        {
            switch (error)
            {
                case BatchOutputException known:
                    return known;
                case OperationCanceledException _:
                    return new BatchOutputException("OperationStopped", FailureCategory.OperationStopped, $"Stopped before it could {action} {target}.", target);
                case RequestFailedException failed:
                    return FromService(failed, action, target, context);
                case AggregateException many when many.InnerExceptions.Count > 0:
                    return Unreachable(many.InnerExceptions[many.InnerExceptions.Count - 1], action, target, context);
                case HttpRequestException _:
                    return Unreachable(error, action, target, context);
                case UnauthorizedAccessException _:
                    return new BatchOutputException("LocalFileAccessDenied", FailureCategory.PermissionDenied,
                        $"Could not {action} {target}: access to the local file was denied ({error.Message}).", target);
                case IOException _:
                    return new BatchOutputException("LocalFileError", FailureCategory.WriteError,
                        $"Could not {action} {target}: {error.Message}", target);
                default:
                    return new BatchOutputException("UnexpectedFailure", FailureCategory.InvalidOperation,
                        $"Could not {action} {target}: {error.GetType().Name}: {error.Message}", target);
            }
        }

        private static BatchOutputException FromService(RequestFailedException failed, string action, object target, BatchOutputStorageContext context)
        {
            var code = failed.ErrorCode ?? string.Empty;
            var where = context == null ? "the storage account" : $"storage account '{context.StorageAccountName}'";
            if (failed.Status == 0)
            {
                return Unreachable(failed.InnerException ?? failed, action, target, context);
            }

            if (failed.Status == 403 && code.StartsWith("Authorization", StringComparison.Ordinal))
            {
                return new BatchOutputException("StoragePermissionDenied", FailureCategory.PermissionDenied,
                    $"{Capitalize(where)} refused to {action} {target}: the credential in use does not allow it ({code}). " +
                    "A task's default SAS only creates and writes; issue one with the permission needed (New-BatchJobOutputSas -Permission) " +
                    "or connect with a credential that has it.", target);
            }

            if (failed.Status == 403 || failed.Status == 401)
            {
                return new BatchOutputException("StorageAuthenticationFailed", FailureCategory.AuthenticationError,
                    $"{Capitalize(where)} did not accept the credential while trying to {action} {target} ({failed.Status} {code}). " +
                    "Check the account key, or that the SAS has not expired or been revoked, and that this machine's clock is right.", target);
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

            return new BatchOutputException("StorageRequestFailed", FailureCategory.InvalidOperation,
                $"Could not {action} {target}: {where} answered {failed.Status} {code}.", target);
        }

        private static BatchOutputException Unreachable(Exception cause, string action, object target, BatchOutputStorageContext context)
        {
            var endpoint = context?.BlobEndpoint?.ToString() ?? "the storage endpoint";
            return new BatchOutputException("StorageUnreachable", FailureCategory.ConnectionError,
                $"Could not {action} {target}: {endpoint} could not be reached after retries ({FirstLine(cause.Message)}). " +
                "Check the endpoint, the network and any firewall.", target);
        }

        private static string FirstLine(string text)
        {
            var cut = text.IndexOfAny(new[] { '\r', '\n' });
            return cut < 0 ? text : text.Substring(0, cut);
        }

        private static string Capitalize(string text) => char.ToUpperInvariant(text[0]) + text.Substring(1);
    }
}
