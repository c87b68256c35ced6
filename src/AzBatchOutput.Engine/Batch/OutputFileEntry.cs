namespace AzBatchOutput.Batch
{
    // The Batch REST API's outputFiles element, property for property and in its camelCase, so that ConvertTo-Json
    // renders exactly that element. PowerShell reads properties case-insensitively ($entry.FilePattern works too).
    // ToString never shows the container URL: it carries a SAS.

    /// <summary>One outputFiles entry for Batch's service-side upload.</summary>
    public sealed class OutputFileEntry
    {
        public string filePattern { get; set; }

        public OutputFileEntryDestination destination { get; set; }

        public OutputFileEntryUploadOptions uploadOptions { get; set; }

        public override string ToString() =>
            $"{filePattern} -> {destination?.container?.path} ({uploadOptions?.uploadCondition})";

        internal static OutputFileEntry From(OutputFileSpec spec) => new OutputFileEntry
        {
            filePattern = spec.FilePattern,
            destination = new OutputFileEntryDestination
            {
                container = new OutputFileEntryContainer
                {
                    containerUrl = spec.ContainerUrl,
                    path = spec.Path,
                    identityReference = spec.IdentityResourceId == null ? null : new OutputFileEntryIdentity { resourceId = spec.IdentityResourceId },
                },
            },
            uploadOptions = new OutputFileEntryUploadOptions { uploadCondition = spec.UploadConditionText },
        };
    }

    public sealed class OutputFileEntryDestination
    {
        public OutputFileEntryContainer container { get; set; }

        public override string ToString() => container?.ToString();
    }

    public sealed class OutputFileEntryContainer
    {
        /// <summary>The job container's URL, with a SAS unless an identity is used: a secret.</summary>
        public string containerUrl { get; set; }

        public string path { get; set; }

        public OutputFileEntryIdentity identityReference { get; set; }

        public override string ToString() => path;
    }

    public sealed class OutputFileEntryIdentity
    {
        public string resourceId { get; set; }

        public override string ToString() => resourceId;
    }

    public sealed class OutputFileEntryUploadOptions
    {
        public string uploadCondition { get; set; }

        public override string ToString() => uploadCondition;
    }
}
