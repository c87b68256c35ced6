using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.InteropServices;

namespace AzBatchOutput.TestHost;

/// <summary>
/// <para>Runs a script the way <c>pwsh -NoProfile -Command "&lt;script&gt;"</c> does, with the PowerShell 7 engine of the
/// System.Management.Automation package, for machines without pwsh:</para>
/// <code>
/// AzBatchOutput.TestHost [-NoProfile] [-NonInteractive] [-NoLogo] -c|-Command &lt;script&gt; [more script text...]
/// AzBatchOutput.TestHost [-NoProfile] [-NonInteractive] [-NoLogo] -File &lt;script.ps1&gt; [arguments...]
/// </code>
/// <para>The runspace comes from InitialSessionState.CreateDefault2(): only the Core cmdlets (Import-Module, ForEach-Object,
/// Where-Object, Out-Default, ...), no Utility cmdlets such as Start-Sleep or Write-Host; use .NET instead
/// (<c>[Threading.Thread]::Sleep(100)</c>, <c>[Console]::WriteLine()</c>).</para>
/// <para>Output is formatted by Out-Default (as pwsh does) and written to stdout; warnings, verbose and debug lines go to
/// stdout with pwsh's prefixes ("WARNING: ", ...); errors go to stderr.</para>
/// <para>Exit code: the script's <c>exit N</c>; else 1 after an uncaught terminating error; else $LASTEXITCODE when a
/// native command set it; else 0. 130 when stopped by Ctrl+C, 64 for a bad command line. The runspace is closed before the
/// process exits, so whatever the script left running (e.g. output trackers) ends as it would when pwsh exits.</para>
/// </summary>
internal static class Program
{
    private const int UsageExitCode = 64;
    private const int InterruptedExitCode = 130;

    private const string Usage =
        "usage: AzBatchOutput.TestHost [-NoProfile] [-NonInteractive] [-NoLogo] (-c|-Command <script> | -File <script.ps1> [arguments...])";

    public static int Main(string[] args)
    {
        if (!TryParse(args, out var command, out var file, out var fileArguments))
        {
            Console.Error.WriteLine(Usage);
            return UsageExitCode;
        }

        var host = new TestPSHost();
        var state = InitialSessionState.CreateDefault2();
        if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
        {
            // As `pwsh -ExecutionPolicy Bypass`: the module's format file must load on a machine with a strict policy.
            state.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
        }

        var runspace = RunspaceFactory.CreateRunspace(host, state);
        runspace.Open();
        if (Console.IsOutputRedirected)
        {
            // As pwsh does for redirected output: plain text, no ANSI colour codes in tables.
            using var plain = PowerShell.Create();
            plain.Runspace = runspace;
            plain.AddScript("$PSStyle.OutputRendering = 'PlainText'").Invoke();
        }

        int exitCode;
        try
        {
            exitCode = Run(runspace, host, command, file, fileArguments);
        }
        finally
        {
            // Closing the runspace is what pwsh does on exit: its Closing handlers (the module's final flushes) run now.
            runspace.Dispose();
        }

        Console.Out.Flush();
        Console.Error.Flush();
        return exitCode;
    }

    private static int Run(Runspace runspace, TestPSHost host, string command, string file, List<string> fileArguments)
    {
        using var shell = PowerShell.Create();
        shell.Runspace = runspace;
        if (file != null)
        {
            shell.AddCommand(Path.GetFullPath(file));
            foreach (var argument in fileArguments)
            {
                shell.AddArgument(argument);
            }
        }
        else
        {
            shell.AddScript(command);
        }

        // As pwsh: errors flow with the output into Out-Default, which formats them onto the host's error line (stderr).
        shell.Commands.Commands[0].MergeMyResults(PipelineResultTypes.Error, PipelineResultTypes.Output);
        shell.AddCommand("Out-Default");

        var interrupted = false;
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            interrupted = true;
            shell.BeginStop(null, null);
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            shell.Invoke();
        }
        catch (PipelineStoppedException) when (interrupted)
        {
            return InterruptedExitCode;
        }
        catch (RuntimeException terminating)
        {
            if (host.ShouldExit)
            {
                return host.ExitCode;
            }

            WriteTerminatingError(terminating);
            return 1;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }

        if (host.ShouldExit)
        {
            return host.ExitCode;
        }

        if (interrupted)
        {
            return InterruptedExitCode;
        }

        var lastExitCode = runspace.SessionStateProxy.GetVariable("LASTEXITCODE");
        return lastExitCode is int code ? code : 0;
    }

    private static void WriteTerminatingError(RuntimeException terminating)
    {
        var record = terminating.ErrorRecord;
        Console.Error.WriteLine(record?.ToString() ?? terminating.Message);
        var position = record?.InvocationInfo?.PositionMessage;
        if (!string.IsNullOrEmpty(position))
        {
            Console.Error.WriteLine(position);
        }

        if (record != null)
        {
            Console.Error.WriteLine($"    + FullyQualifiedErrorId : {record.FullyQualifiedErrorId}");
        }
    }

    private static bool TryParse(string[] args, out string command, out string file, out List<string> fileArguments)
    {
        command = null;
        file = null;
        fileArguments = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            if (IsSwitch(arg, "NoProfile", "nop") || IsSwitch(arg, "NonInteractive", "noni") || IsSwitch(arg, "NoLogo", "nol"))
            {
                continue;
            }

            if (IsSwitch(arg, "Command", "c") && i + 1 < args.Length)
            {
                // As pwsh: everything after -Command is the script, joined by spaces.
                command = string.Join(" ", args, i + 1, args.Length - i - 1);
                return true;
            }

            if (IsSwitch(arg, "File", "f") && i + 1 < args.Length)
            {
                file = args[i + 1];
                for (var j = i + 2; j < args.Length; j++)
                {
                    fileArguments.Add(args[j]);
                }

                return true;
            }

            return false;
        }

        return false;
    }

    private static bool IsSwitch(string arg, string name, string shortName)
    {
        if (arg.Length < 2 || (arg[0] != '-' && arg[0] != '/'))
        {
            return false;
        }

        var text = arg.TrimStart('-', '/');
        return string.Equals(text, name, StringComparison.OrdinalIgnoreCase) || string.Equals(text, shortName, StringComparison.OrdinalIgnoreCase);
    }
}
