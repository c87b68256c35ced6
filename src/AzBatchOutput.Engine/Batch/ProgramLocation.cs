using System;
using System.IO;

namespace AzBatchOutput.Batch
{
    /// <summary>Where the program a task command names is, as PowerShell would find it from its current folder.</summary>
    public static class ProgramLocation
    {
        private const string DefaultPathExt = ".COM;.EXE;.BAT;.CMD";

        /// <summary>
        /// A path with a folder in it (<c>./render</c>, <c>bin\run</c>) is taken from <paramref name="workingDirectory"/>,
        /// PowerShell's location, which the process's own current folder need not be; on Windows one without an
        /// extension is tried with each of PATHEXT's, as Windows finds <c>.\tool</c> as tool.exe. A bare name is left for
        /// the system to find on PATH.
        /// </summary>
        public static string Resolve(string filePath, string workingDirectory, bool onWindows, string pathExt)
        {
            if (filePath.IndexOfAny(new[] { '/', '\\' }) < 0)
            {
                return filePath;
            }

            var local = Path.Combine(workingDirectory, filePath);
            if (File.Exists(local) || Directory.Exists(local))
            {
                return local;
            }

            if (onWindows && Path.GetExtension(filePath).Length == 0)
            {
                foreach (var extension in (string.IsNullOrEmpty(pathExt) ? DefaultPathExt : pathExt).Split(new[] { ';' }, StringSplitOptions.RemoveEmptyEntries))
                {
                    if (File.Exists(local + extension.Trim()))
                    {
                        return local + extension.Trim();
                    }
                }
            }

            return filePath;
        }
    }
}
