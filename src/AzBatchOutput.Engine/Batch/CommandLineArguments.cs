using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace AzBatchOutput.Batch
{
    /// <summary>
    /// Joins arguments into one command line that the program splits back into exactly those arguments (the rules
    /// of the Microsoft C runtime, which .NET also uses on Linux): netstandard2.0 has no ProcessStartInfo.ArgumentList.
    /// </summary>
    public static class CommandLineArguments
    {
        // cmd.exe expands these even inside quotes ('!' when delayed expansion is on), and a quote or a line break
        // inside an argument can end its quoting: nothing written on the command line keeps them literal.
        private static readonly char[] NotSafeForCmd = { '%', '!', '"', '\r', '\n', '\0' };

        // Outside quotes cmd.exe runs, pipes or redirects at these, and a batch file splits its %1, %2... at the rest.
        private static readonly char[] QuotedForCmd = { ' ', '\t', '&', '|', '<', '>', '^', '(', ')', ',', ';', '=' };

        public static string Join(IEnumerable<string> arguments) => Join(arguments, forCmd: false);

        /// <param name="forCmd">
        /// True for a batch file (<see cref="IsBatchFile"/>), whose line cmd.exe parses again by its own rules: no
        /// argument may have failed <see cref="FindArgumentCmdWouldExpand"/>.
        /// </param>
        public static string Join(IEnumerable<string> arguments, bool forCmd)
        {
            var line = new StringBuilder();
            foreach (var argument in arguments ?? new string[0])
            {
                if (line.Length > 0)
                {
                    line.Append(' ');
                }

                if (forCmd)
                {
                    AppendForCmd(line, argument ?? string.Empty);
                }
                else
                {
                    Append(line, argument ?? string.Empty);
                }
            }

            return line.ToString();
        }

        /// <summary>
        /// True for a .cmd or .bat file on Windows, which Windows runs through cmd.exe with this command line, parsed
        /// again by cmd.exe's rules: its arguments must go through <see cref="Join(IEnumerable{string}, bool)"/> with
        /// forCmd. (cmd.exe named as the program takes a command line of cmd's own syntax, as the caller wrote it.)
        /// </summary>
        public static bool IsBatchFile(string program, bool onWindows)
        {
            if (!onWindows || string.IsNullOrEmpty(program))
            {
                return false;
            }

            // Windows ignores trailing dots and spaces: "build.cmd. " runs build.cmd.
            var extension = Path.GetExtension(program.TrimEnd('.', ' '));
            return extension.Equals(".cmd", StringComparison.OrdinalIgnoreCase) || extension.Equals(".bat", StringComparison.OrdinalIgnoreCase);
        }

        /// <summary>
        /// The error for the first argument of a batch file that holds a character cmd.exe would expand or re-split
        /// whatever the quoting (the "BatBadBut" class of flaws: such an argument could run something else), or null.
        /// </summary>
        public static BatchOutputException FindArgumentCmdWouldExpand(string program, IReadOnlyList<string> arguments)
        {
            for (var i = 0; i < arguments.Count; i++)
            {
                var at = (arguments[i] ?? string.Empty).IndexOfAny(NotSafeForCmd);
                if (at >= 0)
                {
                    return new BatchOutputException("UnsafeBatchFileArgument", FailureCategory.InvalidArgument,
                        $"Argument {i + 1} for '{program}' contains {Conventions.MessageText.Describe(arguments[i][at])}, which cmd.exe (it runs .cmd and .bat files) " +
                        "would expand or split however it is quoted. Pass the value in an environment variable instead, or run a PowerShell " +
                        "script (-ScriptBlock { & ./script.ps1 ... }) or a program.", program);
                }
            }

            return null;
        }

        private static void AppendForCmd(StringBuilder line, string argument)
        {
            // Inside quotes, cmd.exe takes & | < > ^ ( ) literally; backslashes mean nothing to it.
            if (argument.Length > 0 && argument.IndexOfAny(QuotedForCmd) < 0)
            {
                line.Append(argument);
                return;
            }

            line.Append('"').Append(argument).Append('"');
        }

        private static void Append(StringBuilder line, string argument)
        {
            if (argument.Length > 0 && argument.IndexOfAny(new[] { ' ', '\t', '\n', '\v', '"' }) < 0)
            {
                line.Append(argument);
                return;
            }

            line.Append('"');
            var backslashes = 0;
            foreach (var c in argument)
            {
                if (c == '\\')
                {
                    backslashes++;
                    continue;
                }

                // Backslashes are literal unless they precede a quote: then each must be doubled, and the quote escaped.
                line.Append('\\', c == '"' ? (backslashes * 2) + 1 : backslashes);
                line.Append(c);
                backslashes = 0;
            }

            line.Append('\\', backslashes * 2); // before the closing quote
            line.Append('"');
        }
    }
}
