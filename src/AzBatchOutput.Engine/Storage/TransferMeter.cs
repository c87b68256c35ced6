using System;
using System.Diagnostics;
using System.Threading;

namespace AzBatchOutput.Storage
{
    /// <summary>
    /// Counts files and bytes of a transfer from many workers and reports progress at most four times a
    /// second, so the pipeline thread is never flooded.
    /// </summary>
    internal sealed class TransferMeter
    {
        private static readonly long ReportEveryTicks = Stopwatch.Frequency / 4;
        private readonly IOperationSink _sink;
        private readonly string _activity;
        private readonly int _filesTotal;
        private readonly long _bytesTotal;
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _bytesDone;
        private int _filesDone;
        private long _lastReport = -ReportEveryTicks;

        public TransferMeter(IOperationSink sink, string activity, int filesTotal, long bytesTotal)
        {
            _sink = sink;
            _activity = activity;
            _filesTotal = filesTotal;
            _bytesTotal = bytesTotal;
        }

        /// <summary>A per-file progress handler: the SDK reports cumulative bytes of one blob.</summary>
        public IProgress<long> ForFile(string name) => new FileProgress(this, name);

        public void FileDone(string name)
        {
            Interlocked.Increment(ref _filesDone);
            Report(name, force: false);
        }

        public void Complete() => _sink.Progress(Snapshot(null, completed: true));

        private void AddBytes(long delta, string name)
        {
            Interlocked.Add(ref _bytesDone, delta);
            Report(name, force: false);
        }

        private void Report(string name, bool force)
        {
            var now = _clock.ElapsedTicks;
            var last = Interlocked.Read(ref _lastReport);
            if (!force && now - last < ReportEveryTicks)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _lastReport, now, last) == last)
            {
                _sink.Progress(Snapshot(name, completed: false));
            }
        }

        private TransferProgress Snapshot(string name, bool completed)
        {
            var seconds = _clock.Elapsed.TotalSeconds;
            var bytes = Interlocked.Read(ref _bytesDone);
            return new TransferProgress
            {
                Activity = _activity,
                CurrentItem = name,
                FilesDone = Volatile.Read(ref _filesDone),
                FilesTotal = _filesTotal,
                BytesDone = bytes,
                BytesTotal = _bytesTotal,
                BytesPerSecond = seconds > 0 ? bytes / seconds : 0,
                Completed = completed,
            };
        }

        private sealed class FileProgress : IProgress<long>
        {
            private readonly TransferMeter _meter;
            private readonly string _name;
            private long _seen;

            public FileProgress(TransferMeter meter, string name)
            {
                _meter = meter;
                _name = name;
            }

            public void Report(long value)
            {
                // A retried request reports from zero again; count only growth so totals never exceed the truth.
                var before = Interlocked.Exchange(ref _seen, Math.Max(value, Interlocked.Read(ref _seen)));
                if (value > before)
                {
                    _meter.AddBytes(value - before, _name);
                }
            }
        }
    }
}
