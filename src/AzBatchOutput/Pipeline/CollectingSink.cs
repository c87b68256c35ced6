using System.Collections.Generic;
using AzBatchOutput.Storage;

namespace AzBatchOutput.Pipeline
{
    /// <summary>Passes everything through to the cmdlet's sink but keeps the outputs, for a command that reports them itself.</summary>
    internal sealed class CollectingSink<T> : IOperationSink
    {
        private readonly IOperationSink _inner;
        private readonly List<T> _items = new List<T>();

        public CollectingSink(IOperationSink inner) => _inner = inner;

        public IReadOnlyList<T> Items
        {
            get
            {
                lock (_items)
                {
                    return _items.ToArray();
                }
            }
        }

        public void Output(object item)
        {
            if (item is T kept)
            {
                lock (_items)
                {
                    _items.Add(kept);
                }
            }
            else
            {
                _inner.Output(item);
            }
        }

        public void Error(BatchOutputException error) => _inner.Error(error);

        public void Warning(string message) => _inner.Warning(message);

        public void Verbose(string message) => _inner.Verbose(message);

        public void Progress(TransferProgress progress) => _inner.Progress(progress);
    }
}
