using System;
using System.Management.Automation;
using AzBatchOutput.Conventions;
using AzBatchOutput.Storage;

namespace AzBatchOutput.Cmdlets
{
    /// <summary>Issues a job container SAS URL for tasks: create, write and add only unless -Permission says otherwise.</summary>
    [Cmdlet(VerbsCommon.New, "BatchJobOutputSas", DefaultParameterSetName = "JobId")]
    [OutputType(typeof(JobOutputSas))]
    public sealed class NewBatchJobOutputSasCommand : BatchOutputCmdlet
    {
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = "JobId")]
        [Alias("Id")]
        [ArgumentCompleter(typeof(Completion.JobIdCompleter))]
        public string JobId { get; set; }

        /// <summary>A job object, such as Az.Batch's PSCloudJob.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Job")]
        [ValidateNotNull]
        public object Job { get; set; }

        /// <summary>When the SAS stops working; default 7 days from now, at most 7 days.</summary>
        [Parameter]
        public DateTime? ExpiryTime { get; set; }

        /// <summary>Permission letters from 'racwdl'; default 'acw' (what a task needs to save and track).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Permission { get; set; } = SasPermissions.TaskDefault;

        protected override void ProcessRecord() => ForRecord(() =>
        {
            JobId = Job != null ? Resolution.BatchObjects.JobIdOf(Job) : JobId;
            ContainerNaming.GetContainerName(JobId);
            var context = ResolveContext();
            DateTimeOffset? expiry = ExpiryTime.HasValue ? new DateTimeOffset(ExpiryTime.Value.ToUniversalTime(), TimeSpan.Zero) : (DateTimeOffset?)null;
            var sas = RunOperation((sink, ct) => SasIssuer.IssueContainerSasAsync(context, JobId, expiry, Permission, ct));
            WriteVerbose($"Issued a '{sas.Permissions}' SAS for container '{sas.ContainerName}' of job '{JobId}', expiring {sas.ExpiresOn:u}.");
            WriteObject(sas);
        });
    }
}
