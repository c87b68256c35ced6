using System;
using System.Collections.Generic;
using System.IO;
using AzBatchOutput.Conventions;

namespace AzBatchOutput.Storage
{
    /// <summary>
    /// Where a downloaded output goes under the destination folder: <c>{TaskId}/{Kind}/{Path}</c> for task outputs,
    /// <c>{Kind}/{Path}</c> for job outputs. Any blob name that could escape the folder is refused.
    /// </summary>
    public static class DownloadLayout
    {
        public static bool TryGetRelativePath(BatchOutputFile file, out string relativePath, out string reason)
        {
            relativePath = null;
            if (!string.IsNullOrEmpty(file.TaskId) && !BatchIds.IsValidTaskId(file.TaskId))
            {
                reason = $"its task folder '{file.TaskId}' is not a Batch task ID";
                return false;
            }

            if (!OutputPath.TryGetSafeRelativePath(file.Kind, out var kind, out reason) || kind.IndexOf('/') >= 0)
            {
                reason = $"its kind '{file.Kind}' is not a safe folder name" + (reason == null ? string.Empty : $" ({reason})");
                return false;
            }

            if (!OutputPath.TryGetSafeRelativePath(file.Path, out var path, out reason))
            {
                return false;
            }

            relativePath = string.IsNullOrEmpty(file.TaskId) ? $"{kind}/{path}" : $"{file.TaskId}/{kind}/{path}";
            return true;
        }

        /// <summary>
        /// A character of the relative path that file names on this system may not hold (Windows refuses
        /// <c>" * : &lt; &gt; ? |</c>, which blob names, and files saved on Linux, may have), or null.
        /// </summary>
        public static char? FindCharacterNotAllowed(string relativePath, char[] notAllowedInFileNames)
        {
            foreach (var segment in relativePath.Split('/'))
            {
                var at = segment.IndexOfAny(notAllowedInFileNames);
                if (at >= 0)
                {
                    return segment[at];
                }
            }

            return null;
        }

        /// <summary>The destination folder as a full path, without a trailing separator.</summary>
        internal static string RootOf(string destinationFolder) =>
            Path.GetFullPath(destinationFolder).TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar);

        /// <summary>The folders a file under the destination goes into, nearest first, up to (not including) the destination.</summary>
        internal static IEnumerable<string> FoldersBelowRoot(string destinationRoot, string fullPath)
        {
            for (var folder = Path.GetDirectoryName(fullPath); folder != null && folder.Length > destinationRoot.Length; folder = Path.GetDirectoryName(folder))
            {
                yield return folder;
            }
        }

        /// <summary>The full local path, checked once more against the destination so nothing lands outside it.</summary>
        public static bool TryResolve(string destinationFolder, string relativePath, out string fullPath)
        {
            var root = RootOf(destinationFolder) + Path.DirectorySeparatorChar;
            fullPath = Path.GetFullPath(Path.Combine(root, relativePath.Replace('/', Path.DirectorySeparatorChar)));
            var comparison = LocalFileSystem.PathComparison;
            return fullPath.StartsWith(root, comparison) && fullPath.Length > root.Length;
        }
    }
}
