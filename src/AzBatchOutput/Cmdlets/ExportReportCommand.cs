using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using AzBatchOutput.Batch;
using AzBatchOutput.Conventions;
using AzBatchOutput.Pipeline;
using AzBatchOutput.Report;
using AzBatchOutput.Resolution;
using AzBatchOutput.Storage;

namespace AzBatchOutput.Cmdlets
{
    /// <summary>Writes one self-contained HTML page of a job's outputs: every task and kind, sizes and times, previews, log tails, links.</summary>
    [Cmdlet(VerbsData.Export, "BatchJobOutputReport", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(FileInfo))]
    public sealed class ExportBatchJobOutputReportCommand : BatchOutputCmdlet
    {
        private readonly HashSet<string> _written = new HashSet<string>(LocalFileSystem.PathComparer);

        /// <summary>Defaults to a piped Az.Batch job's Id (or a piped task's job, from its Url), else AZ_BATCH_JOB_ID.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [Alias("Id")]
        [ArgumentCompleter(typeof(Completion.JobIdCompleter))]
        public string JobId { get; set; }

        /// <summary>The .html file to write; an existing folder gets "{JobId}.html".</summary>
        [Parameter(Mandatory = true, Position = 1)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; }

        /// <summary>Lines at the end of each TaskLog file to show; 0 shows none.</summary>
        [Parameter]
        [ValidateRange(0, ReportOptions.MaxLogTailLines)]
        public int LogTailLines { get; set; } = ReportOptions.DefaultLogTailLines;

        /// <summary>Embeds TaskPreview and JobPreview images in the page.</summary>
        [Parameter]
        public SwitchParameter IncludePreviews { get; set; }

        /// <summary>Links each file with a short-lived read SAS URL.</summary>
        [Parameter]
        public SwitchParameter IncludeDownloadLinks { get; set; }

        /// <summary>How long the download links work: seconds or a TimeSpan.</summary>
        [Parameter]
        [Tracking.SecondsOrTimeSpan]
        public TimeSpan LinkExpiry { get; set; } = ReportOptions.DefaultLinkLifetime;

        [Parameter]
        [ValidateRange(1, 256)]
        public int ThrottleLimit { get; set; } = BoundedParallelDefaults.Files;

        /// <summary>Writes the report's FileInfo to the pipeline.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        /// <summary>A piped Az.Batch job or task's Url: a task's Id is not its job's, so the URL's job ID wins.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        [Alias("Url")]
        public string BatchUrl { get; set; }

        /// <summary>
        /// The file to write. -Path is a folder (created if missing) when it is one already, ends in a separator, or has no
        /// extension, as './reports' does when several jobs are piped; else it is the file itself.
        /// </summary>
        private string ReportTarget(string jobId)
        {
            var target = FileSystemPaths.Unresolved(this, Path, "Cannot write the report to");
            var isFolder = Directory.Exists(target) || Path.EndsWith("/", StringComparison.Ordinal) || Path.EndsWith("\\", StringComparison.Ordinal) ||
                           (!File.Exists(target) && string.IsNullOrEmpty(System.IO.Path.GetExtension(target)));
            return isFolder ? System.IO.Path.Combine(target, ReportWriter.DefaultFileName(jobId)) : target;
        }

        protected override void ProcessRecord() => ForRecord(() =>
        {
            // A piped Az.Batch task binds its own Id to -JobId; its Url names the job, so from the pipeline the URL wins.
            var jobId = MyInvocation.ExpectingInput && BatchTaskUrl.TryParse(BatchUrl, out var urlJobId, out _)
                ? BatchIds.ValidateJobId(urlJobId)
                : BatchIdentity.ResolveJobId(JobId, BatchUrl, fromEnvironment: true);
            ContainerNaming.GetContainerName(jobId);

            var target = ReportTarget(jobId);

            if (_written.Contains(target))
            {
                throw new BatchOutputException("ReportPathAlreadyWritten", FailureCategory.ResourceExists,
                    $"The report of job '{jobId}' was not written: this command already wrote a report to '{target}' for an earlier piped object. " +
                    "Give -Path a folder to write one report per job.", target);
            }

            if (!ShouldProcess($"'{target}' (output report of job '{jobId}')", "Export job output report"))
            {
                return;
            }

            var context = ResolveContext();
            var options = new ReportOptions
            {
                LogTailLines = LogTailLines,
                IncludePreviews = IncludePreviews,
                IncludeDownloadLinks = IncludeDownloadLinks,
                LinkLifetime = LinkExpiry,
                ThrottleLimit = ThrottleLimit,
            };
            var report = RunOperation((sink, ct) => ReportCollector.CollectAsync(context, jobId, options, sink, ct));
            var file = ReportWriter.Write(target, ReportHtml.Render(report));
            _written.Add(target);
            if (IncludeDownloadLinks)
            {
                WriteVerbose($"The report '{file.FullName}' holds read links to every file until {report.LinksExpireOn:u}: share it only with people who may read the job's outputs.");
            }

            WriteVerbose($"Wrote the report of job '{jobId}' ({report.Tasks.Count} task(s), {report.JobFiles.Count} job output(s)) to '{file.FullName}' ({file.Length:N0} bytes).");
            if (PassThru)
            {
                WriteObject(LocalFileItems.From(file));
            }
        });
    }
}
