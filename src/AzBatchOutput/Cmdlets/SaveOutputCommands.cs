using System.Management.Automation;
using AzBatchOutput.Conventions;
using AzBatchOutput.Resolution;

namespace AzBatchOutput.Cmdlets
{
    /// <summary>Saves files as a task's output of a kind (TaskOutput by default).</summary>
    [Cmdlet(VerbsData.Save, "BatchTaskOutput", DefaultParameterSetName = "Id", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(BatchOutputFile))]
    public sealed class SaveBatchTaskOutputCommand : SaveOutputCommandBase
    {
        /// <summary>Defaults to AZ_BATCH_JOB_ID on a Batch node.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = "Id")]
        [ArgumentCompleter(typeof(Completion.JobIdCompleter))]
        public string JobId { get; set; }

        /// <summary>Defaults to AZ_BATCH_TASK_ID on a Batch node.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = "Id")]
        [ArgumentCompleter(typeof(Completion.TaskIdCompleter))]
        public string TaskId { get; set; }

        /// <summary>A task object, such as Az.Batch's PSCloudTask (its job comes from its Url); instead of -JobId and -TaskId.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Task")]
        [ValidateNotNull]
        public object Task { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.KindCompleter))]
        public string Kind { get; set; } = "TaskOutput";

        protected override (string JobId, string TaskId, OutputKind Kind) ResolveTarget()
        {
            var (jobId, taskId) = Task != null ? BatchObjects.TaskOf(Task) : (JobId, TaskId);
            return (BatchIdentity.ResolveJobId(jobId, null, fromEnvironment: true),
                    BatchIdentity.ResolveTaskId(taskId, fromEnvironment: true),
                    OutputKind.Parse(Kind, OutputScope.Task));
        }
    }

    /// <summary>Saves files as a job's output of a kind (JobOutput by default).</summary>
    [Cmdlet(VerbsData.Save, "BatchJobOutput", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(BatchOutputFile))]
    public sealed class SaveBatchJobOutputCommand : SaveOutputCommandBase
    {
        /// <summary>Defaults to AZ_BATCH_JOB_ID on a Batch node.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [ArgumentCompleter(typeof(Completion.JobIdCompleter))]
        public string JobId { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.KindCompleter))]
        public string Kind { get; set; } = "JobOutput";

        protected override (string JobId, string TaskId, OutputKind Kind) ResolveTarget() =>
            (BatchIdentity.ResolveJobId(JobId, null, fromEnvironment: true), null, OutputKind.Parse(Kind, OutputScope.Job));
    }
}
