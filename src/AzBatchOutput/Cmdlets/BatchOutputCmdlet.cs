using System;
using System.Management.Automation;
using System.Threading;
using System.Threading.Tasks;
using AzBatchOutput.Pipeline;
using AzBatchOutput.Resolution;
using AzBatchOutput.Storage;

namespace AzBatchOutput.Cmdlets
{
    /// <summary>
    /// What every cmdlet shares: -Context, cancellation on Ctrl+C, and running engine work on worker threads while
    /// writing its results, errors and progress on the pipeline thread.
    /// </summary>
    public abstract class BatchOutputCmdlet : PSCmdlet, IDisposable
    {
        private static readonly TimeSpan AbandonedWorkWait = TimeSpan.FromSeconds(5);

        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();

        /// <summary>The storage to use (this module's context or an Az.Storage context); defaults to the session's Connect-BatchOutputStorage choice, the node's environment, or the current Az context's storage account.</summary>
        [Parameter]
        [ValidateNotNull]
        [AzContext.StorageContextTransformation]
        public BatchOutputStorageContext Context { get; set; }

        protected CancellationToken StopToken => _stopping.Token;

        public void Dispose() => _stopping.Dispose();

        protected override void StopProcessing() => _stopping.Cancel();

        /// <summary>
        /// The storage this call uses. Finding none (or an unusable one in the node's environment or the Az context) is a
        /// problem of the whole call, not of one record: a terminating error, which stops the command (try/catch catches it)
        /// instead of repeating the same error for each of many piped tasks.
        /// </summary>
        protected BatchOutputStorageContext ResolveContext()
        {
            try
            {
                return StorageResolver.Resolve(Context, this);
            }
            catch (BatchOutputException error)
            {
                ThrowTerminatingError(ErrorRecords.From(error));
                return null;
            }
        }

        protected void WriteEngineError(BatchOutputException error) => WriteError(ErrorRecords.From(error));

        /// <summary>Runs one pipeline record's work; an engine error fails that record only, as PowerShell users expect.</summary>
        protected void ForRecord(Action body)
        {
            try
            {
                body();
            }
            catch (BatchOutputException error)
            {
                WriteEngineError(error);
            }
        }

        protected void RunOperation(Func<IOperationSink, CancellationToken, Task> operation) =>
            RunOperation<object>(async (sink, ct) =>
            {
                await operation(sink, ct).ConfigureAwait(false);
                return null;
            });

        /// <summary>Whether WriteVerbose would show anything: -Verbose, or $VerbosePreference other than SilentlyContinue or Ignore.</summary>
        private bool WantsVerbose()
        {
            if (MyInvocation.BoundParameters.TryGetValue("Verbose", out var given) && given is SwitchParameter verbose)
            {
                return verbose.IsPresent;
            }

            // A script may hold the preference as text ('Continue').
            var preference = LanguagePrimitives.TryConvertTo<ActionPreference>(GetVariableValue("VerbosePreference"), out var value) ? value : ActionPreference.Continue;
            return preference != ActionPreference.SilentlyContinue && preference != ActionPreference.Ignore;
        }

        protected T RunOperation<T>(Func<IOperationSink, CancellationToken, Task<T>> operation)
        {
            using (var cancel = CancellationTokenSource.CreateLinkedTokenSource(StopToken))
            using (var sink = new QueuedSink { VerboseWanted = WantsVerbose() })
            using (ActiveOperation.Begin(this, sink))
            {
                var work = Task.Run(() => operation(sink, cancel.Token), cancel.Token);
                work.ContinueWith(_ => sink.Complete(), TaskScheduler.Default);
                var drained = false;
                try
                {
                    foreach (var write in sink.Drain())
                    {
                        write(this);
                    }

                    drained = true;
                }
                finally
                {
                    if (!drained)
                    {
                        // A write threw (-ErrorAction Stop on an error, Ctrl+C, a pipeline that wants no more): the command
                        // ends here, so its work must not go on unseen. Cancel it, answer no more of its requests, and give
                        // it a moment to clean up after itself (a download's partial file).
                        cancel.Cancel();
                        sink.Abandon();
                        try
                        {
                            work.Wait(AbandonedWorkWait);
                        }
                        catch (AggregateException)
                        {
                            // Its own failure is not news: the write that threw is what the caller sees.
                        }
                    }
                }

                try
                {
                    return work.GetAwaiter().GetResult();
                }
                catch (OperationCanceledException) when (StopToken.IsCancellationRequested)
                {
                    throw new PipelineStoppedException();
                }
                catch (BatchOutputException stopped) when (StopToken.IsCancellationRequested && stopped.Category == FailureCategory.OperationStopped)
                {
                    throw new PipelineStoppedException(); // Ctrl+C: stop the pipeline, don't report an error
                }
            }
        }
    }
}
