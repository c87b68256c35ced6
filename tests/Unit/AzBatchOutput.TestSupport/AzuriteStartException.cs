using System;

namespace AzBatchOutput.TestSupport
{
    /// <summary>Azurite could not be installed or started. The message says why and ends with its output.</summary>
    public sealed class AzuriteStartException : Exception
    {
        public AzuriteStartException(string message)
            : base(message)
        {
        }

        public AzuriteStartException(string message, Exception innerException)
            : base(message, innerException)
        {
        }
    }
}
