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
        public static int Run(string filePath, string[] arguments, string workingDirectory, TaskLogFiles logs, bool echo, CancellationToken cancellationToken)
        {
            var start = new ProcessStartInfo(filePath, CommandLineArguments.Join(arguments))
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
                throw new BatchOutputException("CommandNotFound", FailureCategory.ObjectNotFound,
                    $"Could not start '{filePath}': {error.Message}. Give the program's full path, or one on PATH.", filePath);
            }

            using (process)
            using (cancellationToken.Register(() => TryKill(process)))
            {
                var stdout = Pump(process.StandardOutput.BaseStream, logs.Output, echo ? Console.OpenStandardOutput() : null);
                var stderr = Pump(process.StandardError.BaseStream, logs.Error, echo ? Console.OpenStandardError() : null);
                process.WaitForExit();
                Task.WaitAll(stdout, stderr);
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

        private static void TryKill(Process process)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill();
                }
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
