using System.Diagnostics;

namespace AzBatchOutput.Benchmarks
{
    /// <summary>Runs a short-lived tool (git, node, taskset) to its end and returns what it said.</summary>
    internal static class ToolRun
    {
        public static (int ExitCode, string Output, string Error) Run(string file, params string[] arguments)
        {
            var startInfo = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var argument in arguments)
            {
                startInfo.ArgumentList.Add(argument);
            }

            using var process = Process.Start(startInfo);
            // Both streams at once: a tool that fills one pipe while the other is read would otherwise never end.
            var error = process.StandardError.ReadToEndAsync();
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, output, error.Result);
        }
    }
}
