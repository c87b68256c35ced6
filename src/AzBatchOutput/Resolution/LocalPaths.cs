using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using AzBatchOutput.Storage;
using Microsoft.PowerShell.Commands;

namespace AzBatchOutput.Resolution
{
    /// <summary>Files to save from a user's -Path: PowerShell paths and wildcards, resolved on the file system.</summary>
    internal static class LocalPaths
    {
        /// <summary>Every file the path names (a folder's files recursively); throws PathNotFound or NoFilesMatched.</summary>
        public static IReadOnlyList<LocalFile> Resolve(PSCmdlet cmdlet, string path)
        {
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
            catch (DriveNotFoundException)
            {
                throw new BatchOutputException("PathNotFound", FailureCategory.ObjectNotFound,
                    $"Cannot save '{path}': its drive does not exist.", path);
            }

            var files = resolved.SelectMany(LocalFiles.Expand).ToList();
            if (files.Count == 0)
            {
                throw new BatchOutputException("NoFilesMatched", FailureCategory.ObjectNotFound,
                    $"'{path}' matched no files, so nothing was saved from it.", path);
            }

            return files;
        }
    }
}
