using System;

namespace AzBatchOutput.Batch
{
    /// <summary>
    /// Reads job and task IDs from a Batch REST URL: <c>https://{account}.{region}.batch.azure.com/jobs/{jobId}[/tasks/{taskId}]</c>.
    /// Az.Batch's PSCloudTask has no JobId property, so a piped task's job comes from here.
    /// </summary>
    public static class BatchTaskUrl
    {
        public static bool TryParse(string url, out string jobId, out string taskId)
        {
            jobId = null;
            taskId = null;
            if (string.IsNullOrEmpty(url) || !Uri.TryCreate(url, UriKind.Absolute, out var uri))
            {
                return false;
            }

            var segments = uri.AbsolutePath.Trim('/').Split('/');
            if (segments.Length < 2 || !string.Equals(segments[0], "jobs", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            jobId = Uri.UnescapeDataString(segments[1]);
            if (segments.Length >= 4 && string.Equals(segments[2], "tasks", StringComparison.OrdinalIgnoreCase))
            {
                taskId = Uri.UnescapeDataString(segments[3]);
            }

            return jobId.Length > 0;
        }
    }
}
