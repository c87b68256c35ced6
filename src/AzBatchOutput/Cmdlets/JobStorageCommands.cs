using System.Management.Automation;
using AzBatchOutput.Conventions;
using AzBatchOutput.Storage;

namespace AzBatchOutput.Cmdlets
{
    /// <summary>Creates a job's conventions container if it does not exist (idempotent).</summary>
    [Cmdlet(VerbsData.Initialize, "BatchJobOutputStorage", DefaultParameterSetName = "JobId", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(JobOutputStorage))]
    public sealed class InitializeBatchJobOutputStorageCommand : BatchOutputCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = "JobId")]
        [Alias("Id")]
        [ArgumentCompleter(typeof(Completion.JobIdCompleter))]
        public string JobId { get; set; }

        /// <summary>A job object, such as Az.Batch's PSCloudJob.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Job")]
        [ValidateNotNull]
        public object Job { get; set; }

        protected override void ProcessRecord() => ForRecord(() =>
        {
            JobId = Job != null ? Resolution.BatchObjects.JobIdOf(Job) : JobId;
            var container = ContainerNaming.GetContainerName(JobId);
            var context = ResolveContext();
            if (ShouldProcess($"job '{JobId}': container '{container}' in storage account '{context.StorageAccountName}'", "Create output container"))
            {
                WriteObject(RunOperation((sink, ct) => JobContainers.InitializeAsync(context, JobId, ct)));
            }
        });
    }

    /// <summary>Describes an existing job container without creating it.</summary>
    [Cmdlet(VerbsCommon.Get, "BatchJobOutputStorage", DefaultParameterSetName = "JobId")]
    [OutputType(typeof(JobOutputStorage))]
    public sealed class GetBatchJobOutputStorageCommand : BatchOutputCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = "JobId")]
        [Alias("Id")]
        [ArgumentCompleter(typeof(Completion.JobIdCompleter))]
        public string JobId { get; set; }

        /// <summary>A job object, such as Az.Batch's PSCloudJob.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Job")]
        [ValidateNotNull]
        public object Job { get; set; }

        protected override void ProcessRecord() => ForRecord(() =>
        {
            JobId = Job != null ? Resolution.BatchObjects.JobIdOf(Job) : JobId;
            ContainerNaming.GetContainerName(JobId);
            var context = ResolveContext();
            WriteObject(RunOperation((sink, ct) => JobContainers.GetAsync(context, JobId, ct)));
        });
    }

    /// <summary>Deletes a job's whole output container.</summary>
    [Cmdlet(VerbsCommon.Remove, "BatchJobOutputStorage", DefaultParameterSetName = "JobId", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveBatchJobOutputStorageCommand : BatchOutputCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = "JobId")]
        [Alias("Id")]
        [ArgumentCompleter(typeof(Completion.JobIdCompleter))]
        public string JobId { get; set; }

        /// <summary>A job object, such as Az.Batch's PSCloudJob.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Job")]
        [ValidateNotNull]
        public object Job { get; set; }

        /// <summary>Deletes without asking for confirmation.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord() => ForRecord(() =>
        {
            JobId = Job != null ? Resolution.BatchObjects.JobIdOf(Job) : JobId;
            var container = ContainerNaming.GetContainerName(JobId);
            var context = ResolveContext();
            var target = $"job '{JobId}': container '{container}' and every output in it, in storage account '{context.StorageAccountName}'";
            if ((Force && !WhatIfRequested) || ShouldProcess(target, "Delete output container"))
            {
                RunOperation((sink, ct) => JobContainers.RemoveAsync(context, JobId, ct));
                WriteVerbose($"Deleted container '{container}' of job '{JobId}'.");
            }
        });

        private bool WhatIfRequested => MyInvocation.BoundParameters.ContainsKey("WhatIf") && ((SwitchParameter)MyInvocation.BoundParameters["WhatIf"]).IsPresent;
    }
}
