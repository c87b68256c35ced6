using System.IO;

namespace AzBatchOutput.Storage
{
    /// <summary>
    /// A file and a folder that want the same local path: a blob <c>x</c> beside blobs under <c>x/</c>, or a local
    /// folder or file already in the way. -Force replaces files only, never a folder with a file or the reverse.
    /// </summary>
    internal static class DownloadClashes
    {
        /// <summary>A blob whose local path is the folder of other outputs of the same download.</summary>
        public static BatchOutputException FolderOfOtherOutputs(BatchOutputFile file, string fullPath) =>
            new BatchOutputException("DownloadTargetIsFolder", FailureCategory.ResourceExists,
                $"Skipped blob '{file.BlobName}': other outputs of this download go into a folder at its path '{fullPath}', so it can't be " +
                "written there as a file. The other files were downloaded; download this one on its own into another folder " +
                "(pipe it to Receive-BatchOutput -Destination <folder>).", file.BlobName);

        /// <summary>
        /// After a local write failed: the folder or file on disk that stood in the way, explained, or null when
        /// nothing did (the failure was something else).
        /// </summary>
        public static BatchOutputException Find(BatchOutputFile file, string fullPath, string destinationFolder)
        {
            if (Directory.Exists(fullPath))
            {
                return new BatchOutputException("DownloadTargetIsFolder", FailureCategory.ResourceExists,
                    $"Could not download '{file.BlobName}': '{fullPath}' is a folder on this machine, so the file can't be written there " +
                    "(-Force replaces files, not folders). Move or rename that folder, or choose another -Destination.", file.BlobName);
            }

            foreach (var folder in DownloadLayout.FoldersBelowRoot(DownloadLayout.RootOf(destinationFolder), fullPath))
            {
                if (File.Exists(folder))
                {
                    return new BatchOutputException("DownloadFolderIsFile", FailureCategory.ResourceExists,
                        $"Could not download '{file.BlobName}': '{folder}' is a file on this machine, so the folder it should go into " +
                        "can't be made there (-Force replaces files, not folders). Move or rename that file, or choose another -Destination.", file.BlobName);
                }
            }

            return null;
        }
    }
}
