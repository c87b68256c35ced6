using System;
using System.IO;
using System.Security.Cryptography;

namespace AzBatchOutput.Module.Tests.Infrastructure
{
    /// <summary>A fresh folder under the system temp folder, deleted afterwards.</summary>
    public sealed class TempFolder : IDisposable
    {
        public TempFolder()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "azbo-test-" + Guid.NewGuid().ToString("N").Substring(0, 12));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public string Combine(params string[] parts) => System.IO.Path.Combine(Path, System.IO.Path.Combine(parts));

        /// <summary>Writes random bytes to a file under this folder and returns its full path.</summary>
        public string WriteRandomFile(string relativePath, int length, int seed = 0)
        {
            var bytes = new byte[length];
            new Random(seed == 0 ? relativePath.GetHashCode() : seed).NextBytes(bytes);
            return WriteFile(relativePath, bytes);
        }

        public string WriteFile(string relativePath, byte[] bytes)
        {
            var full = Combine(relativePath.Split('/'));
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full));
            File.WriteAllBytes(full, bytes);
            return full;
        }

        public static string Sha256(string file)
        {
            using (var sha = SHA256.Create())
            using (var stream = File.OpenRead(file))
            {
                return Convert.ToHexString(sha.ComputeHash(stream));
            }
        }

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
