namespace AzBatchOutput.Storage
{
    /// <summary>
    /// What an engine operation reports while it runs. Engine workers call it from any thread; the cmdlet's
    /// implementation queues each call and writes it on the pipeline thread.
    /// </summary>
    public interface IOperationSink
    {
        void Output(object item);

        /// <summary>A failure of one item; the operation goes on with the others.</summary>
        void Error(BatchOutputException error);

        void Warning(string message);

        void Verbose(string message);

        void Progress(TransferProgress progress);
    }
}
