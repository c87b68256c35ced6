using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace AzBatchOutput.Tracking
{
    /// <summary>Reading a file that another process is still writing.</summary>
    internal static class TrackedFile
    {
        /// <summary>
        /// Opens for reading while letting the writer go on writing, and rename or delete it (a rotating logger), on
        /// Windows too. Null when the file does not exist (yet).
        /// </summary>
        public static FileStream TryOpen(string path)
        {
            try
            {
                return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096, FileOptions.Asynchronous);
            }
            catch (FileNotFoundException)
            {
                return null;
            }
            catch (DirectoryNotFoundException)
            {
                return null;
            }
        }

        /// <summary>The file's length, or -1 when it does not exist.</summary>
        public static long LengthOrMissing(string path)
        {
            using (var file = TryOpen(path))
            {
                return file?.Length ?? -1;
            }
        }

        /// <summary>Reads until <paramref name="count"/> bytes or the end of the file; returns how many were read.</summary>
        public static async Task<int> ReadFullyAsync(Stream stream, byte[] buffer, int count, CancellationToken cancellationToken)
        {
            var total = 0;
            while (total < count)
            {
                var read = await stream.ReadAsync(buffer, total, count - total, cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                total += read;
            }

            return total;
        }
    }
}
