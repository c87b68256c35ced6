using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AzBatchOutput.Resolution;
using AzBatchOutput.Storage;

namespace AzBatchOutput.Cmdlets
{
    /// <summary>Downloads piped output files into a folder, keeping {TaskId}/{Kind}/{Path}.</summary>
    [Cmdlet(VerbsCommunications.Receive, "BatchOutput", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(System.IO.FileInfo))]
    public sealed class ReceiveBatchOutputCommand : BatchOutputCmdlet
    {
        private readonly List<BatchOutputFile> _files = new List<BatchOutputFile>();

        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public BatchOutputFile[] InputObject { get; set; }

        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Destination { get; set; }

        /// <summary>Replaces files that already exist.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        [ValidateRange(1, 256)]
        public int ThrottleLimit { get; set; } = BoundedParallelDefaults.Files;

        protected override void ProcessRecord()
        {
            foreach (var file in InputObject)
            {
                if (ShouldProcess($"'{file.BlobName}' of job '{file.JobId}'", $"Download into '{Destination}'"))
                {
                    ForRecord(() => _files.Add(file.WithContext(Context ?? (file.Context == null ? ResolveContext() : null))));
                }
            }
        }

        protected override void EndProcessing()
        {
            if (_files.Count > 0)
            {
                ForRecord(() =>
                {
                    var folder = FileSystemPaths.DownloadFolder(this, Destination);
                    RunOperation((sink, ct) => OutputDownloader.DownloadAsync(_files, folder, Force, ThrottleLimit, sink, ct));
                });
            }
        }
    }

    /// <summary>Deletes piped output files.</summary>
    [Cmdlet(VerbsCommon.Remove, "BatchOutput", SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Medium)]
    [OutputType(typeof(BatchOutputFile))]
    public sealed class RemoveBatchOutputCommand : BatchOutputCmdlet
    {
        private readonly List<BatchOutputFile> _files = new List<BatchOutputFile>();

        [Parameter(Mandatory = true, ValueFromPipeline = true)]
        [ValidateNotNull]
        public BatchOutputFile[] InputObject { get; set; }

        [Parameter]
        [ValidateRange(1, 256)]
        public int ThrottleLimit { get; set; } = BoundedParallelDefaults.Files;

        /// <summary>Writes each removed file's object, e.g. to log what a clean-up deleted.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }

        protected override void ProcessRecord()
        {
            foreach (var file in InputObject.Where(f => ShouldProcess($"'{f.BlobName}' of job '{f.JobId}'", "Remove output file")))
            {
                ForRecord(() => _files.Add(file.WithContext(Context ?? (file.Context == null ? ResolveContext() : null))));
            }
        }

        protected override void EndProcessing()
        {
            if (_files.Count > 0)
            {
                RunOperation((sink, ct) => OutputRemover.RemoveAsync(_files, ThrottleLimit, PassThru, sink, ct));
            }
        }
    }
}
