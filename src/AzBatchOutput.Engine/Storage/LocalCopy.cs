using System;
using System.Buffers;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;

namespace AzBatchOutput.Storage
{
    /// <summary>
    /// Whether a local file already holds an output's content: the same length and the MD5 the blob stores. Such a file
    /// counts as downloaded, so a download run again after an interruption fetches only what is missing.
    /// </summary>
    internal static class LocalCopy
    {
        private const int BufferSize = 81920;

        /// <summary>False for a blob with no stored MD5 (nothing to compare) and for a file that cannot be read.</summary>
        public static async Task<bool> HoldsAsync(string path, BatchOutputFile file, CancellationToken ct)
        {
            if (file.ContentMd5 == null || file.ContentMd5.Length != 16)
            {
                return false;
            }

            var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
            try
            {
                using (var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, useAsync: true))
                using (var md5 = MD5.Create())
                {
                    if (stream.Length != file.Length)
                    {
                        return false;
                    }

                    int read;
                    while ((read = await stream.ReadAsync(buffer, 0, BufferSize, ct).ConfigureAwait(false)) > 0)
                    {
                        md5.TransformBlock(buffer, 0, read, null, 0);
                    }

                    md5.TransformFinalBlock(buffer, 0, 0);
                    return md5.Hash.SequenceEqual(file.ContentMd5);
                }
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                return false;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }
}
