using System;
using System.IO;
using System.Linq;

namespace AzBatchOutput.Benchmarks
{
    /// <summary>Local input files, made once and kept under benchmarks/work/data (incompressible bytes from a seeded PRNG).</summary>
    internal static class DataSets
    {
        public static string SmallFiles(string workFolder, int count, int size)
        {
            var folder = Path.Combine(workFolder, "data", $"small-{count}x{size}");
            var stamp = Path.Combine(workFolder, "data", $"small-{count}x{size}.done");
            if (File.Exists(stamp) && Directory.Exists(folder) &&
                Directory.EnumerateFiles(folder).Count() == count)
            {
                return folder;
            }

            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }

            Directory.CreateDirectory(folder);
            var random = new Random(20260101);
            var buffer = new byte[size];
            for (var i = 0; i < count; i++)
            {
                random.NextBytes(buffer);
                File.WriteAllBytes(Path.Combine(folder, $"part-{i:D5}.bin"), buffer);
            }

            File.WriteAllText(stamp, DateTime.UtcNow.ToString("o"));
            return folder;
        }

        public static string BigFile(string workFolder, long length)
        {
            var folder = Path.Combine(workFolder, "data", $"big-{length}");
            var path = Path.Combine(folder, "big.bin");
            var stamp = path + ".done";
            if (File.Exists(stamp) && File.Exists(path) && new FileInfo(path).Length == length)
            {
                return path;
            }

            Directory.CreateDirectory(folder);
            var random = new Random(20260102);
            var buffer = new byte[4 << 20];
            using (var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            {
                long written = 0;
                while (written < length)
                {
                    random.NextBytes(buffer);
                    var n = (int)Math.Min(buffer.Length, length - written);
                    stream.Write(buffer, 0, n);
                    written += n;
                }
            }

            File.WriteAllText(stamp, DateTime.UtcNow.ToString("o"));
            return path;
        }

        /// <summary>Files and bytes below a folder (to check what a download wrote).</summary>
        public static (long Files, long Bytes) Measure(string folder)
        {
            if (!Directory.Exists(folder))
            {
                return (0, 0);
            }

            long files = 0;
            long bytes = 0;
            foreach (var file in new DirectoryInfo(folder).EnumerateFiles("*", SearchOption.AllDirectories))
            {
                files++;
                bytes += file.Length;
            }

            return (files, bytes);
        }

        public static void DeleteFolder(string folder)
        {
            for (var attempt = 0; attempt < 3; attempt++)
            {
                try
                {
                    if (Directory.Exists(folder))
                    {
                        Directory.Delete(folder, recursive: true);
                    }

                    return;
                }
                catch (IOException)
                {
                    System.Threading.Thread.Sleep(200);
                }
            }
        }
    }
}
