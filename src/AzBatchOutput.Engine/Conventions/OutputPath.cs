using System;
using System.Collections.Generic;

namespace AzBatchOutput.Conventions
{
    /// <summary>
    /// Relative paths below a kind's folder: normalising what a user types for an upload, and judging whether a path read
    /// back from a blob name is safe to recreate on disk.
    /// </summary>
    public static class OutputPath
    {
        private const string ErrorId = "InvalidOutputPath";

        // Windows opens these as devices whatever the extension, so "nul.txt" would never reach the disk.
        private static readonly HashSet<string> ReservedDeviceNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
        {
            "CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
            "COM0", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "COM\u00B9", "COM\u00B2", "COM\u00B3",
            "LPT0", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "LPT\u00B9", "LPT\u00B2", "LPT\u00B3",
        };

        /// <summary>True for a name that Windows opens as a device whatever its extension: "con", "nul.txt", "aux.tar.gz".</summary>
        internal static bool IsReservedDeviceName(string name)
        {
            var dot = name.IndexOf('.');
            return ReservedDeviceNames.Contains((dot >= 0 ? name.Substring(0, dot) : name).TrimEnd(' '));
        }

        public static string Normalize(string relativePath)
        {
            if (string.IsNullOrEmpty(relativePath))
            {
                throw Refuse(relativePath, "The output path is empty; give a file name such as 'out/result.txt'.");
            }

            var control = FindControlCharacter(relativePath);
            if (control >= 0)
            {
                throw Refuse(relativePath,
                    $"The output path {MessageText.Quote(relativePath)} contains the control character {MessageText.Describe(relativePath[control])} at position {control + 1}.");
            }

            // Users on Windows type '\'; blob names and every conventions reader use '/'.
            var path = relativePath.Replace('\\', '/');
            if (path.Trim('/').Length == 0)
            {
                throw Refuse(relativePath, $"The output path {MessageText.Quote(relativePath)} has only separators; give a file name such as 'out/result.txt'.");
            }

            if (path[0] == '/' || StartsWithDrive(path))
            {
                throw Refuse(relativePath,
                    $"The output path {MessageText.Quote(relativePath)} is rooted; give a path relative to the kind's folder, such as 'out/result.txt'.");
            }

            var kept = new List<string>();
            foreach (var segment in path.Split('/'))
            {
                if (segment.Length == 0 || segment == ".")
                {
                    continue;
                }

                if (segment == "..")
                {
                    if (kept.Count == 0)
                    {
                        throw Refuse(relativePath,
                            $"The output path {MessageText.Quote(relativePath)} goes above the kind's folder with '..'; outputs must stay inside it.");
                    }

                    kept.RemoveAt(kept.Count - 1);
                    continue;
                }

                kept.Add(segment);
            }

            if (kept.Count == 0)
            {
                throw Refuse(relativePath, $"The output path {MessageText.Quote(relativePath)} names no file once '.' and '..' are resolved.");
            }

            foreach (var segment in kept)
            {
                // Azure Storage drops a trailing '.' from a path segment, so "notes." would be stored as "notes":
                // the blob would not be where this module (or any reader) computed it.
                if (segment.EndsWith(".", StringComparison.Ordinal))
                {
                    throw Refuse(relativePath,
                        $"The output path {MessageText.Quote(relativePath)} has the segment '{segment}', which ends in '.'; Azure Storage removes a trailing '.', so rename it.");
                }
            }

            return string.Join("/", kept);
        }

        public static bool TryGetSafeRelativePath(string blobPath, out string safe, out string reason)
        {
            safe = null;
            reason = FindUnsafe(blobPath);
            if (reason != null)
            {
                return false;
            }

            // Nothing that would need changing was accepted, so the stored text is already the answer.
            safe = blobPath;
            return true;
        }

        /// <summary>Why a stored path cannot be written under a folder as it is, or null when it can.</summary>
        private static string FindUnsafe(string path)
        {
            if (string.IsNullOrEmpty(path))
            {
                return "the path is empty";
            }

            var control = FindControlCharacter(path);
            if (control >= 0)
            {
                return $"the path contains the control character {MessageText.Describe(path[control])} at position {control + 1}";
            }

            // A backslash is a separator on Windows and an ordinary character elsewhere: the file would land in different places.
            if (path.IndexOf('\\') >= 0)
            {
                return "the path contains '\\'";
            }

            if (path[0] == '/')
            {
                return "the path is rooted (starts with '/')";
            }

            foreach (var segment in path.Split('/'))
            {
                var problem = FindUnsafeSegment(segment);
                if (problem != null)
                {
                    return problem;
                }
            }

            return null;
        }

        private static string FindUnsafeSegment(string segment)
        {
            if (segment.Length == 0)
            {
                return "the path has an empty segment ('//' or a trailing '/')";
            }

            if (segment == "." || segment == "..")
            {
                return $"the path has a '{segment}' segment";
            }

            // Windows silently drops a trailing '.' or ' ', so two different blobs could overwrite one file.
            var last = segment[segment.Length - 1];
            if (last == '.' || last == ' ')
            {
                return $"the segment '{segment}' ends in '{last}', which Windows removes";
            }

            // "C:x" after a folder is re-rooted by Path.Combine on Windows: it would leave the destination.
            if (StartsWithDrive(segment))
            {
                return $"the segment '{segment}' starts like a drive ('{segment.Substring(0, 2)}')";
            }

            if (IsReservedDeviceName(segment))
            {
                var dot = segment.IndexOf('.');
                return $"the segment '{segment}' is the reserved Windows device name '{(dot >= 0 ? segment.Substring(0, dot) : segment).TrimEnd(' ')}'";
            }

            return null;
        }

        private static bool StartsWithDrive(string text) =>
            text.Length >= 2 && text[1] == ':' && ((text[0] >= 'A' && text[0] <= 'Z') || (text[0] >= 'a' && text[0] <= 'z'));

        private static int FindControlCharacter(string text)
        {
            for (var i = 0; i < text.Length; i++)
            {
                if (char.IsControl(text[i]))
                {
                    return i;
                }
            }

            return -1;
        }

        private static BatchOutputException Refuse(string original, string message) =>
            new BatchOutputException(ErrorId, FailureCategory.InvalidArgument, message, original);
    }
}
