using System;
using System.Collections.Generic;
using System.IO;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using System.Runtime.InteropServices;
using AzBatchOutput.TestSupport;

namespace AzBatchOutput.Demo
{
    /// <summary>
    /// Runs demo/demo.ps1 (or the script given as the first argument) in a real PowerShell 7 engine with the
    /// AzBatchOutput module imported from out/AzBatchOutput, against a local Azurite that it starts and stops.
    /// The script gets the connection string in $DemoConnectionString. Exit code 0 when the script ran
    /// without an error, 1 otherwise.
    /// </summary>
    internal static class Program
    {
        // Write-Host lives in Microsoft.PowerShell.Utility, which the System.Management.Automation package does
        // not ship: this stand-in lets demo.ps1 read exactly as it would in pwsh.
        private const string WriteHostStandIn = @"
            param(
                [Parameter(Position = 0, ValueFromRemainingArguments = $true)] [object[]] $Object,
                [System.ConsoleColor] $ForegroundColor,
                [System.ConsoleColor] $BackgroundColor,
                [switch] $NoNewline,
                [object] $Separator = ' ')
            $text = @($Object | ForEach-Object { ""$_"" }) -join $Separator
            if (-not $NoNewline) { $text += [System.Environment]::NewLine }
            if ($PSBoundParameters.ContainsKey('ForegroundColor') -or $PSBoundParameters.ContainsKey('BackgroundColor')) {
                $fg = if ($PSBoundParameters.ContainsKey('ForegroundColor')) { $ForegroundColor } else { $Host.UI.RawUI.ForegroundColor }
                $bg = if ($PSBoundParameters.ContainsKey('BackgroundColor')) { $BackgroundColor } else { $Host.UI.RawUI.BackgroundColor }
                $Host.UI.Write($fg, $bg, $text)
            } else {
                $Host.UI.Write($text)
            }";

        private static int Main(string[] args)
        {
            // Set before any PowerShell type loads: the engine reads it once.
            Environment.SetEnvironmentVariable("POWERSHELL_TELEMETRY_OPTOUT", "1");

            string script = args.Length > 0
                ? Path.GetFullPath(args[0])
                : Path.Combine(RepoPaths.Root, "demo", "demo.ps1");
            if (!File.Exists(script))
            {
                Console.Error.WriteLine($"The demo script {script} does not exist.");
                return 2;
            }

            string module = RepoPaths.ModuleFolder;
            if (!File.Exists(Path.Combine(module, "AzBatchOutput.psd1")))
            {
                Console.Error.WriteLine($"The module is not built: {module} has no AzBatchOutput.psd1. Run: dotnet build AzBatchOutput.sln");
                return 2;
            }

            Console.WriteLine("Starting Azurite (local Azure Storage emulator)...");
            AzuriteServer started;
            try
            {
                started = AzuriteServer.Start();
            }
            catch (AzuriteStartException e)
            {
                Console.Error.WriteLine(e.Message);
                return 2;
            }

            using AzuriteServer azurite = started;
            Console.WriteLine($"Azurite blob service: {azurite.BlobEndpoint}");
            try
            {
                return RunScript(script, module, azurite.ConnectionString);
            }
            finally
            {
                Console.WriteLine("Stopping Azurite.");
            }
        }

        private static int RunScript(string script, string module, string connectionString)
        {
            var host = new DemoHost();
            InitialSessionState state = InitialSessionState.CreateDefault2();
            state.Commands.Add(new SessionStateFunctionEntry("Write-Host", WriteHostStandIn));
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                state.ExecutionPolicy = Microsoft.PowerShell.ExecutionPolicy.Bypass;
            }

            using Runspace runspace = RunspaceFactory.CreateRunspace(host, state);
            runspace.Open();
            runspace.SessionStateProxy.SetVariable("DemoConnectionString", connectionString);

            var reported = new HashSet<ErrorRecord>(ReferenceEqualityComparer.Instance);
            int errors = 0;
            void Report(ErrorRecord record)
            {
                if (record != null && reported.Add(record))
                {
                    errors++;
                    PrintError(record);
                }
            }

            using (PowerShell import = PowerShell.Create(runspace))
            {
                import.AddCommand("Import-Module").AddParameter("Name", module).AddParameter("ErrorAction", "Stop");
                try
                {
                    import.Invoke();
                }
                catch (RuntimeException e)
                {
                    Console.Error.WriteLine($"Cannot import the module from {module}:");
                    Report(e.ErrorRecord);
                    return 1;
                }

                foreach (ErrorRecord record in import.Streams.Error)
                {
                    Report(record);
                }

                if (errors > 0)
                {
                    return 1;
                }
            }

            using PowerShell ps = PowerShell.Create(runspace);
            ps.Streams.Error.DataAdded += (_, e) => Report(ps.Streams.Error[e.Index]);
            ps.AddCommand(script).AddCommand("Out-Default");
            try
            {
                ps.Invoke();
            }
            catch (RuntimeException e)
            {
                Report(e.ErrorRecord);
            }
            catch (Exception e)
            {
                errors++;
                Console.Error.WriteLine("The demo script failed: " + e);
            }

            if (host.ExitCode is int exitCode && exitCode != 0)
            {
                Console.Error.WriteLine($"The demo script exited with code {exitCode}.");
                return exitCode;
            }

            if (errors > 0)
            {
                Console.Error.WriteLine($"The demo script reported {errors} error(s).");
                return 1;
            }

            return 0;
        }

        private static void PrintError(ErrorRecord record)
        {
            bool colored = !Console.IsErrorRedirected;
            if (colored)
            {
                Console.ForegroundColor = ConsoleColor.Red;
            }

            Console.Error.WriteLine("ERROR: " + record);
            string position = record.InvocationInfo?.PositionMessage;
            if (!string.IsNullOrEmpty(position))
            {
                Console.Error.WriteLine(position);
            }

            Console.Error.WriteLine($"  ({record.FullyQualifiedErrorId}; {record.CategoryInfo})");
            if (colored)
            {
                Console.ResetColor();
            }
        }
    }
}
