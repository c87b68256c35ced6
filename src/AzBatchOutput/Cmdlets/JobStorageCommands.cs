using System.Management.Automation;
using AzBatchOutput.Storage;

namespace AzBatchOutput.Cmdlets
{
    /// <summary>Creates a job's conventions container if it does not exist (idempotent).</summary>
    [Cmdlet(VerbsData.Initialize, "BatchJobOutputStorage", DefaultParameterSetName = "JobId", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(JobOutputStorage))]
    public sealed class InitializeBatchJobOutputStorageCommand : JobCmdlet
    {
        protected override void ProcessRecord() => ForRecord(() =>
        {
            var (jobId, container) = ResolveJob();
            var context = ResolveContext();
            if (ShouldProcess($"job '{jobId}': container '{container}' in storage account '{context.StorageAccountName}'", "Create output container"))
            {
                WriteObject(RunOperation((sink, ct) => JobContainers.InitializeAsync(context, jobId, ct)));
            }
        });
    }

    /// <summary>Describes an existing job container without creating it.</summary>
    [Cmdlet(VerbsCommon.Get, "BatchJobOutputStorage", DefaultParameterSetName = "JobId")]
    [OutputType(typeof(JobOutputStorage))]
    public sealed class GetBatchJobOutputStorageCommand : JobCmdlet
    {
        protected override void ProcessRecord() => ForRecord(() =>
        {
            var (jobId, _) = ResolveJob();
            var context = ResolveContext();
            WriteObject(RunOperation((sink, ct) => JobContainers.GetAsync(context, jobId, ct)));
        });
    }

    /// <summary>Deletes a job's whole output container.</summary>
    [Cmdlet(VerbsCommon.Remove, "BatchJobOutputStorage", DefaultParameterSetName = "JobId", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.High)]
    [OutputType(typeof(void))]
    public sealed class RemoveBatchJobOutputStorageCommand : JobCmdlet
    {
        /// <summary>Deletes without asking for confirmation.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        protected override void ProcessRecord() => ForRecord(() =>
        {
            var (jobId, container) = ResolveJob();
            var context = ResolveContext();
            var target = $"job '{jobId}': container '{container}' and every output in it, in storage account '{context.StorageAccountName}'";
            // -Force skips the confirmation prompt only: -Confirm still asks, and -WhatIf (typed here, or the caller's
            // $WhatIfPreference, as in a function called with -WhatIf) still only describes.
            if ((Force && !Bound("Confirm") && !WhatIfInEffect()) || ShouldProcess(target, "Delete output container"))
            {
                RunOperation((sink, ct) => JobContainers.RemoveAsync(context, jobId, ct));
                WriteVerbose($"Deleted container '{container}' of job '{jobId}'.");
            }
        });

        private bool WhatIfInEffect() =>
            MyInvocation.BoundParameters.ContainsKey("WhatIf") ? Bound("WhatIf") : LanguagePrimitives.IsTrue(GetVariableValue("WhatIfPreference"));

        private bool Bound(string switchName) => MyInvocation.BoundParameters.TryGetValue(switchName, out var value) && ((SwitchParameter)value).IsPresent;
    }
}
