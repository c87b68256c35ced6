using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using System.Threading;

namespace AzBatchOutput.Tracking
{
    /// <summary>
    /// The trackers one PowerShell runspace started: their owner in the engine's list (for Stop -All), the queue of
    /// warnings their background loops raised (written on the pipeline thread by the next Start- or
    /// Stop-BatchTaskOutputTracking), and their final flush when the runspace closes.
    /// </summary>
    internal sealed class RunspaceTrackers : ITrackerEvents
    {
        private static readonly ConditionalWeakTable<Runspace, RunspaceTrackers> ByRunspace = new ConditionalWeakTable<Runspace, RunspaceTrackers>();

        private readonly WarningQueue _warnings = new WarningQueue();
        private int _closed;

        private RunspaceTrackers()
        {
        }

        /// <summary>The current runspace's trackers (a runspace-less caller gets a holder of its own).</summary>
        public static RunspaceTrackers Current
        {
            get
            {
                var runspace = Runspace.DefaultRunspace;
                return runspace == null ? new RunspaceTrackers() : ByRunspace.GetValue(runspace, Create);
            }
        }

        public void Warning(TaskOutputTracker tracker, string message) => _warnings.Add(message);

        /// <summary>Takes every queued warning, oldest first (and how many were left out when too many waited).</summary>
        public IEnumerable<string> TakeWarnings() => _warnings.TakeAll();

        private static RunspaceTrackers Create(Runspace runspace)
        {
            var trackers = new RunspaceTrackers();

            // Closing: raised on the thread that closes the runspace, before it is gone, so the final flushes can still
            // run (bounded by ShutdownFlushTimeout). Closed and Broken catch a runspace that skipped Closing.
            runspace.StateChanged += trackers.OnStateChanged;
            return trackers;
        }

        private void OnStateChanged(object sender, RunspaceStateEventArgs args)
        {
            var state = args.RunspaceStateInfo.State;
            if (state != RunspaceState.Closing && state != RunspaceState.Closed && state != RunspaceState.Broken)
            {
                return;
            }

            if (Interlocked.Exchange(ref _closed, 1) != 0 || OutputTracking.GetRunning(this).Count == 0)
            {
                return;
            }

            // Nobody will drain the queue now: the warnings and any failure go to the console, the only channel left.
            var stopped = OutputTracking.StopAllForShutdown(this, TrackingDefaults.ShutdownFlushTimeout);
            OutputTracking.ReportShutdownFailures(stopped, "its PowerShell runspace closed", Console.Error);
        }
    }
}
