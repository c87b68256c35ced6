using System;
using System.Management.Automation;
using Microsoft.PowerShell.Commands;

namespace AzBatchOutput.Resolution
{
    /// <summary>A PowerShell path that must name a place on the file system, which need not exist yet.</summary>
    internal static class FileSystemPaths
    {
        /// <summary>
        /// The file-system path of <paramref name="path"/>, from the current location. Throws PathNotFound for a drive that does
        /// not exist and PathNotFileSystem for another provider's drive (Env:, HKLM:, ...); <paramref name="what"/> says what
        /// the path is for, e.g. "Cannot track".
        /// </summary>
        public static string Unresolved(PSCmdlet cmdlet, string path, string what)
        {
            string resolved;
            ProviderInfo provider;
            try
            {
                resolved = cmdlet.SessionState.Path.GetUnresolvedProviderPathFromPSPath(path, out provider, out _);
            }
            catch (DriveNotFoundException)
            {
                throw new BatchOutputException("PathNotFound", FailureCategory.ObjectNotFound,
                    $"{what} '{path}': its drive does not exist. Give a path on an existing drive, or a path relative to the current folder.", path);
            }
            catch (NotSupportedException ex)
            {
                throw new BatchOutputException("PathNotFileSystem", FailureCategory.InvalidArgument, $"{what} '{path}': {ex.Message}", path);
            }

            if (provider.ImplementingType != typeof(FileSystemProvider))
            {
                throw new BatchOutputException("PathNotFileSystem", FailureCategory.InvalidArgument,
                    $"{what} '{path}': it is on the {provider.Name} drive, and only the file system is supported.", path);
            }

            return resolved;
        }

        /// <summary>The folder that -Destination names (created later if missing); an existing file there is refused.</summary>
        public static string DownloadFolder(PSCmdlet cmdlet, string destination)
        {
            var folder = Unresolved(cmdlet, destination, "Cannot download into");
            if (System.IO.File.Exists(folder))
            {
                throw new BatchOutputException("DestinationIsFile", FailureCategory.InvalidArgument,
                    $"Cannot download into '{destination}': it is a file. Give -Destination a folder (it is created if missing).", destination);
            }

            return folder;
        }
    }
}
