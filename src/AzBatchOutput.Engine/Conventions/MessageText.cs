using System.Globalization;
using System.Text;

namespace AzBatchOutput.Conventions
{
    /// <summary>
    /// Renders user-supplied text inside error messages. Control characters are shown as <c>\uXXXX</c> so a bad value
    /// cannot break the console line or hide what is wrong with it.
    /// </summary>
    internal static class MessageText
    {
        public static string Quote(string value)
        {
            if (value == null)
            {
                return "(null)";
            }

            // A value typed in the wrong place (a connection string as a job ID) must not be echoed with its secret.
            value = SecretText.Scrub(value);
            var builder = new StringBuilder(value.Length + 2);
            builder.Append('\'');
            foreach (var c in value)
            {
                if (char.IsControl(c))
                {
                    builder.Append(Escape(c));
                }
                else
                {
                    builder.Append(c);
                }
            }

            builder.Append('\'');
            return builder.ToString();
        }

        /// <summary>A character named so it can be spotted: printable ones quoted, others by code point.</summary>
        public static string Describe(char c)
        {
            var code = "U+" + ((int)c).ToString("X4", CultureInfo.InvariantCulture);
            if (char.IsControl(c))
            {
                return Escape(c) + " (" + code + ")";
            }

            return "'" + c + "' (" + code + ")";
        }

        private static string Escape(char c) => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture);
    }
}
