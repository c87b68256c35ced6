using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Threading;
using AzBatchOutput.Conventions;
using AzBatchOutput.Pipeline;
using AzBatchOutput.Resolution;
using AzBatchOutput.Tracking;
using Microsoft.PowerShell.Commands;

namespace AzBatchOutput.Cmdlets
{
    /// <summary>
    /// Mirrors a growing file (a log) into an append blob under the conventions name while the task runs: every
    /// -FlushInterval the bytes it gained are appended. Returns the tracker; Stop-BatchTaskOutputTracking does the final flush.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Start, "BatchTaskOutputTracking", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(TaskOutputTracker))]
    public sealed class StartBatchTaskOutputTrackingCommand : BatchOutputCmdlet
    {
        /// <summary>The file to track; it need not exist yet. Taken literally (no wildcards).</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("FullName", "LiteralPath")]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Kind { get; set; } = "TaskLog";

        /// <summary>The path under the kind's folder; defaults to the file's name.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string DestinationPath { get; set; }

        /// <summary>A number of seconds or a TimeSpan, 1 second to 24 hours.</summary>
        [Parameter]
        [SecondsOrTimeSpan]
        [ValidateSecondsRange(1, 24 * 60 * 60)]
        public TimeSpan FlushInterval { get; set; } = TrackingDefaults.FlushInterval;

        /// <summary>Defaults to AZ_BATCH_JOB_ID on a Batch node.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string JobId { get; set; }

        /// <summary>Defaults to AZ_BATCH_TASK_ID on a Batch node.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        public string TaskId { get; set; }

        protected override void BeginProcessing() => TrackingWarnings.WritePending(this);

        protected override void ProcessRecord() => ForRecord(() =>
        {
            var owner = RunspaceTrackers.Current;
            var jobId = BatchIdentity.ResolveJobId(JobId, null, fromEnvironment: true);
            var taskId = BatchIdentity.ResolveTaskId(TaskId, fromEnvironment: true);
            var kind = OutputKind.Parse(Kind, OutputScope.Task);
            var localPath = ResolveLocalPath(Path);
            if (Path.IndexOfAny(new[] { '*', '?' }) >= 0 && !System.IO.File.Exists(localPath))
            {
                WriteWarning($"'{Path}' is taken literally: tracking follows one file and does not expand wildcards, and no file of that name " +
                             "exists yet. Start one tracker per file, e.g. Get-ChildItem *.log | Start-BatchTaskOutputTracking.");
            }

            // As for the Save cmdlets, a -DestinationPath ending in a separator is a folder: the file keeps its name in it.
            var name = System.IO.Path.GetFileName(localPath);
            var destination = DestinationPath == null ? name
                : DestinationPath.EndsWith("/", StringComparison.Ordinal) || DestinationPath.EndsWith("\\", StringComparison.Ordinal) ? DestinationPath + name
                : DestinationPath;
            var path = OutputPath.Normalize(destination);
            var blobName = BlobNaming.GetBlobName(taskId, kind, path);
            var container = ContainerNaming.GetContainerName(jobId);
            if (!ShouldProcess($"'{localPath}' -> job '{jobId}': {container}/{blobName}", $"Track as {kind.Name} (an append blob that replaces any blob of that name)"))
            {
                return;
            }

            var request = new TrackingRequest
            {
                Context = ResolveContext(),
                JobId = jobId,
                TaskId = taskId,
                Kind = kind,
                Path = path,
                LocalPath = localPath,
                FlushInterval = FlushInterval,
                Events = owner,
                Owner = owner,
            };

            TaskOutputTracker tracker;
            try
            {
                tracker = RunOperation((sink, ct) => OutputTracking.StartAsync(request, ct));
            }
            finally
            {
                // Written now, not at the next call: e.g. that an earlier attempt's blob was replaced.
                TrackingWarnings.WritePending(this);
            }

            WriteVerbose($"Tracking '{localPath}' into '{container}/{blobName}' every {FlushInterval}.");
            WriteObject(tracker);
        });

        // Unresolved: the file may not exist yet (an application log that appears later).
        private string ResolveLocalPath(string path) => FileSystemPaths.Unresolved(this, path, "Cannot track");
    }

    /// <summary>
    /// Stops trackers: waits a short grace period for the file to stop growing, does the final flush and, with -PassThru,
    /// returns each tracker in its final state. A failed final flush is a non-terminating error with the storage error's id.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Stop, "BatchTaskOutputTracking", DefaultParameterSetName = TrackerSet)]
    [OutputType(typeof(TaskOutputTracker))]
    public sealed class StopBatchTaskOutputTrackingCommand : PSCmdlet, IDisposable
    {
        private const string TrackerSet = "Tracker";
        private const string AllSet = "All";

        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private readonly List<TaskOutputTracker> _trackers = new List<TaskOutputTracker>();

        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ParameterSetName = TrackerSet)]
        [ValidateNotNull]
        public TaskOutputTracker[] Tracker { get; set; }

        /// <summary>Every running tracker that this runspace started.</summary>
        [Parameter(Mandatory = true, ParameterSetName = AllSet)]
        public SwitchParameter All { get; set; }

        /// <summary>How long at most to wait for the file to stop growing before the final flush (0: flush at once).</summary>
        [Parameter]
        [SecondsOrTimeSpan]
        [ValidateSecondsRange(0, 5 * 60)]
        public TimeSpan GracePeriod { get; set; } = TrackingDefaults.GracePeriod;

        [Parameter]
        public SwitchParameter PassThru { get; set; }

        public void Dispose() => _stopping.Dispose();

        protected override void BeginProcessing() => TrackingWarnings.WritePending(this);

        protected override void ProcessRecord()
        {
            if (Tracker == null)
            {
                return;
            }

            foreach (var tracker in Tracker)
            {
                if (tracker != null && !_trackers.Contains(tracker))
                {
                    _trackers.Add(tracker);
                }
            }
        }

        protected override void EndProcessing()
        {
            var trackers = All ? new List<TaskOutputTracker>(OutputTracking.GetRunning(RunspaceTrackers.Current)) : _trackers;

            // Only failures of this call's final flushes are errors; a tracker that had stopped before is just passed through.
            var wasRunning = new HashSet<TaskOutputTracker>();
            foreach (var tracker in trackers)
            {
                if (tracker.IsRunning)
                {
                    wasRunning.Add(tracker);
                }
            }

            if (wasRunning.Count > 0)
            {
                WriteVerbose($"Stopping {wasRunning.Count} tracker(s): grace period up to {GracePeriod}, then the final flush.");
                OutputTracking.StopAsync(wasRunning, GracePeriod, _stopping.Token).Wait();
            }

            TrackingWarnings.WritePending(this);
            foreach (var tracker in trackers)
            {
                if (wasRunning.Contains(tracker) && tracker.State == TrackerState.Failed)
                {
                    var error = tracker.GetLastError() ?? new BatchOutputException("TrackingFailed", FailureCategory.WriteError,
                        $"The final flush of '{tracker.LocalPath}' to '{tracker.BlobName}' failed.", tracker.LocalPath);
                    WriteError(ErrorRecords.From(error));
                }

                if (PassThru)
                {
                    WriteObject(tracker);
                }
            }

            if (_stopping.IsCancellationRequested)
            {
                throw new PipelineStoppedException();
            }
        }

        protected override void StopProcessing() => _stopping.Cancel();
    }

    /// <summary>Writes the background trackers' queued warnings, on the pipeline thread of a tracking cmdlet.</summary>
    internal static class TrackingWarnings
    {
        public static void WritePending(Cmdlet cmdlet)
        {
            foreach (var message in RunspaceTrackers.Current.TakeWarnings())
            {
                cmdlet.WriteWarning(message);
            }
        }
    }
}
