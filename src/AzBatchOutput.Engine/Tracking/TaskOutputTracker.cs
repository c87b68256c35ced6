using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using AzBatchOutput.Storage;

namespace AzBatchOutput.Tracking
{
    /// <summary>
    /// Mirrors one growing local file (a log) into an append blob under the conventions name, while the file is written.
    /// One loop per tracker, so flushes never overlap: every interval it sends exactly the bytes the file gained since the
    /// last flush (up to the length read at the flush's start), in appends of at most 4 MiB, each conditional on the
    /// blob's length, so nothing is sent into the blob twice or skipped. Every public member is safe to print.
    /// </summary>
    public sealed class TaskOutputTracker
    {
        private const int MaxRestartsPerFlush = 3;

        private readonly object _gate = new object();
        private readonly AppendTarget _target;
        private readonly int _compactAt = TrackingDefaults.CompactAtBlocks;
        private readonly ITrackerEvents _events;
        private readonly SentFingerprint _sent = new SentFingerprint(TrackingDefaults.FingerprintBytes);
        private readonly CancellationTokenSource _abort = new CancellationTokenSource();
        private readonly SemaphoreSlim _stopSignal = new SemaphoreSlim(0, 1);
        private readonly TaskCompletionSource<bool> _completion = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);

        private byte[] _buffer;
        private bool _stopRequested;
        private TimeSpan _grace;
        private TrackerState _state;
        private DateTimeOffset? _lastFlush;
        private BatchOutputException _lastError;
        private long _bytesUploaded;
        private long _blobLength;
        private long _flushCount;
        private long _failedFlushCount;
        private long _restartCount;
        private int _failureStreak;
        private string _lastWarnedErrorId;
        private bool _fileSeen;
        private bool _missingWarned;

        internal TaskOutputTracker(TrackingRequest request, string containerName, string blobName, string key)
        {
            JobId = request.JobId;
            TaskId = request.TaskId;
            Kind = request.Kind.Name;
            Path = request.Path;
            LocalPath = request.LocalPath;
            ContainerName = containerName;
            BlobName = blobName;
            FlushInterval = request.FlushInterval;
            Owner = request.Owner;
            Key = key;
            _events = request.Events;
            _target = new AppendTarget(request.Context, containerName, blobName, ContentTypeMap.FromPath(request.Path));
            Uri = _target.Uri;
            Started = DateTimeOffset.UtcNow;
            _state = TrackerState.WaitingForFile;
        }

        public string JobId { get; }

        public string TaskId { get; }

        public string Kind { get; }

        /// <summary>The path under the kind's folder, '/'-separated, as in the blob name.</summary>
        public string Path { get; }

        /// <summary>The full path of the tracked local file.</summary>
        public string LocalPath { get; }

        public string ContainerName { get; }

        public string BlobName { get; }

        /// <summary>The blob's address without any query string, so never a SAS signature.</summary>
        public Uri Uri { get; }

        public TimeSpan FlushInterval { get; }

        public DateTimeOffset Started { get; }

        public TrackerState State
        {
            get
            {
                lock (_gate)
                {
                    return _state;
                }
            }
        }

        /// <summary>Bytes appended to the blob by this tracker in all (a restarted blob's bytes count again).</summary>
        public long BytesUploaded => Interlocked.Read(ref _bytesUploaded);

        /// <summary>Bytes the blob holds now: the length of the file that has been mirrored.</summary>
        public long BlobLength => Interlocked.Read(ref _blobLength);

        /// <summary>Flushes that sent new bytes (each is one or more appends of at most 4 MiB).</summary>
        public long FlushCount => Interlocked.Read(ref _flushCount);

        /// <summary>Flushes that failed and were retried at the next interval.</summary>
        public long FailedFlushCount => Interlocked.Read(ref _failedFlushCount);

        /// <summary>How often the blob was started again because the file was truncated or replaced, or the blob lost.</summary>
        public long RestartCount => Interlocked.Read(ref _restartCount);

        /// <summary>When a flush last succeeded: the blob then held everything the file had when that flush began.</summary>
        public DateTimeOffset? LastFlush
        {
            get
            {
                lock (_gate)
                {
                    return _lastFlush;
                }
            }
        }

        /// <summary>The most recent failure's message (kept after a later flush succeeds; see State), or null.</summary>
        public string LastError
        {
            get
            {
                lock (_gate)
                {
                    return _lastError?.Message;
                }
            }
        }

        /// <summary>The stable error id of <see cref="LastError"/>, e.g. StoragePermissionDenied.</summary>
        public string LastErrorId
        {
            get
            {
                lock (_gate)
                {
                    return _lastError?.ErrorId;
                }
            }
        }

        /// <summary>True until the tracker has stopped (its final flush done, failed or cancelled).</summary>
        public bool IsRunning => !_completion.Task.IsCompleted;

        internal object Owner { get; }

        internal string Key { get; }

        /// <summary>Completes (never faults) when the tracker has stopped.</summary>
        internal Task Completion => _completion.Task;

        /// <summary>The most recent failure, for an error record; null when there was none.</summary>
        public BatchOutputException GetLastError()
        {
            lock (_gate)
            {
                return _lastError;
            }
        }

        /// <summary>
        /// Stops the tracker: waits up to <paramref name="gracePeriod"/> for the file to stop growing, does the final flush and
        /// completes when done. Calling it again, or on a stopped tracker, just waits for the same end (the first grace period
        /// wins). Cancelling <paramref name="cancellationToken"/> abandons the final flush. Never throws: a failed final flush
        /// leaves State Failed and LastError set.
        /// </summary>
        public Task StopAsync(TimeSpan gracePeriod, CancellationToken cancellationToken)
        {
            RequestStop(gracePeriod);
            if (cancellationToken.CanBeCanceled && !Completion.IsCompleted)
            {
                var registration = cancellationToken.Register(Abort);
                Completion.ContinueWith(_ => registration.Dispose(), TaskScheduler.Default);
            }

            return Completion;
        }

        public override string ToString() => $"{LocalPath} -> {BlobName} ({State})";

        internal void RequestStop(TimeSpan gracePeriod)
        {
            lock (_gate)
            {
                if (_stopRequested)
                {
                    return;
                }

                _stopRequested = true;
                _grace = gracePeriod < TimeSpan.Zero ? TimeSpan.Zero : gracePeriod;
            }

            _stopSignal.Release();
        }

        /// <summary>Cancels whatever is in flight and ends the tracker without (further) final flush.</summary>
        internal void Abort()
        {
            try
            {
                _abort.Cancel();
            }
            catch (ObjectDisposedException)
            {
            }
        }

        /// <summary>Creates the blob, replacing an earlier attempt's; called once, before the loop starts.</summary>
        internal async Task PrepareAsync(CancellationToken cancellationToken)
        {
            ReplaceResult result;
            try
            {
                result = await _target.CreateOrReplaceAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (!(ex is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                throw StorageErrors.Translate(ex, "create the append blob for", $"'{LocalPath}' ('{BlobName}')", _target.Context, cancellationToken, LocalPath);
            }

            if (result.Replaced && result.EarlierLength != 0)
            {
                var what = result.EarlierLength.HasValue
                    ? $"already held {result.EarlierLength.Value:N0} bytes"
                    : "already existed (its size cannot be read with this credential)";
                Warn($"'{BlobName}' {what} from an earlier attempt of task '{TaskId}' (a retried task, or tracking started again): " +
                     $"they were replaced, and the blob now holds this attempt's '{System.IO.Path.GetFileName(LocalPath)}' only.");
            }
        }

        /// <summary>Starts the background loop.</summary>
        internal void Launch()
        {
            // The loop outlives the command that started it, so it must not carry that command's ambient (async-local)
            // state, such as the running cmdlet that token requests are routed to.
            using (ExecutionContext.SuppressFlow())
            {
                Task.Run(RunAsync);
            }
        }

        private async Task RunAsync()
        {
            var abort = _abort.Token;
            try
            {
                var first = true;
                while (true)
                {
                    if (!first && await _stopSignal.WaitAsync(FlushInterval, abort).ConfigureAwait(false))
                    {
                        break;
                    }

                    first = false;
                    await TryFlushAsync(abort, final: false).ConfigureAwait(false);
                    lock (_gate)
                    {
                        if (_stopRequested)
                        {
                            break;
                        }
                    }
                }

                TimeSpan grace;
                lock (_gate)
                {
                    grace = _grace;
                    _state = TrackerState.Stopping;
                }

                await SettleAsync(grace, abort).ConfigureAwait(false);
                if (await TryFlushAsync(abort, final: true).ConfigureAwait(false))
                {
                    SetState(TrackerState.Stopped);
                }
                else
                {
                    SetState(TrackerState.Failed);
                }
            }
            catch (OperationCanceledException) when (abort.IsCancellationRequested)
            {
                RecordError(new BatchOutputException("TrackingAborted", FailureCategory.OperationStopped,
                    $"Tracking of '{LocalPath}' was cancelled before its final flush; '{BlobName}' holds the first {BlobLength:N0} bytes " +
                    "that were uploaded and may lack the file's end.", LocalPath));
                SetState(TrackerState.Failed);
            }
            catch (Exception unexpected)
            {
                RecordError(StorageErrors.Translate(unexpected, "track", $"'{LocalPath}'", _target.Context, targetObject: LocalPath));
                SetState(TrackerState.Failed);
            }
            finally
            {
                _buffer = null;
                OutputTracking.Unregister(this);
                _completion.TrySetResult(true);
            }
        }

        /// <summary>
        /// One flush; a failure is recorded and, unless this is the final flush (whose failure the caller reports as an error),
        /// warned about once per streak and left for the next interval.
        /// </summary>
        private async Task<bool> TryFlushAsync(CancellationToken cancellationToken, bool final)
        {
            try
            {
                await FlushAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception ex)
            {
                var error = StorageErrors.Translate(ex, "flush", $"'{LocalPath}' to '{BlobName}'", _target.Context, cancellationToken, LocalPath);
                Interlocked.Increment(ref _failedFlushCount);
                RecordError(error);
                bool warn;
                lock (_gate)
                {
                    warn = _failureStreak == 0 || !string.Equals(_lastWarnedErrorId, error.ErrorId, StringComparison.Ordinal);
                    _failureStreak++;
                    _lastWarnedErrorId = error.ErrorId;
                    if (!_stopRequested)
                    {
                        _state = TrackerState.Retrying;
                    }
                }

                if (warn && !final)
                {
                    Warn($"{error.Message} ({error.ErrorId}) It is retried every {Describe(FlushInterval)}; nothing is dropped.");
                }

                return false;
            }

            int recovered;
            lock (_gate)
            {
                recovered = _failureStreak;
                _failureStreak = 0;
                _lastWarnedErrorId = null;
            }

            if (recovered > 0)
            {
                Warn($"Flushing '{LocalPath}' to '{BlobName}' works again after {recovered} failed attempt(s); the blob is up to date.");
            }

            return true;
        }

        private async Task FlushAsync(CancellationToken cancellationToken)
        {
            using (var file = TrackedFile.TryOpen(LocalPath))
            {
                if (file == null)
                {
                    NoteMissingFile();
                    return;
                }

                NoteFilePresent();

                // The length now is what this flush sends: bytes written while it runs wait for the next one.
                var snapshot = file.Length;
                var mismatch = await _sent.FindMismatchAsync(file, snapshot, cancellationToken).ConfigureAwait(false);
                if (mismatch != null)
                {
                    Warn($"'{LocalPath}' {mismatch}. '{BlobName}' is started again with the file's current content " +
                         $"({snapshot:N0} bytes), replacing the {_sent.Sent:N0} bytes uploaded before.");
                    await RestartAsync(cancellationToken).ConfigureAwait(false);
                }

                var restarts = 0;
                var sentAny = false;
                while (_sent.Sent < snapshot)
                {
                    var position = _sent.Sent;
                    var want = (int)Math.Min(TrackingDefaults.MaxAppendBytes, snapshot - position);
                    var buffer = Buffer(want);
                    file.Position = position;
                    var got = await TrackedFile.ReadFullyAsync(file, buffer, want, cancellationToken).ConfigureAwait(false);
                    if (got == 0)
                    {
                        break; // shrank since the snapshot: the next flush sees the truncation
                    }

                    var outcome = await _target.AppendAsync(buffer, got, position, cancellationToken).ConfigureAwait(false);
                    switch (outcome)
                    {
                        case AppendOutcome.Appended:
                        case AppendOutcome.AlreadyAppended:
                            _sent.Add(buffer, got);
                            Interlocked.Add(ref _bytesUploaded, got);
                            Interlocked.Exchange(ref _blobLength, _sent.Sent);
                            sentAny = true;
                            if (_target.CommittedBlocks >= _compactAt)
                            {
                                CheckRestarts(++restarts);
                                await CompactAsync(cancellationToken).ConfigureAwait(false);
                            }

                            break;
                        case AppendOutcome.BlockLimitReached:
                            CheckRestarts(++restarts);
                            await CompactAsync(cancellationToken).ConfigureAwait(false);
                            break;
                        case AppendOutcome.BlobMissing:
                            CheckRestarts(++restarts);
                            Warn($"'{BlobName}' disappeared (deleted, or its container re-created): it is created again and " +
                                 $"'{LocalPath}' uploaded from its start.");
                            await RestartAsync(cancellationToken).ConfigureAwait(false);
                            break;
                        case AppendOutcome.Unconfirmed:
                            CheckRestarts(++restarts);
                            Warn($"An append to '{BlobName}' may have landed before its answer was lost, and this credential may not read " +
                                 $"the blob's length to tell (a SAS without read): it is created again and '{LocalPath}' uploaded from its " +
                                 "start, so that no byte is doubled.");
                            await RestartAsync(cancellationToken).ConfigureAwait(false);
                            break;
                        default:
                            CheckRestarts(++restarts);
                            Warn($"'{BlobName}' was changed by something other than this tracker (it is not {position:N0} bytes long, " +
                                 $"as this tracker left it): it is created again and '{LocalPath}' uploaded from its start.");
                            await RestartAsync(cancellationToken).ConfigureAwait(false);
                            break;
                    }
                }

                if (sentAny)
                {
                    Interlocked.Increment(ref _flushCount);
                }

                lock (_gate)
                {
                    _lastFlush = DateTimeOffset.UtcNow;
                    if (!_stopRequested)
                    {
                        _state = TrackerState.Tracking;
                    }
                }
            }
        }

        /// <summary>
        /// An append blob takes at most 50,000 appends: near that, it is written again from the file in appends of up to
        /// 4 MiB (a 1 GB log in 250), and the loop goes on from there.
        /// </summary>
        private Task CompactAsync(CancellationToken cancellationToken)
        {
            Warn($"'{BlobName}' holds {Math.Max(_target.CommittedBlocks, _compactAt):N0} appends, near the {TrackingDefaults.AppendBlobBlockLimit:N0} " +
                 $"that an append blob can take: it is written again from '{LocalPath}' in appends of up to 4 MiB (readers see it " +
                 "shorter meanwhile), and tracking goes on.");
            return RestartAsync(cancellationToken);
        }

        private async Task RestartAsync(CancellationToken cancellationToken)
        {
            await _target.RecreateAsync(cancellationToken).ConfigureAwait(false);
            _sent.Reset();
            Interlocked.Exchange(ref _blobLength, 0);
            Interlocked.Increment(ref _restartCount);
        }

        private void CheckRestarts(int restarts)
        {
            if (restarts > MaxRestartsPerFlush)
            {
                throw new BatchOutputException("TrackedBlobUnstable", FailureCategory.ResourceBusy,
                    $"'{BlobName}' keeps being deleted or changed by something other than this tracker ({restarts} times in one flush); " +
                    $"'{LocalPath}' is uploaded again at the next interval.", BlobName);
            }
        }

        /// <summary>Waits until the file's length has not changed for the settle time, or the grace period is over.</summary>
        private async Task SettleAsync(TimeSpan grace, CancellationToken cancellationToken)
        {
            if (grace <= TimeSpan.Zero)
            {
                return;
            }

            var clock = Stopwatch.StartNew();
            var last = SafeLength();
            var stableSince = TimeSpan.Zero;
            while (clock.Elapsed < grace)
            {
                var left = grace - clock.Elapsed;
                await Task.Delay(left < TrackingDefaults.SettlePollInterval ? left : TrackingDefaults.SettlePollInterval, cancellationToken).ConfigureAwait(false);
                var now = SafeLength();
                if (now != last)
                {
                    last = now;
                    stableSince = clock.Elapsed;
                }
                else if (clock.Elapsed - stableSince >= TrackingDefaults.SettleTime)
                {
                    return;
                }
            }
        }

        private long SafeLength()
        {
            try
            {
                return TrackedFile.LengthOrMissing(LocalPath);
            }
            catch (IOException)
            {
                return -2;
            }
            catch (UnauthorizedAccessException)
            {
                return -3;
            }
        }

        private void NoteMissingFile()
        {
            bool warn;
            lock (_gate)
            {
                warn = _fileSeen && !_missingWarned;
                _missingWarned |= warn;
                if (!_stopRequested)
                {
                    _state = TrackerState.WaitingForFile;
                }
            }

            if (warn)
            {
                Warn($"'{LocalPath}' no longer exists; '{BlobName}' keeps the {BlobLength:N0} bytes uploaded. Tracking goes on when a file " +
                     "of that name appears again (from its start if it is a new file).");
            }
        }

        private void NoteFilePresent()
        {
            lock (_gate)
            {
                _fileSeen = true;
                _missingWarned = false;
            }
        }

        private byte[] Buffer(int size)
        {
            if (_buffer == null || _buffer.Length < size)
            {
                // Grow to the next power of two, so a log that speeds up does not reallocate every flush.
                var length = 64 * 1024;
                while (length < size)
                {
                    length *= 2;
                }

                _buffer = new byte[Math.Min(length, TrackingDefaults.MaxAppendBytes)];
            }

            return _buffer;
        }

        private void RecordError(BatchOutputException error)
        {
            lock (_gate)
            {
                _lastError = error;
            }
        }

        private void SetState(TrackerState state)
        {
            lock (_gate)
            {
                _state = state;
            }
        }

        private void Warn(string message)
        {
            try
            {
                _events?.Warning(this, message);
            }
            catch (Exception)
            {
                // A reporting failure must never stop the tracking itself.
            }
        }

        internal static string Describe(TimeSpan interval) =>
            interval.TotalSeconds < 60 && interval.TotalSeconds == Math.Floor(interval.TotalSeconds)
                ? interval.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s"
                : interval.ToString("c", CultureInfo.InvariantCulture);
    }
}
