using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using AzBatchOutput.Storage;
using Microsoft.PowerShell.Commands;

namespace AzBatchOutput.Resolution
{
    /// <summary>Files to save from a user's -Path: PowerShell paths and wildcards, resolved on the file system.</summary>
    internal static class LocalPaths
    {
        // PowerShell's wildcard characters, and its escape character.
        private static readonly char[] PatternCharacters = { '*', '?', '[', ']', '`' };

        /// <summary>Every file the path names (a folder's files recursively); throws PathNotFound or NoFilesMatched.</summary>
        public static IReadOnlyList<LocalFile> Resolve(PSCmdlet cmdlet, string path)
        {
            if (TryResolveLiterally(cmdlet, path, out var literal))
            {
                return literal;
            }

            List<string> resolved;
            try
            {
                resolved = cmdlet.GetResolvedProviderPathFromPSPath(path, out var provider).ToList();
                if (provider.ImplementingType != typeof(FileSystemProvider))
                {
                    throw new BatchOutputException("PathNotFileSystem", FailureCategory.InvalidArgument,
                        $"'{path}' is on the {provider.Name} drive; only files and folders on the file system can be saved.", path);
                }
            }
            catch (ItemNotFoundException)
            {
                throw new BatchOutputException("PathNotFound", FailureCategory.ObjectNotFound,
                    $"Cannot save '{path}': no such file or folder. Check the path (relative paths are from '{cmdlet.SessionState.Path.CurrentFileSystemLocation}').", path);
            }
            catch (System.Management.Automation.DriveNotFoundException)
            {
                throw new BatchOutputException("PathNotFound", FailureCategory.ObjectNotFound,
                    $"Cannot save '{path}': its drive does not exist. Give a path on an existing drive, or a path relative to the current folder.", path);
            }

            if (resolved.Count == 0 && NamesAnItemLiterally(cmdlet, path))
            {
                throw new BatchOutputException("NoFilesMatched", FailureCategory.ObjectNotFound,
                    $"'{path}' matched no files: -Path reads '[', ']', '*', '?' and '`' as wildcard characters. " +
                    "A file or folder of exactly that name exists: give it with -LiteralPath instead.", path);
            }

            return Expand(cmdlet, path, resolved);
        }

        /// <summary>Whether a path that is a wildcard pattern is also the very name of a file or folder (say 'frame[1].png').</summary>
        private static bool NamesAnItemLiterally(PSCmdlet cmdlet, string path)
        {
            if (path.IndexOfAny(PatternCharacters) < 0)
            {
                return false;
            }

            try
            {
                var full = FileSystemPaths.Unresolved(cmdlet, path, "Cannot save");
                return File.Exists(full) || Directory.Exists(full);
            }
            catch (Exception ex) when (ex is BatchOutputException || ex is ArgumentException || ex is NotSupportedException || ex is PathTooLongException)
            {
                return false;
            }
        }

        /// <summary>The file or folder at exactly this path (no wildcards: '[' and '?' are part of the name); throws PathNotFound.</summary>
        public static IReadOnlyList<LocalFile> ResolveLiteral(PSCmdlet cmdlet, string path)
        {
            var full = FileSystemPaths.Unresolved(cmdlet, path, "Cannot save");
            if (!File.Exists(full) && !Directory.Exists(full))
            {
                throw new BatchOutputException("PathNotFound", FailureCategory.ObjectNotFound,
                    $"Cannot save '{path}': no such file or folder. Check the path (relative paths are from '{cmdlet.SessionState.Path.CurrentFileSystemLocation}').", path);
            }

            return Expand(cmdlet, path, new[] { full });
        }

        /// <summary>
        /// A fully qualified file-system path with no wildcard or escape character (what Get-ChildItem pipes as
        /// FullName) names itself: PowerShell's globbing would list its folder to match it, about 250 µs a path
        /// (0.5 s of CPU for 2,000 piped files). Anything else, or a path that does not exist, takes the full route.
        /// </summary>
        private static bool TryResolveLiterally(PSCmdlet cmdlet, string path, out IReadOnlyList<LocalFile> files)
        {
            files = null;
            if (!IsFullyQualified(path) || path.IndexOfAny(PatternCharacters) >= 0)
            {
                return false;
            }

            string full;
            try
            {
                full = Path.GetFullPath(path);
            }
            catch (Exception ex) when (ex is ArgumentException || ex is NotSupportedException || ex is PathTooLongException)
            {
                return false;
            }

            if (!File.Exists(full) && !Directory.Exists(full))
            {
                return false;
            }

            files = Expand(cmdlet, path, new[] { full });
            return true;
        }

        private static bool IsFullyQualified(string path)
        {
            if (Path.DirectorySeparatorChar == '/')
            {
                return path.StartsWith("/", StringComparison.Ordinal);
            }

            // C:\ or C:/ (not C:relative, which is relative to that drive's current folder), or a UNC path.
            return (path.Length >= 3 && char.IsLetter(path[0]) && path[1] == ':' && (path[2] == '\\' || path[2] == '/')) ||
                   path.StartsWith(@"\\", StringComparison.Ordinal);
        }

        private static IReadOnlyList<LocalFile> Expand(PSCmdlet cmdlet, string path, IEnumerable<string> resolved)
        {
            var report = new WalkReport(cmdlet);
            var files = resolved.SelectMany(folder => LocalFiles.Expand(folder, report)).ToList();
            if (files.Count == 0)
            {
                throw new BatchOutputException("NoFilesMatched", FailureCategory.ObjectNotFound,
                    $"'{path}' matched no files, so nothing was saved from it.", path);
            }

            return files;
        }

        /// <summary>Reports a folder walk's skips on the cmdlet's pipeline thread, where paths are resolved.</summary>
        private sealed class WalkReport : ILocalWalkReport
        {
            private readonly PSCmdlet _cmdlet;

            public WalkReport(PSCmdlet cmdlet) => _cmdlet = cmdlet;

            public void SkippedFolderLink(string path) =>
                _cmdlet.WriteWarning($"'{path}' is a link to a folder and was not followed, so its files were not saved. " +
                                     "To save them, name the folder it points to (or the link itself) in -Path.");

            public void UnreadableFolder(BatchOutputException error) => _cmdlet.WriteError(Pipeline.ErrorRecords.From(error));
        }
    }
}
