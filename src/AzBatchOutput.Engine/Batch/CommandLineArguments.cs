using System.Collections.Generic;
using System.Text;

namespace AzBatchOutput.Batch
{
    /// <summary>
    /// Joins arguments into one command line that the program splits back into exactly those arguments (the rules
    /// of the Microsoft C runtime, which .NET also uses on Linux): netstandard2.0 has no ProcessStartInfo.ArgumentList.
    /// </summary>
    public static class CommandLineArguments
    {
        public static string Join(IEnumerable<string> arguments)
        {
            var line = new StringBuilder();
            foreach (var argument in arguments ?? new string[0])
            {
                if (line.Length > 0)
                {
                    line.Append(' ');
                }

                Append(line, argument ?? string.Empty);
            }

            return line.ToString();
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
