using AzBatchOutput.Batch;
using AzBatchOutput.Conventions;

namespace AzBatchOutput.Resolution
{
    /// <summary>Which job and task a call is about: parameters, else a piped object's Batch URL, else the node's environment.</summary>
    internal static class BatchIdentity
    {
        public static string ResolveJobId(string jobId, string batchUrl, bool fromEnvironment)
        {
            if (string.IsNullOrEmpty(jobId) && BatchTaskUrl.TryParse(batchUrl, out var urlJobId, out _))
            {
                jobId = urlJobId;
            }

            if (string.IsNullOrEmpty(jobId) && fromEnvironment)
            {
                jobId = BatchNodeEnvironment.JobId;
            }

            if (string.IsNullOrEmpty(jobId))
            {
                throw new BatchOutputException("JobIdRequired", FailureCategory.InvalidArgument,
                    "No job ID was given. Pass -JobId, pipe a job or task from Az.Batch, or run on a Batch node where " +
                    $"{BatchNodeEnvironment.JobIdVariable} is set.");
            }

            return BatchIds.ValidateJobId(jobId);
        }

        public static string ResolveTaskId(string taskId, bool fromEnvironment)
        {
            if (string.IsNullOrEmpty(taskId) && fromEnvironment)
            {
                taskId = BatchNodeEnvironment.TaskId;
            }

            if (string.IsNullOrEmpty(taskId))
            {
                throw new BatchOutputException("TaskIdRequired", FailureCategory.InvalidArgument,
                    $"No task ID was given. Pass -TaskId, or run on a Batch node where {BatchNodeEnvironment.TaskIdVariable} is set.");
            }

            return BatchIds.ValidateTaskId(taskId);
        }
    }
}
