using System;
using System.Collections.Generic;

namespace AzBatchOutput.Report
{
    /// <summary>
    /// Everything a job's output report shows, already read from storage: the input of the pure
    /// <see cref="ReportHtml.Render"/>, so a page can be built (and tested) without any storage.
    /// </summary>
    public sealed class JobReport
    {
        public string JobId { get; set; }

        public string ContainerName { get; set; }

        /// <summary>The container's address, without a query string.</summary>
        public Uri ContainerUri { get; set; }

        public string StorageAccountName { get; set; }

        public DateTimeOffset GeneratedAt { get; set; }

        /// <summary>How many lines of each log the report was asked for (0: no log tails).</summary>
        public int LogTailLines { get; set; }

        public bool PreviewsIncluded { get; set; }

        public bool LinksIncluded { get; set; }

        /// <summary>When the download links stop working; set when <see cref="LinksIncluded"/>.</summary>
        public DateTimeOffset? LinksExpireOn { get; set; }

        /// <summary>The job's own outputs (JobOutput, JobPreview, custom job kinds).</summary>
        public List<ReportFile> JobFiles { get; } = new List<ReportFile>();

        /// <summary>Every task that has at least one output.</summary>
        public List<TaskReport> Tasks { get; } = new List<TaskReport>();

        /// <summary>Remarks about the report as a whole, e.g. that the preview budget ran out.</summary>
        public List<string> Notes { get; } = new List<string>();
    }

    /// <summary>One task and its outputs.</summary>
    public sealed class TaskReport
    {
        public string TaskId { get; set; }

        public List<ReportFile> Files { get; } = new List<ReportFile>();
    }

    /// <summary>One output file as the report shows it.</summary>
    public sealed class ReportFile
    {
        public string Kind { get; set; }

        /// <summary>The path relative to the kind's folder.</summary>
        public string Path { get; set; }

        public string BlobName { get; set; }

        /// <summary>The blob's address without a query string: never a secret.</summary>
        public Uri Uri { get; set; }

        public long Length { get; set; }

        public DateTimeOffset? LastModified { get; set; }

        public string ContentType { get; set; }

        /// <summary>A short-lived read link (with a SAS), only when the report was asked for links.</summary>
        public Uri DownloadUri { get; set; }

        /// <summary>Set for an image of a preview kind when previews were asked for.</summary>
        public ReportPreview Preview { get; set; }

        /// <summary>Set for a TaskLog file when log tails were asked for.</summary>
        public ReportLogTail LogTail { get; set; }
    }

    /// <summary>An image to show inline, or why it is not shown.</summary>
    public sealed class ReportPreview
    {
        /// <summary>One of image/png, image/jpeg, image/gif, image/webp, image/svg+xml.</summary>
        public string MediaType { get; set; }

        /// <summary>The image; null when it is not shown (see <see cref="Note"/>).</summary>
        public byte[] Bytes { get; set; }

        public string Note { get; set; }
    }

    /// <summary>The last lines of a log, or why there are none.</summary>
    public sealed class ReportLogTail
    {
        public List<string> Lines { get; } = new List<string>();

        /// <summary>True when the lines shown are the whole log.</summary>
        public bool IsWholeFile { get; set; }

        public string Note { get; set; }
    }
}
