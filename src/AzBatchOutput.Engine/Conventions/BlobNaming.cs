using System;

namespace AzBatchOutput.Conventions
{
    /// <summary>
    /// Blob names inside a job's container (conventions.md section 2): <c>$Kind/path</c> for job outputs and
    /// <c>taskId/$Kind/path</c> for task outputs, and the listing prefixes that select them.
    /// </summary>
    public static class BlobNaming
    {
        /// <summary>Azure Storage's limit on a blob name.</summary>
        public const int MaxBlobNameLength = 1024;

        /// <summary>Every job-level kind: job outputs are the only blobs whose name starts with '$' (task IDs cannot hold it).</summary>
        public const string JobOutputsPrefix = "$";

        public static string GetBlobName(string taskId, OutputKind kind, string relativePath)
        {
            var folder = GetKindPrefix(taskId, kind);
            var blobName = folder + OutputPath.Normalize(relativePath);
            if (blobName.Length > MaxBlobNameLength)
            {
                throw new BatchOutputException("BlobNameTooLong", FailureCategory.InvalidArgument,
                    $"The blob name for '{relativePath}' would be {blobName.Length} characters long; Azure Storage allows at most {MaxBlobNameLength}. " +
                    "Use a shorter path.", blobName);
            }

            return blobName;
        }

        /// <summary>
        /// The folder of one kind, with its trailing '/': without it, a listing of <c>TaskOutput</c> would also return a
        /// custom kind such as <c>TaskOutputX</c>.
        /// </summary>
        public static string GetKindPrefix(string taskId, OutputKind kind)
        {
            if (kind is null)
            {
                throw new ArgumentNullException(nameof(kind));
            }

            if (string.IsNullOrEmpty(taskId))
            {
                RequireScope(kind, OutputScope.Job);
                return JobOutputsPrefix + kind.Name + "/";
            }

            BatchIds.ValidateTaskId(taskId);
            RequireScope(kind, OutputScope.Task);
            return taskId + "/$" + kind.Name + "/";
        }

        /// <summary>Every kind of one task. The '$' keeps task "t1" from matching a task "t10".</summary>
        public static string GetTaskPrefix(string taskId) => BatchIds.ValidateTaskId(taskId) + "/$";

        public static bool TryParse(string blobName, out ParsedBlobName parsed)
        {
            parsed = null;
            if (string.IsNullOrEmpty(blobName))
            {
                return false;
            }

            if (blobName[0] == '$')
            {
                if (!TrySplitKind(blobName, 1, out var jobKind, out var jobPath))
                {
                    return false;
                }

                parsed = new ParsedBlobName(null, jobKind, jobPath, OutputScope.Job);
                return true;
            }

            // A task ID cannot contain '/', so the first '/' ends it and must be followed by the kind's '$'.
            var slash = blobName.IndexOf('/');
            if (slash <= 0 || slash + 1 >= blobName.Length || blobName[slash + 1] != '$')
            {
                return false;
            }

            if (!TrySplitKind(blobName, slash + 2, out var kind, out var path))
            {
                return false;
            }

            parsed = new ParsedBlobName(blobName.Substring(0, slash), kind, path, OutputScope.Task);
            return true;
        }

        /// <summary>Splits "Kind/path" starting at <paramref name="start"/>; both parts must be non-empty.</summary>
        private static bool TrySplitKind(string blobName, int start, out string kind, out string path)
        {
            kind = null;
            path = null;
            var slash = blobName.IndexOf('/', start);
            if (slash <= start || slash + 1 >= blobName.Length)
            {
                return false;
            }

            kind = blobName.Substring(start, slash - start);
            path = blobName.Substring(slash + 1);
            return true;
        }

        private static void RequireScope(OutputKind kind, OutputScope scope)
        {
            if (kind.Scope == scope)
            {
                return;
            }

            var message = scope == OutputScope.Job
                ? $"'{kind.Name}' is a task kind, but no task ID was given; give the task ID, or use a job kind (JobOutput, JobPreview or a custom kind)."
                : $"'{kind.Name}' is a job kind, but a task ID was given; job outputs belong to no task, so drop the task ID or use a task kind.";
            throw new BatchOutputException("KindScopeMismatch", FailureCategory.InvalidArgument, message, kind.Name);
        }
    }
}
