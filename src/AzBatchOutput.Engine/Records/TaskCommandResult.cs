using System;
using System.Collections.Generic;

namespace AzBatchOutput
{
    /// <summary>What Invoke-BatchTaskCommand ran and kept: the exit code, the tracked logs and the outputs saved.</summary>
    public sealed class TaskCommandResult
    {
        public string JobId { get; set; }

        public string TaskId { get; set; }

        public string Command { get; set; }

        public int ExitCode { get; set; }

        public bool Succeeded => ExitCode == 0;

        public TimeSpan Duration { get; set; }

        /// <summary>TaskSuccess, TaskFailure or TaskCompletion: when the outputs were to be saved.</summary>
        public string UploadCondition { get; set; }

        /// <summary>Whether the condition held, so the outputs were saved.</summary>
        public bool OutputsSaved { get; set; }

        public string StandardOutputPath { get; set; }

        public string StandardErrorPath { get; set; }

        /// <summary>The trackers of stdout and stderr, in their final state (TaskLog kind).</summary>
        public IReadOnlyList<Tracking.TaskOutputTracker> Logs { get; set; }

        public IReadOnlyList<BatchOutputFile> Outputs { get; set; }

        public override string ToString() => $"{Command}: exit code {ExitCode}";
    }
}
