using AzBatchOutput.AzContext;
using AzBatchOutput.Batch;

namespace AzBatchOutput.Resolution
{
    /// <summary>Job and task IDs from Az.Batch's PSCloudJob and PSCloudTask (or anything shaped like them).</summary>
    internal static class BatchObjects
    {
        public static string JobIdOf(object job)
        {
            var id = AzObjects.Text(job, "Id") ?? AzObjects.Text(job, "JobId");
            if (string.IsNullOrEmpty(id))
            {
                throw new BatchOutputException("InvalidJobObject", FailureCategory.InvalidArgument,
                    "-Job needs a job object with an Id, such as Az.Batch's PSCloudJob from Get-AzBatchJob.", job);
            }

            return id;
        }

        /// <summary>A task's ID and its job's: PSCloudTask has no JobId, so the job comes from its Url.</summary>
        public static (string JobId, string TaskId) TaskOf(object task)
        {
            var taskId = AzObjects.Text(task, "Id");
            var jobId = AzObjects.Text(task, "JobId");
            if (string.IsNullOrEmpty(jobId) && BatchTaskUrl.TryParse(AzObjects.Text(task, "Url"), out var urlJob, out _))
            {
                jobId = urlJob;
            }

            if (string.IsNullOrEmpty(taskId) || string.IsNullOrEmpty(jobId))
            {
                throw new BatchOutputException("InvalidTaskObject", FailureCategory.InvalidArgument,
                    "-Task needs a task object with an Id and a Url (https://{account}.{region}.batch.azure.com/jobs/{job}/tasks/{task}), " +
                    "such as Az.Batch's PSCloudTask from Get-AzBatchTask.", task);
            }

            return (jobId, taskId);
        }
    }
}
