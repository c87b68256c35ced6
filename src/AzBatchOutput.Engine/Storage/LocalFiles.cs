using System;
using System.Collections.Generic;
using System.IO;

namespace AzBatchOutput.Storage
{
    /// <summary>A local file to save and its path relative to what the user named (a file's name, or below a folder).</summary>
    public sealed class LocalFile
    {
        public LocalFile(string fullPath, string relativePath, long length, bool fromFolder)
        {
            FullPath = fullPath;
            RelativePath = relativePath;
            Length = length;
            FromFolder = fromFolder;
        }

        public string FullPath { get; }

        public string RelativePath { get; }

        public long Length { get; }

        /// <summary>True when the file was found by walking a folder the user named.</summary>
        public bool FromFolder { get; }
    }

    /// <summary>What a walk of the user's folders could not take, for the cmdlet to report; the walk goes on.</summary>
    public interface ILocalWalkReport
    {
        /// <summary>A link to a folder below a named folder, not followed.</summary>
        void SkippedFolderLink(string path);

        /// <summary>A folder whose entries could not be read: none of its files are saved.</summary>
        void UnreadableFolder(BatchOutputException error);
    }

    public static class LocalFiles
    {
        /// <summary>
        /// A file as itself; a folder as every file below it, with '/'-separated paths relative to the folder. Links to
        /// folders below it are not followed (as Get-ChildItem -Recurse and AzCopy do by default: a link back up would
        /// never end), and a folder that cannot be read is reported and skipped, so the rest is still saved.
        /// </summary>
        public static IEnumerable<LocalFile> Expand(string fileSystemPath, ILocalWalkReport report)
        {
            if (File.Exists(fileSystemPath))
            {
                var info = new FileInfo(fileSystemPath);
                yield return new LocalFile(info.FullName, info.Name, info.Length, fromFolder: false);
                yield break;
            }

            var root = new DirectoryInfo(fileSystemPath);
            var prefixLength = root.FullName.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Length + 1;
            var pending = new Stack<DirectoryInfo>();
            pending.Push(root);
            while (pending.Count > 0)
            {
                var folder = pending.Pop();
                FileInfo[] files;
                DirectoryInfo[] folders;
                try
                {
                    files = folder.GetFiles();
                    folders = folder.GetDirectories();
                }
                catch (Exception ex) when (ex is UnauthorizedAccessException || ex is IOException)
                {
                    report.UnreadableFolder(new BatchOutputException("FolderNotReadable",
                        ex is UnauthorizedAccessException ? FailureCategory.PermissionDenied : FailureCategory.ReadError,
                        $"Could not read the folder '{folder.FullName}' ({ex.Message}): none of the files in it were saved; the others were. " +
                        "Check its permissions, then save it again.", folder.FullName));
                    continue;
                }

                foreach (var file in files)
                {
                    var relative = file.FullName.Substring(prefixLength).Replace(Path.DirectorySeparatorChar, '/');
                    yield return new LocalFile(file.FullName, relative, file.Length, fromFolder: true);
                }

                for (var i = folders.Length - 1; i >= 0; i--)
                {
                    if ((folders[i].Attributes & FileAttributes.ReparsePoint) != 0)
                    {
                        report.SkippedFolderLink(folders[i].FullName);
                    }
                    else
                    {
                        pending.Push(folders[i]);
                    }
                }
            }
        }
    }
}
