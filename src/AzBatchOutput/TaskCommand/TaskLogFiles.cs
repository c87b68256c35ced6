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
            Directory.CreateDirectory(folder);
            OutputPath = Path.Combine(folder, OutputName);
            ErrorPath = Path.Combine(folder, ErrorName);
            Output = Open(OutputPath);
            Error = Open(ErrorPath);
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
