using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;

namespace AzBatchOutput.TaskCommand
{
    /// <summary>
    /// Runs a script block in the caller's runspace (a nested pipeline on the pipeline thread), writing what pwsh would
    /// print of it to stdout.txt and its errors to stderr.txt, line by line as they come: output as text, Write-Host's
    /// lines, and the warnings, verbose and debug messages that its preferences let through, with pwsh's 'WARNING: '
    /// prefixes. Those host lines and messages also still reach the host, as they did before they were captured.
    /// </summary>
    internal static class ScriptBlockRunner
    {
        // Every stream is merged so that the order is kept, then split by type. Redirection takes Write-Information's
        // records even where the information preference hides them, so Write-Host's (a HostInformationMessage) are
        // always kept and the others only when the command runs with information shown. A Write-Host -NoNewline line
        // is continued, not ended.
        private const string Wrapper = @"
param($__AzboScript, $__AzboOut, $__AzboErr, $__AzboState, $__AzboArgs, $__AzboAllInformation)
$global:LASTEXITCODE = 0
$__AzboUI = $Host.UI
& $__AzboScript @__AzboArgs *>&1 | ForEach-Object {
    if ($_ -is [System.Management.Automation.ErrorRecord]) { $__AzboState.Errors++; $__AzboErr.WriteLine($_.ToString()) }
    elseif ($_ -is [System.Management.Automation.WarningRecord]) { $__AzboOut.WriteLine('WARNING: ' + $_.Message); if ($__AzboUI) { $__AzboUI.WriteWarningLine($_.Message) } }
    elseif ($_ -is [System.Management.Automation.VerboseRecord]) { $__AzboOut.WriteLine('VERBOSE: ' + $_.Message); if ($__AzboUI) { $__AzboUI.WriteVerboseLine($_.Message) } }
    elseif ($_ -is [System.Management.Automation.DebugRecord]) { $__AzboOut.WriteLine('DEBUG: ' + $_.Message); if ($__AzboUI) { $__AzboUI.WriteDebugLine($_.Message) } }
    elseif ($_ -is [System.Management.Automation.InformationRecord]) {
        $message = $_.MessageData -as [System.Management.Automation.HostInformationMessage]
        if ($message) {
            $text = if ($message.NoNewLine) { $message.Message } else { $message.Message + [Environment]::NewLine }
            $__AzboOut.Write($text)
            if ($__AzboUI) {
                if ($null -ne $message.ForegroundColor -or $null -ne $message.BackgroundColor) {
                    $foreground = if ($null -ne $message.ForegroundColor) { $message.ForegroundColor } else { $__AzboUI.RawUI.ForegroundColor }
                    $background = if ($null -ne $message.BackgroundColor) { $message.BackgroundColor } else { $__AzboUI.RawUI.BackgroundColor }
                    $__AzboUI.Write($foreground, $background, $text)
                } else { $__AzboUI.Write($text) }
            }
        }
        elseif ($__AzboAllInformation) { $__AzboOut.WriteLine([string]$_.MessageData); if ($__AzboUI) { $__AzboUI.WriteInformation($_) } }
    }
    else { $__AzboOut.WriteLine([string]$_) }
}
$__AzboState.LastExitCode = $global:LASTEXITCODE
";

        /// <param name="showInformation">Whether Write-Information's messages show (the command's information preference is Continue).</param>
        public static int Run(ScriptBlock script, object[] arguments, bool showInformation, TaskLogFiles logs)
        {
            var state = new RunState();
            var output = new StreamWriter(logs.Output, new UTF8Encoding(false), 4096, leaveOpen: true) { AutoFlush = true };
            var errors = new StreamWriter(logs.Error, new UTF8Encoding(false), 4096, leaveOpen: true) { AutoFlush = true };
            using (output)
            using (errors)
            using (var shell = PowerShell.Create(RunspaceMode.CurrentRunspace))
            {
                shell.AddScript(Wrapper, useLocalScope: true)
                    .AddArgument(script).AddArgument(output).AddArgument(errors).AddArgument(state).AddArgument(arguments ?? new object[0])
                    .AddArgument(showInformation);
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
