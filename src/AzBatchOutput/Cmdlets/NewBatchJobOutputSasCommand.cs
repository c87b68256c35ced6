using System;
using System.Management.Automation;
using AzBatchOutput.Resolution;
using AzBatchOutput.Storage;

namespace AzBatchOutput.Cmdlets
{
    /// <summary>Issues a job container SAS URL for tasks: create, write and add only unless -Permission says otherwise.</summary>
    [Cmdlet(VerbsCommon.New, "BatchJobOutputSas", DefaultParameterSetName = "JobId")]
    [OutputType(typeof(JobOutputSas))]
    public sealed class NewBatchJobOutputSasCommand : JobCmdlet
    {
        /// <summary>When the SAS stops working; default 7 days from now, at most 7 days.</summary>
        [Parameter]
        [DateTimeOrOffset]
        public DateTime? ExpiryTime { get; set; }

        /// <summary>Permission letters from 'racwdl'; default 'acw' (what a task needs to save and track).</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Permission { get; set; } = SasPermissions.TaskDefault;

        protected override void ProcessRecord() => ForRecord(() =>
        {
            var (jobId, _) = ResolveJob();
            var context = ResolveContext();
            DateTimeOffset? expiry = ExpiryTime.HasValue ? new DateTimeOffset(ExpiryTime.Value.ToUniversalTime(), TimeSpan.Zero) : (DateTimeOffset?)null;
            var sas = RunOperation((sink, ct) => SasIssuer.IssueContainerSasAsync(context, jobId, expiry, Permission, ct));
            WriteVerbose($"Issued a '{sas.Permissions}' SAS for container '{sas.ContainerName}' of job '{jobId}', expiring {sas.ExpiresOn:u}.");
            WriteObject(sas);
        });
    }
}
