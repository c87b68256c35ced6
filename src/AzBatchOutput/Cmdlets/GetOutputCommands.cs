using System.Management.Automation;
using AzBatchOutput.Batch;
using AzBatchOutput.Conventions;
using AzBatchOutput.Resolution;

namespace AzBatchOutput.Cmdlets
{
    /// <summary>Lists (or with -Destination downloads) task outputs of a job: one task, or every task.</summary>
    [Cmdlet(VerbsCommon.Get, "BatchTaskOutput")]
    [OutputType(typeof(BatchOutputFile), typeof(System.IO.FileInfo))]
    public sealed class GetBatchTaskOutputCommand : GetOutputCommandBase
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        public string JobId { get; set; }

        /// <summary>One task; omit it to list every task's outputs. Binds a piped Az.Batch task's Id.</summary>
        [Parameter(Position = 1, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        public string TaskId { get; set; }

        /// <summary>A piped Az.Batch job or task's Url, which carries the job ID that PSCloudTask lacks.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        [Alias("Url")]
        public string BatchUrl { get; set; }

        protected override void ProcessRecord() => ForRecord(() =>
        {
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
    [Cmdlet(VerbsCommon.Get, "BatchJobOutput")]
    [OutputType(typeof(BatchOutputFile), typeof(System.IO.FileInfo))]
    public sealed class GetBatchJobOutputCommand : GetOutputCommandBase
    {
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        public string JobId { get; set; }

        protected override void ProcessRecord() => ForRecord(() =>
            ListOrDownload(BatchIdentity.ResolveJobId(JobId, null, fromEnvironment: true), null, OutputScope.Job));
    }
}
