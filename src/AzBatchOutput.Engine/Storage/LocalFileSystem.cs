using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text;

namespace AzBatchOutput.Storage
{
    /// <summary>How this machine's file system tells names apart and how long one name may be.</summary>
    public static class LocalFileSystem
    {
        /// <summary>ext4, XFS and APFS allow 255 bytes of UTF-8 in one name; NTFS 255 UTF-16 units.</summary>
        public const int MaxNameLength = 255;

        private static readonly bool OnWindows = Path.DirectorySeparatorChar == '\\';

        /// <summary>Windows and macOS file systems ignore case by default: 'A.txt' and 'a.txt' are one file there.</summary>
        public static bool IgnoresCase { get; } = OnWindows || RuntimeInformation.IsOSPlatform(OSPlatform.OSX);

        public static StringComparer PathComparer { get; } = IgnoresCase ? StringComparer.OrdinalIgnoreCase : StringComparer.Ordinal;

        public static StringComparison PathComparison { get; } = IgnoresCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;

        /// <summary>One name's length as this file system counts it against <see cref="MaxNameLength"/>.</summary>
        public static int NameLength(string name) => OnWindows ? name.Length : Encoding.UTF8.GetByteCount(name);

        /// <summary>
        /// The longest whole path, in characters, that this runtime opens, or null for no such limit: .NET Framework
        /// (Windows PowerShell 5.1, which does not declare itself long-path aware) refuses 260 characters and more.
        /// </summary>
        public static int? MaxPathLength { get; } =
            RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", StringComparison.Ordinal) ? 259 : (int?)null;

        /// <summary>What <see cref="NameLength"/> counts, for messages.</summary>
        public static string NameLengthUnit => OnWindows ? "characters" : "bytes";
    }
}
