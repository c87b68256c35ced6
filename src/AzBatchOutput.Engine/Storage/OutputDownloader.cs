using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace AzBatchOutput.Storage
{
    /// <summary>
    /// Downloads outputs into a folder, several at once. Each file is written to a temporary name beside its
    /// target and renamed into place only when complete, so a failure never leaves a half file. A blob with a stored
    /// MD5 (every blob this module saves) is hashed as it is written and checked against it; a blob without one, or a
    /// fetch that failed that check, is read in ranges whose MD5 the service computes and the SDK checks. A file whose
    /// bytes arrive corrupted is fetched again into a fresh temporary file a few times, and never renamed into place
    /// unless it matched.
    /// </summary>
    public static class OutputDownloader
    {
        /// <summary>How many times one file is fetched in all when its content does not match the service's checksum.</summary>
        internal const int IntegrityAttempts = 3;

        private const string PartialSuffix = ".azbo-partial";

        private const int CopyBufferSize = 81920;


        public static async Task DownloadAsync(
            IReadOnlyList<BatchOutputFile> files,
            string destinationFolder,
            bool force,
            int throttleLimit,
            IOperationSink sink,
            CancellationToken cancellationToken)
        {
            var planned = Plan(files, destinationFolder, force, sink);
            var meter = new TransferMeter(sink, "Downloading output", planned.Count, planned.Sum(p => p.File.Length));
            // Each folder is made once, not once per file in it: two system calls a file in a download of many.
            var foldersMade = new ConcurrentDictionary<string, bool>(LocalFileSystem.PathComparer);
            using (var stop = new SharedFailureStop(sink, cancellationToken))
            {
                await BoundedParallel.ForEachAsync(planned, throttleLimit, (target, _) => DownloadOneAsync(target, stop), cancellationToken).ConfigureAwait(false);
                stop.Complete("downloaded");
            }

            meter.Complete();

            // A file already there is the download when it holds the blob's content; anything else there is kept, and refused.
            void KeepOrRefuseExisting(BatchOutputFile file, string fullPath, bool holdsContent)
            {
                if (!holdsContent)
                {
                    sink.Error(TargetExists(fullPath, file.ContentMd5 == null
                        ? ", and the blob stores no MD5 to tell whether it holds the same content,"
                        : " with other content than the blob"));
                    return;
                }

                sink.Verbose($"'{fullPath}' already holds '{file.BlobName}' (the same length and MD5), so it was kept, not downloaded again.");
                meter.ForFile(file.Path).Report(file.Length);
                sink.Output(new FileInfo(fullPath));
                meter.FileDone(file.Path);
            }

            async Task DownloadOneAsync((BatchOutputFile File, string FullPath, bool Exists) target, SharedFailureStop stop)
            {
                var file = target.File;
                if (stop.SkipAfterFailure(file.Context, file.ContainerName, file.BlobName))
                {
                    return;
                }

                var ct = stop.TokenFor(file.Context, file.ContainerName);
                try
                {
                    if (target.Exists)
                    {
                        KeepOrRefuseExisting(target.File, target.FullPath, await LocalCopy.HoldsAsync(target.FullPath, file, ct).ConfigureAwait(false));
                        return;
                    }

                    var folder = Path.GetDirectoryName(target.FullPath);
                    if (!foldersMade.ContainsKey(folder))
                    {
                        Directory.CreateDirectory(folder);
                        foldersMade.TryAdd(folder, true);
                    }

                    var blob = file.Context.GetContainerClient(file.ContainerName).GetBlobClient(file.BlobName);
                    if (file.Length == 0 && await IsDirectoryAsync(blob, ct).ConfigureAwait(false))
                    {
                        Directory.CreateDirectory(target.FullPath);
                        sink.Verbose($"Made the folder '{target.FullPath}' for '{file.BlobName}', an empty directory of an account with a hierarchical namespace (ADLS Gen2), not a file.");
                        stop.Succeeded(file.Context, file.ContainerName);
                        meter.FileDone(file.Path);
                        return;
                    }

                    var progress = meter.ForFile(file.Path);
                    for (var attempt = 1; ; attempt++)
                    {
                        try
                        {
                            // A repeat checks every range: that also gets past a stored MD5 that is itself wrong.
                            var checkEveryRange = file.ContentMd5 == null || attempt > 1;
                            await DownloadOnceAsync(blob, file, target.FullPath, force, checkEveryRange, progress, ct).ConfigureAwait(false);
                            break;
                        }
                        catch (Exception ex) when (attempt < IntegrityAttempts && StorageErrors.IsIntegrityFailure(ex))
                        {
                            sink.Verbose($"'{file.BlobName}' arrived corrupted (attempt {attempt} of {IntegrityAttempts}); fetching it again, checking every range.");
                        }
                    }

                    sink.Verbose($"Downloaded '{file.BlobName}' to '{target.FullPath}' (MD5 checked).");
                    sink.Output(new FileInfo(target.FullPath));
                    stop.Succeeded(file.Context, file.ContainerName);
                    meter.FileDone(file.Path);
                }
                catch (PathTooLongException)
                {
                    sink.Error(LocalPathTooLong(file, target.FullPath));
                }
                catch (Exception ex)
                {
                    if (stop.StoppedByCaller(ex))
                    {
                        return;
                    }

                    var clash = ex is IOException ? DownloadClashes.Find(file, target.FullPath, destinationFolder) : null;
                    if (clash != null)
                    {
                        sink.Error(clash);
                        return;
                    }

                    stop.Fail(file.Context, file.ContainerName, file.BlobName, ex, e => StorageErrors.Translate(e, "download", $"'{file.BlobName}'", file.Context, ct, file.BlobName));
                }
            }
        }

        /// <summary>One whole fetch into a new temporary file, renamed into place only when every byte matched.</summary>
        private static async Task DownloadOnceAsync(
            BlobClient blob, BatchOutputFile file, string targetPath, bool force, bool checkEveryRange, IProgress<long> progress, CancellationToken ct)
        {
            var partial = PartialPathFor(targetPath);
            try
            {
                // A file fetched in one request is copied in whole buffers of CopyBufferSize (see CopyInOneRequestAsync), so
                // its FileStream needs no buffer of its own: one fewer 80 KB allocation and copy per file. It is written
                // synchronously: an asynchronous file write is a hand-off to another thread pool thread on Linux (and an
                // overlapped request on Windows), which costs more than writing 80 KB into the page cache.
                var inOneRequest = !checkEveryRange && !InRanges(file);
                using (var stream = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, inOneRequest ? 1 : CopyBufferSize, useAsync: !inOneRequest))
                {
                    if (checkEveryRange)
                    {
                        await blob.DownloadToAsync(stream, new BlobDownloadToOptions
                        {
                            TransferOptions = TransferTuning.ForRangeCheckedDownload(file.Length),
                            TransferValidation = TransferTuning.RangeValidation,
                            ProgressHandler = progress,
                        }, ct).ConfigureAwait(false);
                    }
                    else
                    {
                        await DownloadCheckingStoredMd5Async(blob, file, stream, progress, ct).ConfigureAwait(false);
                    }
                }

                MoveIntoPlace(partial, targetPath, force);
            }
            catch
            {
                TryDelete(partial);
                throw;
            }
        }

        private static async Task DownloadCheckingStoredMd5Async(BlobClient blob, BatchOutputFile file, Stream destination, IProgress<long> progress, CancellationToken ct)
        {
            var inRanges = InRanges(file);
            using (var hashing = new Md5PassThroughStream(destination, hashInBackground: inRanges))
            {
                // The MD5 in the answer belongs to the very blob read (the SDK pins every range, and every retried read,
                // to its first ETag); the listing's is the fallback should the blob have lost it since.
                var stored = inRanges
                    ? StoredMd5(await blob.DownloadToAsync(hashing, new BlobDownloadToOptions
                    {
                        TransferOptions = TransferTuning.ForWholeFileCheckedDownload(file.Length),
                        TransferValidation = TransferTuning.NoRangeValidation,
                        ProgressHandler = progress,
                    }, ct).ConfigureAwait(false))
                    : await CopyInOneRequestAsync(blob, hashing, progress, ct).ConfigureAwait(false);
                var expected = stored ?? file.ContentMd5;
                var actual = await hashing.GetHashAsync().ConfigureAwait(false);
                if (actual == null || !actual.SequenceEqual(expected))
                {
                    throw new InvalidDataException($"The content of '{file.BlobName}' does not match its stored MD5.");
                }
            }
        }

        /// <summary>Whether a file checked against its stored MD5 is fetched in several ranges rather than one request.</summary>
        private static bool InRanges(BatchOutputFile file) => file.Length > TransferTuning.SingleRangeLimit;

        /// <summary>
        /// A file up to one range: one GET, copied as it comes. The SDK's DownloadTo would run its partitioned downloader
        /// and a progress-counting stream around the same single request, which cost the most CPU per file of a download
        /// of many small files. Each write is a full buffer (or the end of the file), so a 64 KiB file is one synchronous
        /// write to an unbuffered file. Returns the blob's stored MD5 from the answer.
        /// </summary>
        private static async Task<byte[]> CopyInOneRequestAsync(BlobClient blob, Stream destination, IProgress<long> progress, CancellationToken ct)
        {
            var response = await blob.DownloadStreamingAsync(new BlobDownloadOptions { TransferValidation = TransferTuning.NoRangeValidation }, ct).ConfigureAwait(false);
            var buffer = ArrayPool<byte>.Shared.Rent(CopyBufferSize);
            try
            {
                using (var content = response.Value.Content)
                {
                    long copied = 0;
                    while (true)
                    {
                        var filled = 0;
                        int read;
                        // CopyBufferSize, not buffer.Length: the pool may hand out a bigger array.
                        while (filled < CopyBufferSize && (read = await content.ReadAsync(buffer, filled, CopyBufferSize - filled, ct).ConfigureAwait(false)) > 0)
                        {
                            filled += read;
                        }

                        if (filled == 0)
                        {
                            break;
                        }

                        destination.Write(buffer, 0, filled);
                        copied += filled;
                        progress?.Report(copied);
                    }
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }

            return response.Value.Details.ContentHash ?? response.Value.Details.BlobContentHash;
        }

        /// <summary>
        /// Whether an empty blob is a directory of an account with a hierarchical namespace (ADLS Gen2): metadata
        /// hdi_isfolder=true, which listings do not carry. Asked only for empty blobs, which are few: a request each.
        /// </summary>
        private static async Task<bool> IsDirectoryAsync(BlobClient blob, CancellationToken ct)
        {
            var properties = await blob.GetPropertiesAsync(cancellationToken: ct).ConfigureAwait(false);
            return properties.Value.Metadata.TryGetValue("hdi_isfolder", out var value) && string.Equals(value, "true", StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>A ranged read reports the blob's MD5 as x-ms-blob-content-md5; a whole read as Content-MD5.</summary>
        private static byte[] StoredMd5(Azure.Response response)
        {
            if (response != null &&
                (response.Headers.TryGetValue("x-ms-blob-content-md5", out var value) || response.Headers.TryGetValue("Content-MD5", out value)))
            {
                try
                {
                    return Convert.FromBase64String(value);
                }
                catch (FormatException)
                {
                    return null;
                }
            }

            return null;
        }

        /// <summary>
        /// A new temporary name beside the target (so the final rename is atomic): the target's name, shortened when
        /// needed so that name plus suffix still fits the usual 255-byte limit on one file name (and, where the runtime has
        /// one, the limit on a whole path: a target that fits it must not fail on its temporary name), then a random tag.
        /// </summary>
        internal static string PartialPathFor(string targetPath) => PartialPathFor(targetPath, LocalFileSystem.MaxPathLength);

        internal static string PartialPathFor(string targetPath, int? maxPathLength)
        {
            var tag = "." + Guid.NewGuid().ToString("N").Substring(0, 8) + PartialSuffix;
            var folder = Path.GetDirectoryName(targetPath);
            var name = Path.GetFileName(targetPath);
            var budget = LocalFileSystem.MaxNameLength - Encoding.UTF8.GetByteCount(tag);
            var keep = name.Length;
            while (keep > 0 && Encoding.UTF8.GetByteCount(name.Substring(0, keep)) > budget)
            {
                keep--;
            }

            if (maxPathLength.HasValue)
            {
                // Characters left for the name once the folder, a separator and the tag are counted; never below none.
                keep = Math.Min(keep, Math.Max(0, maxPathLength.Value - folder.Length - 1 - tag.Length));
            }

            if (keep > 0 && keep < name.Length && char.IsHighSurrogate(name[keep - 1]))
            {
                keep--;
            }

            return Path.Combine(folder, name.Substring(0, keep) + tag);
        }

        private static List<(BatchOutputFile File, string FullPath, bool Exists)> Plan(IReadOnlyList<BatchOutputFile> files, string destinationFolder, bool force, IOperationSink sink)
        {
            var comparer = LocalFileSystem.PathComparer;
            var notAllowed = Path.GetInvalidFileNameChars();
            var located = new List<(BatchOutputFile File, string FullPath)>();
            foreach (var file in files)
            {
                if (file.Length == 0 && file.BlobName.EndsWith("/", StringComparison.Ordinal))
                {
                    sink.Verbose($"Skipped '{file.BlobName}': an empty blob named like a folder (a folder marker another tool made) holds no file.");
                    continue;
                }

                var full = Locate(file, destinationFolder, notAllowed, out var skipped);
                if (skipped != null)
                {
                    sink.Error(skipped);
                    continue;
                }

                located.Add((file, full));
            }

            var folders = FoldersOf(located, destinationFolder, comparer);
            var existingFolders = new Dictionary<string, bool>(comparer);
            var planned = new List<(BatchOutputFile, string, bool)>();
            var taken = new HashSet<string>(comparer);
            foreach (var (file, full) in located)
            {
                // An account with a hierarchical namespace (ADLS Gen2) lists each directory as an empty blob of the
                // directory's name, beside the files in it: it is the folder those files go into, not a file of its own.
                if (folders.Contains(full))
                {
                    if (file.Length == 0)
                    {
                        sink.Verbose($"Skipped '{file.BlobName}': an empty blob with the name of the folder of other outputs (a directory of an account with a hierarchical namespace).");
                    }
                    else
                    {
                        sink.Error(DownloadClashes.FolderOfOtherOutputs(file, full));
                    }

                    continue;
                }

                if (!taken.Add(full))
                {
                    sink.Error(new BatchOutputException("DuplicateDownloadTarget", FailureCategory.ResourceExists,
                        $"Skipped blob '{file.BlobName}': another output in this download also goes to '{full}'.", file.BlobName));
                    continue;
                }

                // Without -Force, a file already there is compared with the blob when its turn comes (LocalCopy).
                planned.Add((file, full, !force && FileExists(full, existingFolders)));
            }

            return planned;
        }

        /// <summary>
        /// Whether a file is there, asking once a folder whether the folder is: a download into a new folder then makes
        /// one look per folder instead of one per file.
        /// </summary>
        private static bool FileExists(string path, Dictionary<string, bool> existingFolders)
        {
            var folder = Path.GetDirectoryName(path);
            if (!existingFolders.TryGetValue(folder, out var folderExists))
            {
                folderExists = Directory.Exists(folder);
                existingFolders[folder] = folderExists;
            }

            return folderExists && File.Exists(path);
        }

        /// <summary>Every folder under the destination that some located file goes into.</summary>
        private static HashSet<string> FoldersOf(List<(BatchOutputFile File, string FullPath)> located, string destinationFolder, StringComparer comparer)
        {
            var root = DownloadLayout.RootOf(destinationFolder);
            var folders = new HashSet<string>(comparer);
            foreach (var (_, full) in located)
            {
                foreach (var folder in DownloadLayout.FoldersBelowRoot(root, full))
                {
                    if (!folders.Add(folder))
                    {
                        break; // its parents are in already
                    }
                }
            }

            return folders;
        }

        /// <summary>Where a file goes under the destination folder; null, with the reason, for one that cannot go there.</summary>
        private static string Locate(BatchOutputFile file, string destinationFolder, char[] notAllowedInFileNames, out BatchOutputException skipped)
        {
            skipped = null;
            if (!DownloadLayout.TryGetRelativePath(file, out var relative, out var reason))
            {
                skipped = UnsafeOutputPath(file, reason);
                return null;
            }

            var character = DownloadLayout.FindCharacterNotAllowed(relative, notAllowedInFileNames);
            if (character != null)
            {
                skipped = new BatchOutputException("LocalNameNotAllowed", FailureCategory.InvalidData,
                    $"Skipped blob '{file.BlobName}': its name has '{character}', which file names on this system may not contain. " +
                    "The other files were downloaded. Download it on Linux, or under another name with Azure Storage Explorer.", file.BlobName);
                return null;
            }

            try
            {
                if (DownloadLayout.TryResolve(destinationFolder, relative, out var full))
                {
                    return full;
                }
            }
            catch (PathTooLongException)
            {
                // Windows PowerShell 5.1 (.NET Framework) refuses a path over 260 characters already here.
                skipped = LocalPathTooLong(file, Path.Combine(destinationFolder, relative));
                return null;
            }

            skipped = UnsafeOutputPath(file, null);
            return null;
        }

        private static BatchOutputException UnsafeOutputPath(BatchOutputFile file, string reason) =>
            new BatchOutputException("UnsafeOutputPath", FailureCategory.InvalidData,
                $"Skipped blob '{file.BlobName}': {reason ?? "it would be written outside the destination folder"}. " +
                "The other files were downloaded; fetch this one under another name with the Azure portal or Azure Storage Explorer.", file.BlobName);

        private static void MoveIntoPlace(string partial, string target, bool force)
        {
            try
            {
                // File.Move refuses a target that exists, so the usual case (no file there) needs no look of its own.
                File.Move(partial, target);
            }
            catch (IOException) when (File.Exists(target))
            {
                if (!force)
                {
                    throw TargetExists(target);
                }

                File.Replace(partial, target, destinationBackupFileName: null);
            }
        }

        private static BatchOutputException LocalPathTooLong(BatchOutputFile file, string fullPath)
        {
            // One name over the limit fails wherever it goes: a shorter -Destination only helps a long path.
            var longName = fullPath.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)
                .FirstOrDefault(name => LocalFileSystem.NameLength(name) > LocalFileSystem.MaxNameLength);
            if (longName != null)
            {
                return new BatchOutputException("LocalNameTooLong", FailureCategory.WriteError,
                    $"Could not download '{file.BlobName}': its name '{longName}' has {LocalFileSystem.NameLength(longName)} {LocalFileSystem.NameLengthUnit}, more than " +
                    $"file systems allow for one file or folder name ({LocalFileSystem.MaxNameLength}), wherever it goes. " +
                    "Fetch this file under another name with Azure Storage Explorer; the other files were downloaded.", file.BlobName);
            }

            return new BatchOutputException("LocalPathTooLong", FailureCategory.WriteError,
                $"Could not download '{file.BlobName}': the local path '{fullPath}' is too long for this file system " +
                $"({fullPath.Length} characters). Choose a shorter -Destination, or fetch this file under another name with Azure Storage Explorer.", file.BlobName);
        }

        private static BatchOutputException TargetExists(string path, string why = null) =>
            new BatchOutputException("DownloadTargetExists", FailureCategory.ResourceExists,
                $"'{path}' already exists{why} and was left as it is. Use -Force to replace it, or choose another -Destination.", path);

        private static void TryDelete(string path)
        {
            try
            {
                File.Delete(path);
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }
}
