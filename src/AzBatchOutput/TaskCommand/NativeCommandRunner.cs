using System;
using System.ComponentModel;
using System.Diagnostics;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using AzBatchOutput.Batch;

namespace AzBatchOutput.TaskCommand
{
    /// <summary>
    /// Runs a program with its stdout and stderr written, unbuffered, to log files (so trackers see every byte as it
    /// comes) and optionally echoed to this process's own streams (Batch's stdout.txt and stderr.txt).
    /// </summary>
    internal static class NativeCommandRunner
    {
        // errno on Linux and macOS, Win32 error codes on Windows.
        private const int NotFound = 2, PathNotFound = 3, WindowsAccessDenied = 5, UnixPermissionDenied = 13;

        /// <summary>Why a program did not start, told apart: the fix for a missing program is not the fix for an unexecutable one.</summary>
        internal static BatchOutputException CannotStart(string filePath, Win32Exception error)
        {
            if (Directory.Exists(filePath))
            {
                return new BatchOutputException("CommandNotExecutable", FailureCategory.InvalidArgument,
                    $"Could not start '{filePath}': it is a folder, not a program. Give the path of the program or script in it.", filePath);
            }

            switch (error.NativeErrorCode)
            {
                case NotFound:
                case PathNotFound:
                    return new BatchOutputException("CommandNotFound", FailureCategory.ObjectNotFound,
                        $"Could not start '{filePath}': there is no such program. Give the program's full path, one relative to the working folder, or a name on PATH.", filePath);
                case UnixPermissionDenied:
                case WindowsAccessDenied:
                    return new BatchOutputException("CommandNotExecutable", FailureCategory.PermissionDenied,
                        $"Could not start '{filePath}': permission denied. On Linux, a file needs its execute bit (resource files arrive without it): " +
                        "run 'chmod +x' on it first, or run it through its interpreter, e.g. -FilePath bash -ArgumentList script.sh.", filePath);
                default:
                    return new BatchOutputException("CommandNotExecutable", FailureCategory.InvalidArgument,
                        $"Could not start '{filePath}': {error.Message}. Give a program this system can run (not a folder or a document); " +
                        "run a script through its interpreter, e.g. -FilePath bash -ArgumentList script.sh.", filePath);
            }
        }

        /// <param name="batchFile">A .cmd or .bat file on Windows: its arguments are quoted for cmd.exe, which parses them.</param>
        public static int Run(string filePath, string[] arguments, bool batchFile, string workingDirectory, TaskLogFiles logs, bool echo, CancellationToken cancellationToken)
        {
            var start = new ProcessStartInfo(filePath, CommandLineArguments.Join(arguments, forCmd: batchFile))
            {
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = false,
                WorkingDirectory = workingDirectory,
            };

            Process process;
            try
            {
                process = Process.Start(start);
            }
            catch (Win32Exception error)
            {
                throw CannotStart(filePath, error);
            }

            using (process)
            using (cancellationToken.Register(() => TryKill(process)))
            {
                var stdout = Pump(process.StandardOutput.BaseStream, logs.Output, echo ? Console.OpenStandardOutput() : null);
                var stderr = Pump(process.StandardError.BaseStream, logs.Error, echo ? Console.OpenStandardError() : null);
                process.WaitForExit();
                try
                {
                    Task.WaitAll(new[] { stdout, stderr }, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl+C: a child the program left behind may hold its output open; take what comes in a moment, no more.
                    Task.WaitAny(Task.WhenAll(stdout, stderr), Task.Delay(CancelledDrainTime));
                }

                cancellationToken.ThrowIfCancellationRequested();
                return process.ExitCode;
            }
        }

        private static async Task Pump(Stream from, Stream log, Stream echo)
        {
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await from.ReadAsync(buffer, 0, buffer.Length).ConfigureAwait(false)) > 0)
            {
                await log.WriteAsync(buffer, 0, read).ConfigureAwait(false);
                await log.FlushAsync().ConfigureAwait(false);
                if (echo != null)
                {
                    await echo.WriteAsync(buffer, 0, read).ConfigureAwait(false);
                    await echo.FlushAsync().ConfigureAwait(false);
                }
            }
        }

        // Process.Kill(bool entireProcessTree) exists from .NET Core 3.0 (PowerShell 7), not in netstandard2.0 (Windows PowerShell).
        private static readonly System.Reflection.MethodInfo KillTree = typeof(Process).GetMethod("Kill", new[] { typeof(bool) });

        private static readonly TimeSpan CancelledDrainTime = TimeSpan.FromSeconds(2);

        /// <summary>
        /// Windows PowerShell 5.1 (.NET Framework) has no Kill(entireProcessTree): Windows' own taskkill /T ends the tree
        /// (cmd.exe and what it started). False where there is no taskkill (not Windows) or it failed. Untested here.
        /// </summary>
        private static bool KillTreeWithTaskkill(Process process)
        {
            if (System.IO.Path.DirectorySeparatorChar != '\\')
            {
                return false;
            }

            try
            {
                var taskkill = new ProcessStartInfo("taskkill.exe", $"/T /F /PID {process.Id}") { UseShellExecute = false, CreateNoWindow = true };
                using (var killing = Process.Start(taskkill))
                {
                    return killing.WaitForExit(5000) && killing.ExitCode == 0;
                }
            }
            catch (Win32Exception)
            {
                return false;
            }
        }

        /// <summary>
        /// Ends the program and, where the runtime can, every process it started: a shell's children would otherwise go on
        /// running, holding the output pipes open, and the command would not end on Ctrl+C.
        /// </summary>
        private static void TryKill(Process process)
        {
            try
            {
                if (process.HasExited)
                {
                    return;
                }

                if (KillTree != null)
                {
                    KillTree.Invoke(process, new object[] { true });
                }
                else if (!KillTreeWithTaskkill(process))
                {
                    process.Kill();
                }
            }
            catch (System.Reflection.TargetInvocationException)
            {
                // Exited meanwhile, or a child could not be ended: nothing more to do.
            }
            catch (InvalidOperationException)
            {
            }
            catch (Win32Exception)
            {
            }
        }
    }
}
