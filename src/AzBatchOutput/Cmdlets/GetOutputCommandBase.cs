using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AzBatchOutput.Conventions;
using AzBatchOutput.Resolution;
using AzBatchOutput.Storage;

namespace AzBatchOutput.Cmdlets
{
    /// <summary>Shared by Get-BatchTaskOutput and Get-BatchJobOutput: filters, listing, and the optional download.</summary>
    public abstract class GetOutputCommandBase : BatchOutputCmdlet
    {
        /// <summary>Kinds to list; predefined kinds match in any case, custom kinds exactly.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Completion.KindCompleter))]
        public string[] Kind { get; set; }

        /// <summary>Wildcard patterns matched against each file's relative path.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        [SupportsWildcards]
        public string[] Name { get; set; }

        /// <summary>Downloads what was found into this folder instead of listing it.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string Destination { get; set; }

        /// <summary>With -Destination, replaces files that already exist.</summary>
        [Parameter]
        public SwitchParameter Force { get; set; }

        [Parameter]
        [ValidateRange(1, 256)]
        public int ThrottleLimit { get; set; } = BoundedParallelDefaults.Files;

        protected void ListOrDownload(string jobId, string taskId, OutputScope scope)
        {
            var query = new OutputQuery
            {
                JobId = jobId,
                TaskId = taskId,
                Scope = scope,
                Kinds = Kind?.Select(k => OutputKind.Parse(k, scope)).ToList(),
                PathFilter = BuildNameFilter(),
            };
            ContainerNaming.GetContainerName(jobId);
            var context = ResolveContext();
            if (Destination == null)
            {
                RunOperation((sink, ct) => OutputCatalog.ListAsync(context, query, sink.Output, ct));
                return;
            }

            var folder = FileSystemPaths.DownloadFolder(this, Destination);
            var found = new List<BatchOutputFile>();
            RunOperation((sink, ct) => OutputCatalog.ListAsync(context, query, file => { lock (found) { found.Add(file); } }, ct));
            WriteVerbose($"Found {found.Count} output file(s) of job '{jobId}' to download into '{folder}'.");
            // Listing changes nothing; writing files does: -WhatIf shows each file, as Receive-BatchOutput does.
            found = found.Where(file => ShouldProcess($"'{file.BlobName}' of job '{file.JobId}'", $"Download into '{folder}'")).ToList();
            RunOperation((sink, ct) => OutputDownloader.DownloadAsync(found, folder, Force, ThrottleLimit, sink, ct));
        }

        private System.Func<string, bool> BuildNameFilter()
        {
            if (Name == null)
            {
                return null;
            }

            var patterns = Name.Select(ParseNamePattern).ToList();
            return path => patterns.Any(p => p.IsMatch(path));
        }

        // PowerShell parses a pattern when it first matches: do that here, so a bad one is the user's error, before any request.
        private static WildcardPattern ParseNamePattern(string name)
        {
            var pattern = WildcardPattern.Get(name, WildcardOptions.IgnoreCase | WildcardOptions.CultureInvariant);
            try
            {
                pattern.IsMatch(string.Empty);
                return pattern;
            }
            catch (WildcardPatternException)
            {
                throw new BatchOutputException("InvalidNamePattern", FailureCategory.InvalidArgument,
                    $"-Name '{name}' is not a valid wildcard pattern (an unclosed '[', say). " +
                    "To match '[' or ']' literally, escape it with a backtick: '`['.", name);
            }
        }
    }
}
