using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using System.Text.RegularExpressions;
using AzBatchOutput.TestSupport;
using Xunit;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>
    /// The engine's report types, loaded from the assembled module folder into a private load context (this test
    /// process holds an older Azure SDK, as a user's session does). The report model and <c>ReportHtml.Render</c> are
    /// pure, so tests build models in memory and render them with no storage at all.
    /// </summary>
    internal static class ReportEngine
    {
        private static readonly Lazy<Assembly> Engine = new Lazy<Assembly>(() =>
        {
            var context = new EngineLoadContext(Path.Combine(RepoPaths.ModuleFolder, "dependencies", "net8.0"));
            return context.LoadFromAssemblyName(new AssemblyName("AzBatchOutput.Engine"));
        });

        public static dynamic NewReport(string jobId, int logTailLines = 20)
        {
            dynamic report = New("JobReport");
            report.JobId = jobId;
            report.ContainerName = "job-" + jobId.ToLowerInvariant();
            report.ContainerUri = new Uri("https://mybatchstore.blob.core.windows.net/job-" + jobId.ToLowerInvariant());
            report.StorageAccountName = "mybatchstore";
            report.GeneratedAt = new DateTimeOffset(2026, 5, 4, 9, 30, 0, TimeSpan.Zero);
            report.LogTailLines = logTailLines;
            return report;
        }

        public static dynamic AddTask(dynamic report, string taskId)
        {
            dynamic task = New("TaskReport");
            task.TaskId = taskId;
            report.Tasks.Add(task);
            return task;
        }

        public static dynamic AddFile(dynamic files, string taskId, string kind, string path, long length, DateTimeOffset? modified = null)
        {
            dynamic file = New("ReportFile");
            var blobName = (string.IsNullOrEmpty(taskId) ? string.Empty : taskId + "/") + "$" + kind + "/" + path;
            file.Kind = kind;
            file.Path = path;
            file.BlobName = blobName;
            file.Uri = new Uri("https://mybatchstore.blob.core.windows.net/job-x/" + Uri.EscapeDataString(blobName));
            file.Length = length;
            file.LastModified = modified ?? new DateTimeOffset(2026, 5, 4, 8, 0, 0, TimeSpan.Zero);
            file.ContentType = "application/octet-stream";
            files.Add(file);
            return file;
        }

        public static dynamic Tail(IEnumerable<string> lines, bool whole = false, string note = null)
        {
            dynamic tail = New("ReportLogTail");
            foreach (var line in lines)
            {
                tail.Lines.Add(line);
            }

            tail.IsWholeFile = whole;
            tail.Note = note;
            return tail;
        }

        public static dynamic Preview(string mediaType, byte[] bytes, string note = null)
        {
            dynamic preview = New("ReportPreview");
            preview.MediaType = mediaType;
            preview.Bytes = bytes;
            preview.Note = note;
            return preview;
        }

        public static string Render(object report) => (string)Type("ReportHtml").GetMethod("Render").Invoke(null, new[] { report });

        /// <summary>LogTails.Extract: the last lines of a log from the bytes at its end.</summary>
        public static (List<string> Lines, bool Whole, string Note) ExtractTail(byte[] bytes, long offset, long length, int lines)
        {
            dynamic tail = Type("LogTails").GetMethod("Extract").Invoke(null, new object[] { bytes, offset, length, lines });
            return (new List<string>((IEnumerable<string>)tail.Lines), (bool)tail.IsWholeFile, (string)tail.Note);
        }

        private static object New(string name) => Activator.CreateInstance(Type(name));

        private static Type Type(string name) => Engine.Value.GetType("AzBatchOutput.Report." + name, throwOnError: true);

        private sealed class EngineLoadContext : AssemblyLoadContext
        {
            private readonly string _folder;

            public EngineLoadContext(string folder)
                : base("AzBatchOutput report tests")
            {
                _folder = folder;
            }

            protected override Assembly Load(AssemblyName name)
            {
                // The engine and its Azure SDK come from the module folder; the framework from the runtime.
                var path = Path.Combine(_folder, name.Name + ".dll");
                var ours = name.Name.StartsWith("AzBatchOutput", StringComparison.Ordinal) || name.Name.StartsWith("Azure.", StringComparison.Ordinal);
                return ours && File.Exists(path) ? LoadFromAssemblyPath(path) : null;
            }
        }
    }

    /// <summary>Headless Chromium (the Debian package 'chromium'), run as a user would open a report: from a file:// URL.</summary>
    internal static class ReportBrowser
    {
        private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(120);

        /// <summary>The browser; a test that needs it fails (never skips) when it is missing.</summary>
        public static string Executable
        {
            get
            {
                var candidates = new List<string>();
                var configured = Environment.GetEnvironmentVariable("AZBATCHOUTPUT_CHROMIUM");
                if (!string.IsNullOrWhiteSpace(configured))
                {
                    candidates.Add(configured);
                }

                candidates.Add("/usr/bin/chromium");
                candidates.Add("/usr/bin/chromium-browser");
                foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator))
                {
                    if (folder.Length > 0)
                    {
                        candidates.Add(Path.Combine(folder, "chromium"));
                    }
                }

                foreach (var candidate in candidates)
                {
                    if (File.Exists(candidate))
                    {
                        return candidate;
                    }
                }

                Assert.Fail("Chromium is missing, and the report tests render the page in it. Install the Debian package: " +
                            "apt-get update && apt-get install -y chromium (.ci/run does this on CI), or set AZBATCHOUTPUT_CHROMIUM to the browser's path.");
                return null;
            }
        }

        /// <summary>The DOM after the page's own script ran, as Chromium serializes it.</summary>
        public static string DumpDom(string htmlFile, string fragment = null) =>
            Run(htmlFile, fragment, "--dump-dom", "--window-size=1280,1600").Output;

        /// <summary>The DOM once the page's timers had time to run (virtual time: the clock jumps, nobody waits).</summary>
        public static string DumpDomAfterTimers(string htmlFile, string fragment = null) =>
            Run(htmlFile, fragment, "--dump-dom", "--window-size=1280,1600", "--virtual-time-budget=5000").Output;

        /// <summary>A PNG of the first screen of the page at the given window size; returns how long Chromium took.</summary>
        public static TimeSpan Screenshot(string htmlFile, string pngFile, int width, int height, string fragment = null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(pngFile));
            File.Delete(pngFile);
            var (_, elapsed) = Run(htmlFile, fragment, "--screenshot=" + pngFile, $"--window-size={width},{height}", "--hide-scrollbars");
            Assert.True(File.Exists(pngFile), $"Chromium wrote no screenshot to {pngFile}.");
            return elapsed;
        }

        private static (string Output, TimeSpan Elapsed) Run(string htmlFile, string fragment, params string[] mode)
        {
            var profile = Path.Combine(Path.GetTempPath(), "azbo-chromium-" + Guid.NewGuid().ToString("N").Substring(0, 12));
            Directory.CreateDirectory(profile);
            var start = new ProcessStartInfo(Executable)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in new[]
            {
                "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
            })
            {
                start.ArgumentList.Add(argument);
            }

            foreach (var argument in mode)
            {
                start.ArgumentList.Add(argument);
            }

            start.ArgumentList.Add(new Uri(Path.GetFullPath(htmlFile)).AbsoluteUri + (fragment == null ? string.Empty : "#" + fragment));
            var clock = Stopwatch.StartNew();
            try
            {
                using (var chromium = Process.Start(start))
                {
                    var output = chromium.StandardOutput.ReadToEndAsync();
                    var errors = chromium.StandardError.ReadToEndAsync();
                    if (!chromium.WaitForExit((int)Timeout.TotalMilliseconds))
                    {
                        chromium.Kill(entireProcessTree: true);
                        Assert.Fail($"Chromium did not finish within {Timeout.TotalSeconds:0} s.");
                    }

                    chromium.WaitForExit();
                    clock.Stop();
                    Assert.True(chromium.ExitCode == 0, $"Chromium exited with {chromium.ExitCode}: {errors.Result}");
                    return (output.Result, clock.Elapsed);
                }
            }
            finally
            {
                try
                {
                    Directory.Delete(profile, recursive: true);
                }
                catch (IOException)
                {
                }
                catch (UnauthorizedAccessException)
                {
                }
            }
        }

        public static int Count(string text, string needle) => Regex.Matches(text, Regex.Escape(needle)).Count;
    }

    /// <summary>Files tests keep for people to look at: TestResults/artifacts in the repository root (git-ignored).</summary>
    internal static class ReportArtifacts
    {
        public static string Folder
        {
            get
            {
                var folder = Path.Combine(RepoPaths.Root, "TestResults", "artifacts");
                Directory.CreateDirectory(folder);
                return folder;
            }
        }

        public static string PathOf(string name) => Path.Combine(Folder, name);
    }

    /// <summary>Small real PNG images (RGB, zlib-compressed scanlines), drawn from a pixel function.</summary>
    internal static class TestPng
    {
        private static readonly uint[] CrcTable = BuildCrcTable();

        public static byte[] Draw(int width, int height, Func<int, int, (byte R, byte G, byte B)> pixel)
        {
            var raw = new byte[height * (1 + width * 3)];
            var at = 0;
            for (var y = 0; y < height; y++)
            {
                raw[at++] = 0; // filter: none
                for (var x = 0; x < width; x++)
                {
                    var (r, g, b) = pixel(x, y);
                    raw[at++] = r;
                    raw[at++] = g;
                    raw[at++] = b;
                }
            }

            byte[] compressed;
            using (var buffer = new MemoryStream())
            {
                using (var zlib = new ZLibStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
                {
                    zlib.Write(raw, 0, raw.Length);
                }

                compressed = buffer.ToArray();
            }

            using (var png = new MemoryStream())
            {
                png.Write(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A });
                var header = new byte[13];
                BigEndian(header, 0, (uint)width);
                BigEndian(header, 4, (uint)height);
                header[8] = 8; // bits per channel
                header[9] = 2; // truecolour
                Chunk(png, "IHDR", header);
                Chunk(png, "IDAT", compressed);
                Chunk(png, "IEND", Array.Empty<byte>());
                return png.ToArray();
            }
        }

        /// <summary>A soft diagonal gradient between two colours with a light ring: looks like a render thumbnail.</summary>
        public static byte[] Thumbnail(int width, int height, (byte R, byte G, byte B) from, (byte R, byte G, byte B) to) =>
            Draw(width, height, (x, y) =>
            {
                var t = (x + y) / (double)(width + height - 2);
                var dx = x - width * 0.62;
                var dy = y - height * 0.45;
                var ring = Math.Abs(Math.Sqrt(dx * dx + dy * dy) - height * 0.28) < height * 0.05 ? 0.55 : 0.0;
                byte Mix(byte a, byte b) => (byte)Math.Min(255, a + (b - a) * t + (255 - (a + (b - a) * t)) * ring);
                return (Mix(from.R, to.R), Mix(from.G, to.G), Mix(from.B, to.B));
            });

        private static void Chunk(Stream png, string type, byte[] data)
        {
            var length = new byte[4];
            BigEndian(length, 0, (uint)data.Length);
            png.Write(length);
            var typeBytes = Encoding.ASCII.GetBytes(type);
            png.Write(typeBytes);
            png.Write(data);
            var crc = 0xFFFFFFFFu;
            foreach (var b in typeBytes)
            {
                crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
            }

            foreach (var b in data)
            {
                crc = CrcTable[(crc ^ b) & 0xFF] ^ (crc >> 8);
            }

            var crcBytes = new byte[4];
            BigEndian(crcBytes, 0, crc ^ 0xFFFFFFFFu);
            png.Write(crcBytes);
        }

        private static void BigEndian(byte[] target, int at, uint value)
        {
            target[at] = (byte)(value >> 24);
            target[at + 1] = (byte)(value >> 16);
            target[at + 2] = (byte)(value >> 8);
            target[at + 3] = (byte)value;
        }

        private static uint[] BuildCrcTable()
        {
            var table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                var c = n;
                for (var k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                }

                table[n] = c;
            }

            return table;
        }
    }
}
