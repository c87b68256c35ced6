namespace AzBatchOutput.Conventions
{
    /// <summary>
    /// Checks job and task IDs against what the Batch service accepts. The reference library turns any other character
    /// into an invalid container or blob name that fails later with an obscure storage error; checking up front lets the
    /// user see which character is wrong.
    /// </summary>
    public static class BatchIds
    {
        /// <summary>The Batch service's limit for job and task IDs that a user types.</summary>
        internal const int MaxIdLength = 64;

        /// <summary>
        /// Jobs that a job schedule makes are named <c>{scheduleId}:job-{n}</c>, so a 64-character schedule ID gives a longer
        /// job ID. The service documents no limit for these; 200 leaves room while still catching runaway input.
        /// </summary>
        internal const int MaxScheduledJobIdLength = 200;

        private const string JobIdRules =
            "A job ID may contain only ASCII letters, digits, '-' and '_' (and ':' in the IDs of jobs made by a job schedule, such as 'MySchedule:job-1'), " +
            "at most 64 characters (200 for an ID with ':').";

        private const string TaskIdRules = "A task ID may contain only ASCII letters, digits, '-' and '_', at most 64 characters.";

        public static string ValidateJobId(string jobId)
        {
            var problem = FindJobIdProblem(jobId);
            if (problem != null)
            {
                throw new BatchOutputException("InvalidJobId", FailureCategory.InvalidArgument, problem + " " + JobIdRules, jobId);
            }

            return jobId;
        }

        public static string ValidateTaskId(string taskId)
        {
            var problem = FindTaskIdProblem(taskId);
            if (problem != null)
            {
                throw new BatchOutputException("InvalidTaskId", FailureCategory.InvalidArgument, problem + " " + TaskIdRules, taskId);
            }

            return taskId;
        }

        public static bool IsValidJobId(string jobId) => FindJobIdProblem(jobId) == null;

        public static bool IsValidTaskId(string taskId) => FindTaskIdProblem(taskId) == null;

        private static string FindJobIdProblem(string jobId)
        {
            if (string.IsNullOrEmpty(jobId))
            {
                return "The job ID is empty.";
            }

            var bad = FirstBadCharacter(jobId, allowColon: true);
            if (bad >= 0)
            {
                return BadCharacterText("job", jobId, bad);
            }

            var limit = jobId.IndexOf(':') >= 0 ? MaxScheduledJobIdLength : MaxIdLength;
            if (jobId.Length > limit)
            {
                return $"The job ID {MessageText.Quote(jobId)} is {jobId.Length} characters long; the limit is {limit}.";
            }

            return null;
        }

        private static string FindTaskIdProblem(string taskId)
        {
            if (string.IsNullOrEmpty(taskId))
            {
                return "The task ID is empty.";
            }

            var bad = FirstBadCharacter(taskId, allowColon: false);
            if (bad >= 0)
            {
                return BadCharacterText("task", taskId, bad);
            }

            if (taskId.Length > MaxIdLength)
            {
                return $"The task ID {MessageText.Quote(taskId)} is {taskId.Length} characters long; the limit is {MaxIdLength}.";
            }

            return null;
        }

        private static string BadCharacterText(string what, string id, int index) =>
            $"The {what} ID {MessageText.Quote(id)} contains {MessageText.Describe(id[index])} at position {index + 1}, which is not allowed.";

        private static int FirstBadCharacter(string id, bool allowColon)
        {
            for (var i = 0; i < id.Length; i++)
            {
                var c = id[i];
                var ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || (allowColon && c == ':');
                if (!ok)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
