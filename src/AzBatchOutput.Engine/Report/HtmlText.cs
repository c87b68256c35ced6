using System.Text;

namespace AzBatchOutput.Report
{
    /// <summary>
    /// Writes untrusted text (blob names, task IDs, log lines) into HTML. Everything goes through here: text and
    /// double-quoted attribute values alike, so a name such as <c>&lt;script&gt;</c> can only ever be shown.
    /// </summary>
    internal static class HtmlText
    {
        public static StringBuilder AppendEscaped(this StringBuilder html, string text)
        {
            if (string.IsNullOrEmpty(text))
            {
                return html;
            }

            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                switch (c)
                {
                    case '&': html.Append("&amp;"); break;
                    case '<': html.Append("&lt;"); break;
                    case '>': html.Append("&gt;"); break;
                    case '"': html.Append("&quot;"); break;
                    case '\'': html.Append("&#39;"); break;
                    case '\t':
                    case '\n':
                        html.Append(c);
                        break;
                    default:
                        if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
                        {
                            html.Append(c).Append(text[++i]);
                        }
                        else if (char.IsSurrogate(c) || (c < ' ' && c != '\r') || (c >= '\u007f' && c <= '\u009f') || c == '\ufffe' || c == '\uffff')
                        {
                            html.Append('\ufffd'); // control characters and broken UTF-16 are not text a page may hold
                        }
                        else if (c != '\r')
                        {
                            html.Append(c);
                        }

                        break;
                }
            }

            return html;
        }

        public static string Escape(string text) => new StringBuilder(text?.Length ?? 0).AppendEscaped(text).ToString();
    }
}
