using System;
using System.Linq;

namespace AzBatchOutput.TaskCommand
{
    /// <summary>
    /// Whether this PowerShell process runs one command and ends (pwsh -c / -File, as a Batch task's command line
    /// does): only then may a cmdlet end the session to hand on an exit code. An interactive session is never ended.
    /// </summary>
    internal static class EndsProcess
    {
        public static bool IsOneShotPowerShell()
        {
            var arguments = Environment.GetCommandLineArgs().Skip(1).Select(a => a.ToLowerInvariant()).ToList();
            if (arguments.Any(a => a == "-noexit" || a == "/noexit"))
            {
                return false;
            }

            return arguments.Any(a => IsPrefixOf(a, "-command", 2) || IsPrefixOf(a, "-file", 2) || IsPrefixOf(a, "-encodedcommand", 2) || a == "-ec");
        }

        // pwsh accepts any unambiguous prefix of a parameter name (-c, -co, -com ...).
        private static bool IsPrefixOf(string argument, string parameter, int minimumLength) =>
            argument.Length >= minimumLength && parameter.StartsWith(argument, StringComparison.Ordinal);
    }
}
