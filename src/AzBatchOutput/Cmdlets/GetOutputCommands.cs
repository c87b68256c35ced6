using System.Management.Automation;
using AzBatchOutput.Batch;
using AzBatchOutput.Conventions;
using AzBatchOutput.Resolution;

namespace AzBatchOutput.Cmdlets
{
    /// <summary>Lists (or with -Destination downloads) task outputs of a job: one task, or every task.</summary>
    [Cmdlet(VerbsCommon.Get, "BatchTaskOutput", DefaultParameterSetName = "Id", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(BatchOutputFile), typeof(System.IO.FileInfo))]
    public sealed class GetBatchTaskOutputCommand : GetOutputCommandBase
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = "Id")]
        [ArgumentCompleter(typeof(Completion.JobIdCompleter))]
        public string JobId { get; set; }

        /// <summary>One task; omit it to list every task's outputs. Binds a piped Az.Batch task's Id.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true, ParameterSetName = "Id")]
        [Parameter(ParameterSetName = "Job")]
        [Alias("Id")]
        [ArgumentCompleter(typeof(Completion.TaskIdCompleter))]
        public string TaskId { get; set; }

        /// <summary>A piped Az.Batch job or task's Url, which carries the job ID that PSCloudTask lacks.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true, ParameterSetName = "Id")]
        [Alias("Url")]
        public string BatchUrl { get; set; }

        /// <summary>A job object, such as Az.Batch's PSCloudJob: every task's outputs, or -TaskId's.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Job")]
        [ValidateNotNull]
        public object Job { get; set; }

        /// <summary>A task object, such as Az.Batch's PSCloudTask (its job comes from its Url).</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Task")]
        [ValidateNotNull]
        public object Task { get; set; }

        protected override void ProcessRecord() => ForRecord(() =>
        {
            if (Job != null)
            {
                JobId = BatchObjects.JobIdOf(Job);
            }
            else if (Task != null)
            {
                (JobId, TaskId) = BatchObjects.TaskOf(Task);
            }

            var taskId = TaskId;
            if (string.IsNullOrEmpty(JobId) && BatchTaskUrl.TryParse(BatchUrl, out _, out var urlTaskId) && urlTaskId == null)
            {
                taskId = null; // a piped job: its Id is the job's, so list every task
            }

            var jobId = BatchIdentity.ResolveJobId(JobId, BatchUrl, fromEnvironment: true);
            if (!string.IsNullOrEmpty(taskId))
            {
                BatchIds.ValidateTaskId(taskId);
            }

            ListOrDownload(jobId, string.IsNullOrEmpty(taskId) ? null : taskId, OutputScope.Task);
        });
    }

    /// <summary>Lists (or with -Destination downloads) a job's own outputs.</summary>
    [Cmdlet(VerbsCommon.Get, "BatchJobOutput", DefaultParameterSetName = "Id", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(BatchOutputFile), typeof(System.IO.FileInfo))]
    public sealed class GetBatchJobOutputCommand : GetOutputCommandBase
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = "Id")]
        [Alias("Id")]
        [ArgumentCompleter(typeof(Completion.JobIdCompleter))]
        public string JobId { get; set; }

        /// <summary>A job object, such as Az.Batch's PSCloudJob.</summary>
        [Parameter(Mandatory = true, ParameterSetName = "Job")]
        [ValidateNotNull]
        public object Job { get; set; }

        /// <summary>A piped Az.Batch object's Url: for a task, its Id is the task's, so the job comes from here.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true, ParameterSetName = "Id")]
        [Alias("Url")]
        public string BatchUrl { get; set; }

        protected override void ProcessRecord() => ForRecord(() =>
        {
            var jobId = Job != null ? BatchObjects.JobIdOf(Job)
                : BatchTaskUrl.TryParse(BatchUrl, out var urlJobId, out _) ? urlJobId
                : JobId;
            ListOrDownload(BatchIdentity.ResolveJobId(jobId, null, fromEnvironment: true), null, OutputScope.Job);
        });
    }
}
