using System;
using System.Management.Automation;
using AzBatchOutput.Batch;
using AzBatchOutput.Conventions;
using AzBatchOutput.Pipeline;
using AzBatchOutput.Storage;

namespace AzBatchOutput.Cmdlets
{
    /// <summary>
    /// An OutputFiles entry for Batch's own service-side upload whose destination follows the conventions
    /// ({taskId}/$Kind[/path] in the job's container): an Az.Batch PSOutputFile when Az.Batch is loaded, else a plain
    /// object of the REST shape.
    /// </summary>
    [Cmdlet(VerbsCommon.New, "BatchTaskOutputFile", DefaultParameterSetName = SasSet)]
    [OutputType("Microsoft.Azure.Commands.Batch.Models.PSOutputFile", "AzBatchOutput.Batch.OutputFileEntry", "System.String")]
    public sealed class NewBatchTaskOutputFileCommand : BatchOutputCmdlet
    {
        private const string SasSet = "ContainerUrl";
        private const string IdentitySet = "Identity";

        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string FilePattern { get; set; }

        [Parameter(Mandatory = true, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ArgumentCompleter(typeof(Completion.TaskIdCompleter))]
        public string TaskId { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.KindCompleter))]
        public string Kind { get; set; } = "TaskOutput";

        /// <summary>A file's name under the kind, or a folder under the kind for a wildcard pattern.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        // A string, not the engine's enum: a value-type field of an engine type would make PowerShell load the engine
        // while it scans this assembly at import, before the private load context is in place.
        [Parameter]
        [ValidateSet("TaskSuccess", "TaskFailure", "TaskCompletion", IgnoreCase = true)]
        public string UploadCondition { get; set; } = "TaskCompletion";

        /// <summary>The job container's URL: with a SAS that allows create and write, or without one for -IdentityReference.</summary>
        [Parameter(Mandatory = true, ParameterSetName = SasSet, ValueFromPipelineByPropertyName = true)]
        [Parameter(ParameterSetName = IdentitySet)]
        [Alias("Url")]
        [ValidateNotNullOrEmpty]
        public string ContainerUrl { get; set; }

        /// <summary>The ARM resource ID of a user-assigned managed identity on the pool that may write to the container.</summary>
        [Parameter(Mandatory = true, ParameterSetName = IdentitySet)]
        [ValidateNotNullOrEmpty]
        public string IdentityReference { get; set; }

        /// <summary>The job: checks that -ContainerUrl is its container, or gives the container when there is no URL.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(Completion.JobIdCompleter))]
        public string JobId { get; set; }

        /// <summary>Returns the Batch REST outputFiles element as JSON text.</summary>
        [Parameter]
        public SwitchParameter AsJson { get; set; }

        protected override void ProcessRecord() => ForRecord(() =>
        {
            var kind = OutputKind.Parse(Kind, OutputScope.Task);
            var condition = (UploadCondition)Enum.Parse(typeof(UploadCondition), UploadCondition, ignoreCase: true);
            var spec = OutputFileSpec.Create(TaskId, kind, FilePattern, Path, condition, ResolveContainerUrl(), IdentityReference);
            if (AsJson)
            {
                WriteObject(spec.ToJson());
                return;
            }

            WriteObject(AzBatchOutputFile.TryCreate(spec, out var azObject, out var why) ? azObject : spec.ToEntry());
            if (why != null)
            {
                WriteVerbose(why);
            }
        });

        private string ResolveContainerUrl()
        {
            string containerName = null;
            if (!string.IsNullOrEmpty(JobId))
            {
                containerName = ContainerNaming.GetContainerName(JobId);
            }

            if (!string.IsNullOrEmpty(ContainerUrl))
            {
                if (containerName != null && Uri.TryCreate(ContainerUrl, UriKind.Absolute, out var uri) &&
                    !uri.AbsolutePath.TrimEnd('/').EndsWith("/" + containerName, StringComparison.Ordinal))
                {
                    throw new BatchOutputException("ContainerUrlJobMismatch", FailureCategory.InvalidArgument,
                        $"-ContainerUrl is not the output container of job '{JobId}', which is '{containerName}'. " +
                        "Issue the URL for this job with New-BatchJobOutputSas -JobId.", JobId);
                }

                return ContainerUrl;
            }

            if (containerName == null)
            {
                throw new BatchOutputException("ContainerUrlRequired", FailureCategory.InvalidArgument,
                    "With -IdentityReference, give -JobId (the container URL then comes from the storage context) or -ContainerUrl.", null);
            }

            return ResolveContext().BlobEndpoint.AbsoluteUri.TrimEnd('/') + "/" + containerName;
        }
    }
}
