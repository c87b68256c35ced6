using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;

namespace AzBatchOutput.TaskCommand
{
    /// <summary>
    /// Runs a script block in the caller's runspace (a nested pipeline on the pipeline thread), writing its output to
    /// stdout.txt and its errors to stderr.txt line by line as they come.
    /// </summary>
    internal static class ScriptBlockRunner
    {
        // Output and errors are merged so their order is kept, then split by type; Write-Host still reaches the host.
        private const string Wrapper = @"
param($__AzboScript, $__AzboOut, $__AzboErr, $__AzboState, $__AzboArgs)
$global:LASTEXITCODE = 0
& $__AzboScript @__AzboArgs 2>&1 | ForEach-Object {
    if ($_ -is [System.Management.Automation.ErrorRecord]) { $__AzboState.Errors++; $__AzboErr.WriteLine($_.ToString()) }
    else { $__AzboOut.WriteLine([string]$_) }
}
$__AzboState.LastExitCode = $global:LASTEXITCODE
";

        public static int Run(ScriptBlock script, object[] arguments, TaskLogFiles logs)
        {
            var state = new RunState();
            var output = new StreamWriter(logs.Output, new UTF8Encoding(false), 4096, leaveOpen: true) { AutoFlush = true };
            var errors = new StreamWriter(logs.Error, new UTF8Encoding(false), 4096, leaveOpen: true) { AutoFlush = true };
            using (output)
            using (errors)
            using (var shell = PowerShell.Create(RunspaceMode.CurrentRunspace))
            {
                shell.AddScript(Wrapper, useLocalScope: true)
                    .AddArgument(script).AddArgument(output).AddArgument(errors).AddArgument(state).AddArgument(arguments ?? new object[0]);
                try
                {
                    shell.Invoke();
                }
                catch (RuntimeException terminating)
                {
                    errors.WriteLine(terminating.ErrorRecord?.ToString() ?? terminating.Message);
                    return 1;
                }

                foreach (var error in shell.Streams.Error)
                {
                    errors.WriteLine(error.ToString());
                    state.Errors++;
                }
            }

            if (state.LastExitCode == null)
            {
                // `exit N` inside the script block ended the wrapper early; PowerShell left N in $LASTEXITCODE.
                using (var read = PowerShell.Create(RunspaceMode.CurrentRunspace))
                {
                    state.LastExitCode = read.AddScript("$global:LASTEXITCODE").Invoke().FirstOrDefault()?.BaseObject;
                }
            }

            // A failing native command inside decides the code, as it would for pwsh; otherwise any error means failure.
            return LanguagePrimitives.TryConvertTo<int>(state.LastExitCode, out var code) && code != 0 ? code : state.Errors > 0 ? 1 : 0;
        }

        public sealed class RunState
        {
            public int Errors { get; set; }

            public object LastExitCode { get; set; }
        }
    }
}
