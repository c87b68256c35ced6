using System;

namespace AzBatchOutput.Resolution
{
    /// <summary>What a Batch compute node tells a task through its environment.</summary>
    internal static class BatchNodeEnvironment
    {
        public const string ContainerUrlVariable = "AZBATCHOUTPUT_CONTAINER_URL";
        public const string JobIdVariable = "AZ_BATCH_JOB_ID";
        public const string TaskIdVariable = "AZ_BATCH_TASK_ID";

        public static string ContainerUrl => Read(ContainerUrlVariable);

        public static string JobId => Read(JobIdVariable);

        public static string TaskId => Read(TaskIdVariable);

        private static string Read(string name)
        {
            var value = Environment.GetEnvironmentVariable(name);
            return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
        }
    }
}
