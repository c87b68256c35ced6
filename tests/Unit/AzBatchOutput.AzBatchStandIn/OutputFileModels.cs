namespace Microsoft.Azure.Batch.Common
{
    /// <summary>As in the Batch .NET SDK that Az.Batch wraps.</summary>
    public enum OutputFileUploadCondition
    {
        TaskSuccess,
        TaskFailure,
        TaskCompletion,
    }
}

namespace Microsoft.Azure.Commands.Batch.Models
{
    using Microsoft.Azure.Batch.Common;

    // Az.Batch's public constructors and properties for New-AzBatchTask -OutputFile: read-only values set by the
    // constructors, except the container's IdentityReference and the identity's ResourceId, which have setters.

    public class PSComputeNodeIdentityReference
    {
        public string ResourceId { get; set; }
    }

    public class PSOutputFileBlobContainerDestination
    {
        public PSOutputFileBlobContainerDestination(string containerUrl, string path = null)
        {
            ContainerUrl = containerUrl;
            Path = path;
        }

        public PSOutputFileBlobContainerDestination(string containerUrl, PSComputeNodeIdentityReference identityReference, string path = null)
            : this(containerUrl, path)
        {
            IdentityReference = identityReference;
        }

        public string ContainerUrl { get; }

        public PSComputeNodeIdentityReference IdentityReference { get; set; }

        public string Path { get; }
    }

    public class PSOutputFileDestination
    {
        public PSOutputFileDestination(PSOutputFileBlobContainerDestination container)
        {
            Container = container;
        }

        public PSOutputFileBlobContainerDestination Container { get; }
    }

    public class PSOutputFileUploadOptions
    {
        public PSOutputFileUploadOptions(OutputFileUploadCondition uploadCondition)
        {
            UploadCondition = uploadCondition;
        }

        public OutputFileUploadCondition UploadCondition { get; }
    }

    public class PSOutputFile
    {
        public PSOutputFile(string filePattern, PSOutputFileDestination destination, PSOutputFileUploadOptions uploadOptions)
        {
            FilePattern = filePattern;
            Destination = destination;
            UploadOptions = uploadOptions;
        }

        public PSOutputFileDestination Destination { get; }

        public string FilePattern { get; }

        public PSOutputFileUploadOptions UploadOptions { get; }
    }
}
