using System.Management.Automation;

namespace AzBatchOutput.Pipeline
{
    /// <summary>Engine failures as PowerShell error records: the engine's stable id, the matching category, the target.</summary>
    internal static class ErrorRecords
    {
        public static ErrorRecord From(BatchOutputException error)
        {
            var record = new ErrorRecord(error, error.ErrorId, Map(error.Category), error.Target);
            record.ErrorDetails = new ErrorDetails(error.Message);
            return record;
        }

        public static ErrorRecord Create(string errorId, ErrorCategory category, string message, object target) =>
            new ErrorRecord(new BatchOutputException(errorId, Unmap(category), message, target), errorId, category, target);

        public static ErrorCategory Map(FailureCategory category)
        {
            switch (category)
            {
                case FailureCategory.InvalidArgument: return ErrorCategory.InvalidArgument;
                case FailureCategory.InvalidData: return ErrorCategory.InvalidData;
                case FailureCategory.ObjectNotFound: return ErrorCategory.ObjectNotFound;
                case FailureCategory.ResourceExists: return ErrorCategory.ResourceExists;
                case FailureCategory.PermissionDenied: return ErrorCategory.PermissionDenied;
                case FailureCategory.AuthenticationError: return ErrorCategory.AuthenticationError;
                case FailureCategory.ConnectionError: return ErrorCategory.ConnectionError;
                case FailureCategory.WriteError: return ErrorCategory.WriteError;
                case FailureCategory.ReadError: return ErrorCategory.ReadError;
                case FailureCategory.OperationStopped: return ErrorCategory.OperationStopped;
                case FailureCategory.ResourceBusy: return ErrorCategory.ResourceBusy;
                default: return ErrorCategory.InvalidOperation;
            }
        }

        private static FailureCategory Unmap(ErrorCategory category)
        {
            switch (category)
            {
                case ErrorCategory.InvalidArgument: return FailureCategory.InvalidArgument;
                case ErrorCategory.ObjectNotFound: return FailureCategory.ObjectNotFound;
                case ErrorCategory.PermissionDenied: return FailureCategory.PermissionDenied;
                default: return FailureCategory.InvalidOperation;
            }
        }
    }
}
