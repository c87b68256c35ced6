using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AzBatchOutput.Conventions;
using AzBatchOutput.Storage;

namespace AzBatchOutput.Report
{
    /// <summary>
    /// Reads what a job's report shows: one listing of the job's container, then, in parallel and each bounded, the
    /// end of every TaskLog file, the preview images and the download links that were asked for.
    /// </summary>
    public static class ReportCollector
    {
        private const string TaskLogKind = "TaskLog";
        private const int MinLogWindowBytes = 8 * 1024;
        private const int MaxLogWindowBytes = 1024 * 1024;
        private const int BytesPerLogLine = 256;

        public static Task<JobReport> CollectAsync(BatchOutputStorageContext context, string jobId, ReportOptions options, IOperationSink sink, CancellationToken cancellationToken) =>
            CollectAsync(context, jobId, options, new SasLinkIssuer(), sink, cancellationToken);

        internal static async Task<JobReport> CollectAsync(
            BatchOutputStorageContext context, string jobId, ReportOptions options, IReportLinkIssuer links, IOperationSink sink, CancellationToken cancellationToken)
        {
            options = options ?? new ReportOptions();
            Validate(options);
            var containerName = ContainerNaming.GetContainerName(jobId);
            var now = DateTimeOffset.UtcNow;
            var report = new JobReport
            {
                JobId = jobId,
                ContainerName = containerName,
                ContainerUri = StorageContexts.WithoutQuery(context.GetContainerClient(containerName).Uri),
                StorageAccountName = context.StorageAccountName,
                GeneratedAt = now,
                LogTailLines = options.LogTailLines,
                PreviewsIncluded = options.IncludePreviews,
                LinksIncluded = options.IncludeDownloadLinks,
                LinksExpireOn = options.IncludeDownloadLinks ? now + options.LinkLifetime : (DateTimeOffset?)null,
            };

            var entries = new List<Entry>();
            await OutputCatalog.ListAsync(context, new OutputQuery { JobId = jobId, Scope = OutputScope.Job }, f => entries.Add(new Entry(f)), cancellationToken).ConfigureAwait(false);
            var jobCount = entries.Count;
            await OutputCatalog.ListAsync(context, new OutputQuery { JobId = jobId, Scope = OutputScope.Task }, f => entries.Add(new Entry(f)), cancellationToken).ConfigureAwait(false);
            sink.Verbose($"Job '{jobId}' has {jobCount} job output(s) and {entries.Count - jobCount} task output(s) in container '{containerName}'.");

            report.JobFiles.AddRange(entries.Take(jobCount).Select(e => e.Shown));
            foreach (var task in entries.Skip(jobCount).GroupBy(e => e.File.TaskId, StringComparer.Ordinal))
            {
                var taskReport = new TaskReport { TaskId = task.Key };
                taskReport.Files.AddRange(task.Select(e => e.Shown));
                report.Tasks.Add(taskReport);
            }

            // In the order the page shows them, so the preview budget goes to what a reader sees first.
            var ordered = entries.Take(jobCount).OrderBy(e => e.Shown, Comparer<ReportFile>.Create(ReportFormat.CompareFiles))
                .Concat(entries.Skip(jobCount).OrderBy(e => e.File.TaskId, NaturalComparer.Instance).ThenBy(e => e.Shown, Comparer<ReportFile>.Create(ReportFormat.CompareFiles)))
                .ToList();

            if (options.IncludeDownloadLinks)
            {
                await SignLinksAsync(ordered, report.LinksExpireOn.Value, links, options.ThrottleLimit, cancellationToken).ConfigureAwait(false);
            }

            var reads = Plan(report, ordered, options);
            if (reads.Count > 0)
            {
                await ReadAllAsync(report, reads, options, sink, cancellationToken).ConfigureAwait(false);
            }

            return report;
        }

        private static void Validate(ReportOptions options)
        {
            if (options.LogTailLines < 0 || options.LogTailLines > ReportOptions.MaxLogTailLines)
            {
                throw new BatchOutputException("InvalidLogTailLines", FailureCategory.InvalidArgument,
                    $"-LogTailLines {options.LogTailLines} is out of range: give 0 (no log tails) to {ReportOptions.MaxLogTailLines}.", options.LogTailLines);
            }

            if (options.IncludeDownloadLinks && (options.LinkLifetime < ReportOptions.MinLinkLifetime || options.LinkLifetime > SasIssuer.MaxLifetime))
            {
                throw new BatchOutputException("InvalidLinkExpiry", FailureCategory.InvalidArgument,
                    $"-LinkExpiry {options.LinkLifetime} is out of range: download links last at least a minute and at most {SasIssuer.MaxLifetime.TotalDays:0} days " +
                    "(a number is seconds, e.g. 3600, or give a TimeSpan such as '02:00:00'). " +
                    "Keep them short: anyone holding the report can read the files until they expire.", options.LinkLifetime);
            }
        }

        private static async Task SignLinksAsync(List<Entry> entries, DateTimeOffset expiresOn, IReportLinkIssuer links, int throttleLimit, CancellationToken cancellationToken)
        {
            using (var failed = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                Exception first = null;
                var signing = BoundedParallel.ForEachAsync(entries, throttleLimit, async (entry, ct) =>
                {
                    try
                    {
                        entry.Shown.DownloadUri = await links.GetReadUriAsync(entry.File, expiresOn, ct).ConfigureAwait(false);
                    }
                    catch (Exception ex) when (!(ex is OperationCanceledException && ct.IsCancellationRequested))
                    {
                        // One refusal (a SAS context, no key) would repeat for every file: stop at the first.
                        Interlocked.CompareExchange(ref first, ex, null);
                        failed.Cancel();
                    }
                }, failed.Token);
                try
                {
                    await signing.ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (first != null && !cancellationToken.IsCancellationRequested)
                {
                    // Stopped by the first refusal, reported below.
                }

                cancellationToken.ThrowIfCancellationRequested();
                if (first != null)
                {
                    throw first is BatchOutputException known ? known : StorageErrors.Translate(first, "sign download links for", "the report's files", null);
                }
            }
        }

        private static List<Read> Plan(JobReport report, List<Entry> ordered, ReportOptions options)
        {
            var reads = new List<Read>();
            long budget = options.PreviewBudgetBytes;
            int tooLarge = 0, overBudget = 0;
            foreach (var entry in ordered)
            {
                var file = entry.File;
                if (options.LogTailLines > 0 && file.Kind == TaskLogKind && !file.IsJobOutput)
                {
                    entry.Shown.LogTail = new ReportLogTail();
                    reads.Add(new Read(entry, isLog: true, expectedBytes: Math.Min(file.Length, InitialLogWindow(options.LogTailLines))));
                    continue;
                }

                var mediaType = options.IncludePreviews && PreviewImages.IsPreviewKind(file.Kind) ? PreviewImages.MediaTypeOf(file.ContentType, file.Path) : null;
                if (mediaType == null)
                {
                    continue;
                }

                var preview = entry.Shown.Preview = new ReportPreview { MediaType = mediaType };
                if (file.Length == 0)
                {
                    preview.Note = "The image is empty.";
                }
                else if (file.Length > options.MaxPreviewBytes)
                {
                    tooLarge++;
                    preview.Note = $"Not shown: {ReportFormat.Size(file.Length)} is over the {ReportFormat.Size(options.MaxPreviewBytes)} limit for inline previews.";
                }
                else if (file.Length > budget)
                {
                    overBudget++;
                    preview.Note = $"Not shown: the report's {ReportFormat.Size(options.PreviewBudgetBytes)} of inline previews is used up.";
                }
                else
                {
                    budget -= file.Length;
                    reads.Add(new Read(entry, isLog: false, expectedBytes: file.Length));
                }
            }

            if (tooLarge > 0 || overBudget > 0)
            {
                report.Notes.Add(
                    (tooLarge > 0 ? $"{ReportFormat.Plural(tooLarge, "preview image is", "preview images are")} over {ReportFormat.Size(options.MaxPreviewBytes)} and not shown inline. " : string.Empty) +
                    (overBudget > 0 ? $"{ReportFormat.Plural(overBudget, "preview image", "preview images")} did not fit in the report's {ReportFormat.Size(options.PreviewBudgetBytes)} of inline previews. " : string.Empty) +
                    "Download them with Get-BatchTaskOutput or Get-BatchJobOutput -Kind TaskPreview/JobPreview -Destination.");
            }

            return reads;
        }

        private static async Task ReadAllAsync(JobReport report, List<Read> reads, ReportOptions options, IOperationSink sink, CancellationToken cancellationToken)
        {
            var meter = new TransferMeter(sink, "Reading log tails and previews", reads.Count, reads.Sum(r => r.ExpectedBytes));
            var failures = 0;
            string firstFailure = null;
            await BoundedParallel.ForEachAsync(reads, options.ThrottleLimit, async (read, ct) =>
            {
                var file = read.Entry.File;
                try
                {
                    if (read.IsLog)
                    {
                        await ReadLogTailAsync(read.Entry, options.LogTailLines, meter, ct).ConfigureAwait(false);
                    }
                    else
                    {
                        await ReadPreviewAsync(read.Entry, options.MaxPreviewBytes, meter, ct).ConfigureAwait(false);
                    }

                    meter.FileDone(file.Path);
                }
                catch (BatchOutputException error) when (!ct.IsCancellationRequested)
                {
                    Interlocked.Increment(ref failures);
                    Interlocked.CompareExchange(ref firstFailure, error.Message, null);
                    sink.Verbose(error.Message);
                    var note = error.Message;
                    if (read.IsLog)
                    {
                        read.Entry.Shown.LogTail.Note = note;
                    }
                    else
                    {
                        read.Entry.Shown.Preview.Note = note;
                    }
                }
            }, cancellationToken).ConfigureAwait(false);
            meter.Complete();
            cancellationToken.ThrowIfCancellationRequested();

            if (failures > 0)
            {
                var what = ReportFormat.Plural(failures, "log or preview", "logs or previews");
                report.Notes.Add($"{what} could not be read; the report says which, beside each.");
                sink.Warning($"{what} of job '{report.JobId}' could not be read and are shown without content. First: {firstFailure}");
            }
        }

        /// <summary>
        /// The last lines of a log by ranged reads of its end: a window sized for the lines asked for, grown (up to
        /// 1 MiB) only while it holds fewer lines than that and more of the log lies before it.
        /// </summary>
        private static async Task ReadLogTailAsync(Entry entry, int lines, TransferMeter meter, CancellationToken cancellationToken)
        {
            var file = entry.File;
            var window = InitialLogWindow(lines);
            var progress = meter.ForFile(file.Path);
            while (true)
            {
                var slice = await OutputReader.ReadTailAsync(file, window, progress, cancellationToken).ConfigureAwait(false);
                var tail = LogTails.Extract(slice.Bytes, slice.Offset, slice.BlobLength, lines);
                if (tail.Lines.Count >= lines || slice.Offset == 0 || window >= MaxLogWindowBytes || tail.Note != null)
                {
                    entry.Shown.LogTail = tail;
                    return;
                }

                window = Math.Min(window * 4, MaxLogWindowBytes);
            }
        }

        private static async Task ReadPreviewAsync(Entry entry, int maxBytes, TransferMeter meter, CancellationToken cancellationToken)
        {
            var file = entry.File;
            var preview = entry.Shown.Preview;
            var slice = await OutputReader.ReadHeadAsync(file, maxBytes, meter.ForFile(file.Path), cancellationToken).ConfigureAwait(false);
            if (!slice.IsWhole)
            {
                preview.Note = $"Not shown: the image grew past the {ReportFormat.Size(maxBytes)} limit while the report was made.";
            }
            else if (!PreviewImages.LooksLike(preview.MediaType, slice.Bytes))
            {
                preview.Note = $"Not shown: the file is not a valid {preview.MediaType} image.";
            }
            else
            {
                preview.Bytes = slice.Bytes;
            }
        }

        private static int InitialLogWindow(int lines) => Math.Min(MaxLogWindowBytes, Math.Max(MinLogWindowBytes, lines * BytesPerLogLine));

        private sealed class Entry
        {
            public Entry(BatchOutputFile file)
            {
                File = file;
                Shown = new ReportFile
                {
                    Kind = file.Kind,
                    Path = file.Path,
                    BlobName = file.BlobName,
                    Uri = file.Uri,
                    Length = file.Length,
                    LastModified = file.LastModified,
                    ContentType = file.ContentType,
                };
            }

            public BatchOutputFile File { get; }

            public ReportFile Shown { get; }
        }

        private sealed class Read
        {
            public Read(Entry entry, bool isLog, long expectedBytes)
            {
                Entry = entry;
                IsLog = isLog;
                ExpectedBytes = expectedBytes;
            }

            public Entry Entry { get; }

            public bool IsLog { get; }

            public long ExpectedBytes { get; }
        }
    }
}
