using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;

namespace AzBatchOutput.TestSupport
{
    /// <summary>
    /// Installs the Azurite pinned by tools/azurite/package-lock.json with <c>npm ci</c> when node_modules is
    /// missing or was installed from another lockfile. scripts/lib.sh does the same from bash, with the same
    /// lock file and the same stamp, so the two never install at once.
    /// </summary>
    public static class AzuriteInstaller
    {
        /// <summary>Written into node_modules after a successful <c>npm ci</c>: a copy of the lockfile it installed.</summary>
        public const string StampFileName = ".azbatchoutput-install-stamp";

        /// <summary>The file whose exclusive lock (flock on Unix) serialises installs across processes.</summary>
        public const string LockFileName = ".install.lock";

        private static readonly TimeSpan LockTimeout = TimeSpan.FromMinutes(10);
        private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(10);
        private static readonly object InProcessLock = new object();

        /// <summary>Azurite's blob service entry point: node_modules/azurite/dist/src/blob/main.js.</summary>
        public static string BlobMainScript =>
            Path.Combine(RepoPaths.AzuriteToolFolder, "node_modules", "azurite", "dist", "src", "blob", "main.js");

        /// <summary>True when node_modules holds exactly what the committed lockfile pins.</summary>
        public static bool IsInstalled()
        {
            string folder = RepoPaths.AzuriteToolFolder;
            string lockfile = Path.Combine(folder, "package-lock.json");
            string stamp = Path.Combine(folder, "node_modules", StampFileName);
            if (!File.Exists(lockfile) || !File.Exists(stamp) || !File.Exists(BlobMainScript))
            {
                return false;
            }

            try
            {
                return File.ReadAllBytes(lockfile).AsSpan().SequenceEqual(File.ReadAllBytes(stamp));
            }
            catch (IOException)
            {
                return false;
            }
        }

        /// <summary>Installs Azurite unless it is installed already; returns the blob service's entry script.</summary>
        public static string EnsureInstalled()
        {
            if (IsInstalled())
            {
                return BlobMainScript;
            }

            string folder = RepoPaths.AzuriteToolFolder;
            if (!File.Exists(Path.Combine(folder, "package-lock.json")))
            {
                throw new AzuriteStartException(
                    $"Cannot install Azurite: {Path.Combine(folder, "package-lock.json")} does not exist.");
            }

            lock (InProcessLock)
            {
                using (AcquireFileLock(Path.Combine(folder, LockFileName)))
                {
                    // Another process may have installed it while this one waited for the lock.
                    if (!IsInstalled())
                    {
                        RunNpmCi(folder);
                        File.Copy(Path.Combine(folder, "package-lock.json"),
                                  Path.Combine(folder, "node_modules", StampFileName), overwrite: true);
                    }
                }
            }

            if (!IsInstalled())
            {
                throw new AzuriteStartException(
                    $"npm ci in {folder} succeeded but {BlobMainScript} is missing: is azurite still in package.json?");
            }

            return BlobMainScript;
        }

        private static FileStream AcquireFileLock(string path)
        {
            Stopwatch waited = Stopwatch.StartNew();
            while (true)
            {
                try
                {
                    // FileShare.None takes an exclusive flock() on Unix, the same lock that flock(1) takes in scripts/lib.sh.
                    return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                }
                catch (IOException) when (waited.Elapsed < LockTimeout)
                {
                    Thread.Sleep(250);
                }
                catch (IOException e)
                {
                    throw new AzuriteStartException(
                        $"Waited {LockTimeout.TotalMinutes:0} minutes for another process to finish installing Azurite (lock file {path}).", e);
                }
            }
        }

        private static void RunNpmCi(string folder)
        {
            string[] npmArguments = { "ci", "--no-audit", "--no-fund", "--loglevel=error" };
            ProcessStartInfo startInfo;
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                // npm is a .cmd script on Windows, which only cmd.exe runs.
                startInfo = new ProcessStartInfo("cmd.exe");
                foreach (string argument in new[] { "/d", "/c", "npm" }.Concat(npmArguments))
                {
                    startInfo.ArgumentList.Add(argument);
                }
            }
            else
            {
                startInfo = new ProcessStartInfo("npm");
                foreach (string argument in npmArguments)
                {
                    startInfo.ArgumentList.Add(argument);
                }
            }

            startInfo.WorkingDirectory = folder;
            startInfo.UseShellExecute = false;
            startInfo.RedirectStandardInput = true;
            startInfo.RedirectStandardOutput = true;
            startInfo.RedirectStandardError = true;
            startInfo.CreateNoWindow = true;
            startInfo.Environment["npm_config_update_notifier"] = "false";

            var output = new List<string>();
            using var process = new Process { StartInfo = startInfo };
            process.OutputDataReceived += (_, e) => { if (e.Data != null) { lock (output) { output.Add(e.Data); } } };
            process.ErrorDataReceived += (_, e) => { if (e.Data != null) { lock (output) { output.Add(e.Data); } } };
            try
            {
                process.Start();
            }
            catch (Win32Exception e)
            {
                throw new AzuriteStartException(
                    $"Cannot install Azurite: npm could not be started ({e.Message}). Install Node.js and npm and put them on PATH.", e);
            }

            process.StandardInput.Close();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            if (!process.WaitForExit((int)InstallTimeout.TotalMilliseconds))
            {
                try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
                process.WaitForExit();
                throw new AzuriteStartException(
                    $"npm ci in {folder} did not finish within {InstallTimeout.TotalMinutes:0} minutes.{Tail(output)}");
            }

            process.WaitForExit(); // drains the redirected output
            if (process.ExitCode != 0)
            {
                throw new AzuriteStartException(
                    $"npm ci in {folder} failed with exit code {process.ExitCode}.{Tail(output)}");
            }
        }

        private static string Tail(List<string> lines)
        {
            lock (lines)
            {
                return Environment.NewLine + "npm output (last lines):" + Environment.NewLine +
                       string.Join(Environment.NewLine, lines.Skip(Math.Max(0, lines.Count - 40)));
            }
        }
    }
}
