using System;
using System.IO;
using System.Linq;
using System.Text;
using AzBatchOutput.Storage;

namespace AzBatchOutput.Report
{
    /// <summary>Writes a report page to disk: to a temporary name beside the target first, so a failure never leaves half a page.</summary>
    public static class ReportWriter
    {
        private const string PartialSuffix = ".azbo-partial";

        // Invalid on Windows as well as here: a report is often copied to another machine.
        private static readonly char[] Unsafe = Path.GetInvalidFileNameChars().Concat(new[] { ':', '*', '?', '"', '<', '>', '|', '\\', '/' }).Distinct().ToArray();

        /// <summary>
        /// The file name a report of <paramref name="jobId"/> gets in a folder: "{jobId}.html", ':' and the like made '_',
        /// and "con_.html" for a job named like a Windows device ("con.html" would be the console there).
        /// </summary>
        public static string DefaultFileName(string jobId)
        {
            var name = new StringBuilder(jobId ?? "job");
            for (var i = 0; i < name.Length; i++)
            {
                if (Array.IndexOf(Unsafe, name[i]) >= 0 || char.IsControl(name[i]))
                {
                    name[i] = '_';
                }
            }

            if (Conventions.OutputPath.IsReservedDeviceName(name + ".html"))
            {
                name.Append('_');
            }

            return name + ".html";
        }

        public static FileInfo Write(string path, string html)
        {
            string full;
            try
            {
                full = Path.GetFullPath(path);
            }
            catch (Exception ex) when (ex is ArgumentException || ex is NotSupportedException || ex is PathTooLongException)
            {
                // .NET Framework refuses some paths here already (a ':' inside, over 260 characters).
                throw StorageErrors.Translate(new IOException(ex.Message, ex), "write the report to", $"'{path}'", null, targetObject: path);
            }

            var partial = full + "." + Guid.NewGuid().ToString("N").Substring(0, 8) + PartialSuffix;
            try
            {
                Directory.CreateDirectory(Path.GetDirectoryName(full));
                File.WriteAllText(partial, html, new UTF8Encoding(false));
                if (File.Exists(full))
                {
                    File.Replace(partial, full, destinationBackupFileName: null);
                }
                else
                {
                    File.Move(partial, full);
                }

                return new FileInfo(full);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException || ex is NotSupportedException)
            {
                TryDelete(partial);
                throw StorageErrors.Translate(ex is NotSupportedException ? new IOException(ex.Message, ex) : ex, "write the report to", $"'{full}'", null, targetObject: full);
            }
        }

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
