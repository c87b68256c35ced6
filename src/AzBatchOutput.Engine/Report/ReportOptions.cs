using System;
using System.Threading;
using System.Threading.Tasks;
using AzBatchOutput.Storage;

namespace AzBatchOutput.Report
{
    /// <summary>What a job's report reads besides the listing: log tails, preview images, download links.</summary>
    public sealed class ReportOptions
    {
        public const int DefaultLogTailLines = 20;

        public const int MaxLogTailLines = 1000;

        /// <summary>A larger image is listed but not inlined.</summary>
        public const int DefaultMaxPreviewBytes = 2 * 1024 * 1024;

        /// <summary>All inlined images together: keeps a report of thousands of tasks a page a browser can open.</summary>
        public const long DefaultPreviewBudgetBytes = 48L * 1024 * 1024;

        public static readonly TimeSpan DefaultLinkLifetime = TimeSpan.FromHours(1);

        /// <summary>A link must outlive the time it takes to open the page: anything shorter is a mistake (seconds typed as ticks, say).</summary>
        public static readonly TimeSpan MinLinkLifetime = TimeSpan.FromMinutes(1);

        /// <summary>Lines at the end of each TaskLog file to show; 0 shows none and reads no log.</summary>
        public int LogTailLines { get; set; } = DefaultLogTailLines;

        public bool IncludePreviews { get; set; }

        public bool IncludeDownloadLinks { get; set; }

        /// <summary>How long the download links work, from when the report is made.</summary>
        public TimeSpan LinkLifetime { get; set; } = DefaultLinkLifetime;

        /// <summary>How many blobs are read (or links signed) at once.</summary>
        public int ThrottleLimit { get; set; } = BoundedParallel.DefaultLimit;

        public int MaxPreviewBytes { get; set; } = DefaultMaxPreviewBytes;

        public long PreviewBudgetBytes { get; set; } = DefaultPreviewBudgetBytes;
    }

    /// <summary>Signs a short-lived read link for one output (a seam, so the report's logic is testable without a key).</summary>
    internal interface IReportLinkIssuer
    {
        Task<Uri> GetReadUriAsync(BatchOutputFile file, DateTimeOffset expiresOn, CancellationToken cancellationToken);
    }

    /// <summary>Links signed by <see cref="SasIssuer"/>: with the account key, or a user-delegation key under Entra ID.</summary>
    internal sealed class SasLinkIssuer : IReportLinkIssuer
    {
        public Task<Uri> GetReadUriAsync(BatchOutputFile file, DateTimeOffset expiresOn, CancellationToken cancellationToken) =>
            SasIssuer.GetBlobReadUriAsync(file.Context, file.ContainerName, file.BlobName, expiresOn, cancellationToken);
    }
}
