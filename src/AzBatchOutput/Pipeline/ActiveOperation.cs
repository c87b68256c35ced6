using System.Management.Automation;
using System.Threading;

namespace AzBatchOutput.Pipeline
{
    /// <summary>
    /// The engine operation a cmdlet is running right now, visible to the worker threads it started (AsyncLocal
    /// flows into them). Workers use it to ask the pipeline thread to run PowerShell for them, such as
    /// Get-AzAccessToken when a token nears expiry: only that thread may touch the runspace.
    /// </summary>
    internal sealed class ActiveOperation
    {
        private static readonly AsyncLocal<ActiveOperation> CurrentValue = new AsyncLocal<ActiveOperation>();

        private ActiveOperation(PSCmdlet cmdlet, QueuedSink sink)
        {
            Cmdlet = cmdlet;
            Sink = sink;
            PipelineThreadId = Thread.CurrentThread.ManagedThreadId;
        }

        public static ActiveOperation Current => CurrentValue.Value;

        public PSCmdlet Cmdlet { get; }

        public QueuedSink Sink { get; }

        public int PipelineThreadId { get; }

        public bool IsPipelineThread => Thread.CurrentThread.ManagedThreadId == PipelineThreadId;

        /// <summary>Makes this operation current on the pipeline thread (and so in every task it starts) until disposed.</summary>
        public static Scope Begin(PSCmdlet cmdlet, QueuedSink sink)
        {
            var previous = CurrentValue.Value;
            CurrentValue.Value = new ActiveOperation(cmdlet, sink);
            return new Scope(previous);
        }

        internal readonly struct Scope : System.IDisposable
        {
            private readonly ActiveOperation _previous;

            public Scope(ActiveOperation previous) => _previous = previous;

            public void Dispose() => CurrentValue.Value = _previous;
        }
    }
}
