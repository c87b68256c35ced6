using System;

namespace AzBatchOutput
{
    /// <summary>What kind of failure an engine error is; the cmdlets map it to a PowerShell ErrorCategory.</summary>
    public enum FailureCategory
    {
        InvalidArgument,
        InvalidData,
        ObjectNotFound,
        ResourceExists,
        PermissionDenied,
        AuthenticationError,
        ConnectionError,
        InvalidOperation,
        WriteError,
        ReadError,
        OperationStopped,
        ResourceBusy,
    }

    /// <summary>
    /// A failure the engine can explain to a user: a stable error id, a category, a message that says what
    /// was wrong and how to fix it, and the value it was about. Messages never hold a secret.
    /// </summary>
    public sealed class BatchOutputException : Exception
    {
        public BatchOutputException(string errorId, FailureCategory category, string message, object target = null, Exception inner = null)
            : base(message, inner)
        {
            ErrorId = errorId ?? throw new ArgumentNullException(nameof(errorId));
            Category = category;
            Target = target;
        }

        /// <summary>Stable identifier, e.g. <c>InvalidJobId</c>; scripts may rely on it.</summary>
        public string ErrorId { get; }

        public FailureCategory Category { get; }

        /// <summary>The value the error is about (a job ID, a path); never a secret.</summary>
        public object Target { get; }
    }
}
