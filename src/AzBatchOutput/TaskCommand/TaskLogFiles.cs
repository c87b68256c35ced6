using System;
using System.IO;

namespace AzBatchOutput.TaskCommand
{
    /// <summary>The command's stdout.txt and stderr.txt, shared for reading so the trackers can follow them.</summary>
    internal sealed class TaskLogFiles : IDisposable
    {
        public const string OutputName = "stdout.txt";
        public const string ErrorName = "stderr.txt";

        public TaskLogFiles(string folder)
        {
            OutputPath = Path.Combine(folder, OutputName);
            ErrorPath = Path.Combine(folder, ErrorName);
            try
            {
                Directory.CreateDirectory(folder);
                Output = Open(OutputPath);
                Error = Open(ErrorPath);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                Output?.Dispose();
                throw new BatchOutputException("LogFolderNotWritable",
                    ex is UnauthorizedAccessException ? FailureCategory.PermissionDenied : FailureCategory.WriteError,
                    $"Could not create {OutputName} and {ErrorName} in '{folder}' ({ex.Message}), so the command was not run. " +
                    "Give -LogDirectory a folder this task may write, or leave it out to write them in the working folder.", folder);
            }
        }

        public string OutputPath { get; }

        public string ErrorPath { get; }

        public FileStream Output { get; }

        public FileStream Error { get; }

        public void Dispose()
        {
            Output.Dispose();
            Error.Dispose();
        }

        private static FileStream Open(string path) =>
            new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete, bufferSize: 1, useAsync: false);
    }
}
