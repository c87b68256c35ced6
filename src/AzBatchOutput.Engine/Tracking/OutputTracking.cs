using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using AzBatchOutput.Conventions;

namespace AzBatchOutput.Tracking
{
    /// <summary>
    /// Starts and stops trackers, and keeps the process's list of running ones: one tracker per blob (two would append
    /// over each other), listed by owner, and all given their final flush when the process exits.
    /// </summary>
    public static class OutputTracking
    {
        private static readonly object Gate = new object();
        private static readonly Dictionary<string, TaskOutputTracker> Running = new Dictionary<string, TaskOutputTracker>(StringComparer.Ordinal);
        private static bool _exitHooked;
        private static object _terminationSignal;

        /// <summary>
        /// Creates the append blob (replacing an earlier attempt's, with a warning) and starts tracking. Throws
        /// BatchOutputException: TrackerAlreadyRunning when this process already tracks into that blob, or the storage error
        /// that kept the blob from being created (JobContainerNotFound, StoragePermissionDenied, ...).
        /// </summary>
        public static async Task<TaskOutputTracker> StartAsync(TrackingRequest request, CancellationToken cancellationToken)
        {
            Validate(request);
            var containerName = ContainerNaming.GetContainerName(request.JobId);
            var blobName = BlobNaming.GetBlobName(request.TaskId, request.Kind, request.Path);
            var key = request.Context.BlobEndpoint.AbsoluteUri.TrimEnd('/').ToLowerInvariant() + "/" + containerName + "/" + blobName;
            var tracker = new TaskOutputTracker(request, containerName, blobName, key);

            lock (Gate)
            {
                if (Running.TryGetValue(key, out var running))
                {
                    throw new BatchOutputException("TrackerAlreadyRunning", FailureCategory.ResourceBusy,
                        $"'{blobName}' in container '{containerName}' is already tracked in this process, from '{running.LocalPath}' " +
                        $"(started {running.Started:u}). Two trackers would append over each other: stop that one first " +
                        "(Stop-BatchTaskOutputTracking), or give this file another -DestinationPath.", blobName);
                }

                Running.Add(key, tracker);
                HookProcessExit();
            }

            try
            {
                await tracker.PrepareAsync(cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                Unregister(tracker);
                throw;
            }

            tracker.Launch();
            return tracker;
        }

        /// <summary>The running trackers of one owner (null: of every owner), oldest first.</summary>
        public static IReadOnlyList<TaskOutputTracker> GetRunning(object owner)
        {
            lock (Gate)
            {
                return Running.Values
                    .Where(t => owner == null || ReferenceEquals(t.Owner, owner))
                    .OrderBy(t => t.Started)
                    .ToList();
            }
        }

        /// <summary>Stops several trackers at once (their grace periods overlap); completes when all have stopped.</summary>
        public static Task StopAsync(IEnumerable<TaskOutputTracker> trackers, TimeSpan gracePeriod, CancellationToken cancellationToken) =>
            Task.WhenAll(trackers.Select(t => t.StopAsync(gracePeriod, cancellationToken)).ToList());

        /// <summary>
        /// For a runspace that closes or a process that exits: final flush (no grace period) of every running tracker of
        /// <paramref name="owner"/> (null: all), waiting at most <paramref name="timeout"/> in all, then abandoning what is
        /// left. Returns the trackers it stopped; those whose final flush failed have State Failed and LastError set.
        /// </summary>
        public static IReadOnlyList<TaskOutputTracker> StopAllForShutdown(object owner, TimeSpan timeout) =>
            StopWithin(GetRunning(owner), timeout);

        /// <summary>
        /// Final flush (no grace period) of these trackers, waiting at most <paramref name="timeout"/> in all, then abandoning
        /// what is left: for a command that was stopped (Ctrl+C) and can no longer wait on its pipeline, so that none of its
        /// trackers outlives it. Returns the trackers.
        /// </summary>
        public static IReadOnlyList<TaskOutputTracker> StopWithin(IReadOnlyList<TaskOutputTracker> trackers, TimeSpan timeout)
        {
            if (trackers.Count == 0)
            {
                return trackers;
            }

            foreach (var tracker in trackers)
            {
                tracker.RequestStop(TimeSpan.Zero);
            }

            var all = Task.WhenAll(trackers.Select(t => t.Completion));
            try
            {
                if (!all.Wait(timeout))
                {
                    foreach (var tracker in trackers)
                    {
                        tracker.Abort();
                    }

                    all.Wait(TimeSpan.FromSeconds(1));
                }
            }
            catch (AggregateException)
            {
                // Completion never faults; nothing to report beyond each tracker's own state.
            }

            return trackers;
        }

        /// <summary>One line per tracker that did not get its final flush, for a console at shutdown.</summary>
        public static void ReportShutdownFailures(IEnumerable<TaskOutputTracker> trackers, string why, TextWriter writer)
        {
            foreach (var tracker in trackers.Where(t => t.State == TrackerState.Failed || t.IsRunning))
            {
                try
                {
                    writer.WriteLine($"AzBatchOutput: the final flush of '{tracker.LocalPath}' to '{tracker.BlobName}' failed while {why} " +
                                     $"({tracker.BlobLength:N0} bytes are in the blob): {tracker.LastError ?? "it did not finish in time."}");
                }
                catch (Exception)
                {
                    // The console may already be gone at process exit.
                }
            }
        }

        internal static void Unregister(TaskOutputTracker tracker)
        {
            lock (Gate)
            {
                if (Running.TryGetValue(tracker.Key, out var current) && ReferenceEquals(current, tracker))
                {
                    Running.Remove(tracker.Key);
                }
            }
        }

        private static void Validate(TrackingRequest request)
        {
            if (request == null)
            {
                throw new ArgumentNullException(nameof(request));
            }

            if (request.Context == null || request.Kind == null || string.IsNullOrEmpty(request.LocalPath) || string.IsNullOrEmpty(request.Path))
            {
                throw new ArgumentException("A tracking request needs a context, a kind, a path and a local path.", nameof(request));
            }

            BatchIds.ValidateJobId(request.JobId);
            BatchIds.ValidateTaskId(request.TaskId);
            if (request.FlushInterval < TrackingDefaults.MinimumFlushInterval || request.FlushInterval > TrackingDefaults.MaximumFlushInterval)
            {
                throw new BatchOutputException("InvalidFlushInterval", FailureCategory.InvalidArgument,
                    $"The flush interval {request.FlushInterval} is out of range: give {TrackingDefaults.MinimumFlushInterval.TotalSeconds} second(s) " +
                    $"to {TrackingDefaults.MaximumFlushInterval.TotalHours} hours.", request.FlushInterval);
            }

            if (Directory.Exists(request.LocalPath))
            {
                throw new BatchOutputException("TrackedPathIsFolder", FailureCategory.InvalidArgument,
                    $"'{request.LocalPath}' is a folder; tracking mirrors one file (a log) that grows. Name the file, or use " +
                    "Save-BatchTaskOutput to save a folder's files once.", request.LocalPath);
            }
        }

        private static void HookProcessExit()
        {
            if (_exitHooked)
            {
                return;
            }

            _exitHooked = true;

            // Engine exit (pwsh ending after its script, `exit`, or Ctrl+C that ends it): last flush of every tracker.
            AppDomain.CurrentDomain.ProcessExit += (sender, args) => FlushAllAtShutdown("the process exited");
            HookTerminationSignal();
        }

        /// <summary>
        /// .NET 10 (PowerShell 7.6) does not raise ProcessExit for SIGTERM (the polite "please stop" of kill, docker stop,
        /// systemd, a scheduler): the process just ends. Where the runtime has PosixSignalRegistration (PowerShell 7), flush every tracker
        /// on SIGTERM, then let the signal end the process as it would have. Reflection, because this assembly targets
        /// netstandard2.0 and also runs on .NET Framework (Windows PowerShell 5.1), which has no such signal.
        /// </summary>
        private static void HookTerminationSignal()
        {
            try
            {
                const string Assembly = ", System.Runtime.InteropServices";
                var registration = Type.GetType("System.Runtime.InteropServices.PosixSignalRegistration" + Assembly, throwOnError: false);
                var signal = Type.GetType("System.Runtime.InteropServices.PosixSignal" + Assembly, throwOnError: false);
                var context = Type.GetType("System.Runtime.InteropServices.PosixSignalContext" + Assembly, throwOnError: false);
                if (registration == null || signal == null || context == null)
                {
                    return;
                }

                var handlerType = typeof(Action<>).MakeGenericType(context);
                var create = registration.GetMethod("Create", new[] { signal, handlerType });
                var onSignal = typeof(OutputTracking).GetMethod(nameof(OnTerminationSignal), BindingFlags.NonPublic | BindingFlags.Static);
                if (create == null || onSignal == null)
                {
                    return;
                }

                // Kept for the process's life: disposing the registration would remove the handler.
                _terminationSignal = create.Invoke(null, new[] { Enum.Parse(signal, "SIGTERM"), Delegate.CreateDelegate(handlerType, onSignal) });
            }
            catch (Exception)
            {
                // Unsupported here (e.g. a platform without that signal): ProcessExit and runspace closing remain.
            }
        }

        private static void OnTerminationSignal(object context) => FlushAllAtShutdown("the process received SIGTERM");

        private static int _shutdownFlushed;

        // Once per process: on .NET 6 to 9 (PowerShell 7.2 to 7.5) SIGTERM also raises ProcessExit afterwards.
        private static void FlushAllAtShutdown(string why)
        {
            if (Interlocked.Exchange(ref _shutdownFlushed, 1) != 0)
            {
                return;
            }

            var stopped = StopAllForShutdown(null, TrackingDefaults.ShutdownFlushTimeout);
            ReportShutdownFailures(stopped, why, Console.Error);
        }
    }
}
