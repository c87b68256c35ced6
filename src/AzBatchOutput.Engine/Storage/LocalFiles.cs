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

    public static class LocalFiles
    {
        /// <summary>A file as itself; a folder as every file below it, with '/'-separated paths relative to the folder.</summary>
        public static IEnumerable<LocalFile> Expand(string fileSystemPath)
        {
            if (File.Exists(fileSystemPath))
            {
                var info = new FileInfo(fileSystemPath);
                yield return new LocalFile(info.FullName, info.Name, info.Length, fromFolder: false);
                yield break;
            }

            var root = new DirectoryInfo(fileSystemPath);
            var prefixLength = root.FullName.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar).Length + 1;
            foreach (var file in root.EnumerateFiles("*", SearchOption.AllDirectories))
            {
                var relative = file.FullName.Substring(prefixLength).Replace(Path.DirectorySeparatorChar, '/');
                yield return new LocalFile(file.FullName, relative, file.Length, fromFolder: true);
            }
        }
    }
}
