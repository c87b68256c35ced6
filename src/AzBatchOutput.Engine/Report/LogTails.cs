using System;
using System.Collections.Generic;
using System.Text;

namespace AzBatchOutput.Report
{
    /// <summary>
    /// The last lines of a log from the bytes at its end: decodes UTF-8 or UTF-16 (Windows PowerShell writes
    /// UTF-16 logs), drops the first line when it was cut by the range, keeps what a terminal would show of a line
    /// rewritten with '\r', and removes colour escape codes. Pure: no storage here.
    /// </summary>
    public static class LogTails
    {
        /// <summary>Longer lines are cut, so one minified JSON line cannot make the page huge.</summary>
        public const int MaxLineLength = 2000;

        /// <param name="bytes">The end of the log (or all of it).</param>
        /// <param name="offset">Where <paramref name="bytes"/> start in the log.</param>
        /// <param name="logLength">The log's whole length.</param>
        /// <param name="maxLines">How many lines to keep, counted from the end.</param>
        public static ReportLogTail Extract(byte[] bytes, long offset, long logLength, int maxLines)
        {
            var tail = new ReportLogTail();
            if (bytes == null || bytes.Length == 0)
            {
                tail.IsWholeFile = logLength == 0;
                tail.Note = logLength == 0 ? "The log is empty." : null;
                return tail;
            }

            var text = Decode(bytes, offset);
            if (text == null)
            {
                tail.Note = "The log holds binary data; no lines are shown.";
                return tail;
            }

            var lines = SplitLines(text);
            var complete = offset == 0;
            if (!complete && lines.Count > 1)
            {
                lines.RemoveAt(0); // cut by the range: the rest of it lies before the bytes read
            }
            else if (!complete && lines.Count == 1)
            {
                lines[0] = "\u2026" + lines[0];
            }

            var skip = Math.Max(0, lines.Count - Math.Max(0, maxLines));
            for (var i = skip; i < lines.Count; i++)
            {
                tail.Lines.Add(Clean(lines[i]));
            }

            tail.IsWholeFile = complete && skip == 0 && offset + bytes.LongLength >= logLength;
            return tail;
        }

        /// <summary>Lines of text; a final line break ends the last line rather than starting an empty one.</summary>
        internal static List<string> SplitLines(string text)
        {
            var lines = new List<string>(text.Split('\n'));
            if (lines.Count > 1 && lines[lines.Count - 1].Length == 0)
            {
                lines.RemoveAt(lines.Count - 1);
            }

            return lines;
        }

        /// <summary>The text, or null when the bytes look binary.</summary>
        internal static string Decode(byte[] bytes, long offset)
        {
            var start = 0;
            Encoding encoding = null;
            if (offset == 0 && bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF)
            {
                start = 3;
                encoding = new UTF8Encoding(false, false);
            }
            else if (offset == 0 && bytes.Length >= 2 && bytes[0] == 0xFF && bytes[1] == 0xFE)
            {
                start = 2;
                encoding = new UnicodeEncoding(false, false, false);
            }
            else if (offset == 0 && bytes.Length >= 2 && bytes[0] == 0xFE && bytes[1] == 0xFF)
            {
                start = 2;
                encoding = new UnicodeEncoding(true, false, false);
            }
            else
            {
                // UTF-16 text of mostly ASCII has a zero in every other byte; code units start at even positions of the log.
                int zerosAtEven = 0, zerosAtOdd = 0, samples = Math.Min(bytes.Length, 4096);
                for (var i = 0; i < samples; i++)
                {
                    if (bytes[i] == 0)
                    {
                        if (((offset + i) & 1) == 0) zerosAtEven++; else zerosAtOdd++;
                    }
                }

                if (zerosAtOdd > samples / 4 && zerosAtEven < samples / 64)
                {
                    encoding = new UnicodeEncoding(false, false, false);
                    start = (int)(offset & 1);
                }
                else if (zerosAtEven > samples / 4 && zerosAtOdd < samples / 64)
                {
                    encoding = new UnicodeEncoding(true, false, false);
                    start = (int)(offset & 1);
                }
                else if (zerosAtEven + zerosAtOdd > 0)
                {
                    return null;
                }
                else
                {
                    encoding = new UTF8Encoding(false, false);
                }
            }

            // Invalid sequences (a character cut by the range) become U+FFFD rather than failing the report.
            return encoding.GetString(bytes, start, bytes.Length - start);
        }

        /// <summary>What a terminal would show of one line: the last '\r' rewrite, without escape codes or control characters.</summary>
        internal static string Clean(string line)
        {
            if (line.Length > 0 && line[line.Length - 1] == '\r')
            {
                line = line.Substring(0, line.Length - 1);
            }

            var rewrite = line.LastIndexOf('\r');
            if (rewrite >= 0)
            {
                line = line.Substring(rewrite + 1);
            }

            var clean = new StringBuilder(Math.Min(line.Length, MaxLineLength + 64));
            for (var i = 0; i < line.Length && clean.Length < MaxLineLength; i++)
            {
                var c = line[i];
                if (c == '\u001b')
                {
                    i = SkipEscape(line, i);
                    continue;
                }

                if (c == '\t' || !char.IsControl(c))
                {
                    clean.Append(c);
                }
            }

            if (clean.Length >= MaxLineLength)
            {
                clean.Append(" \u2026 (line cut at ").Append(MaxLineLength.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)).Append(" characters)");
            }

            return clean.ToString();
        }

        /// <summary>The index of the last character of the escape sequence that starts at <paramref name="i"/>.</summary>
        private static int SkipEscape(string line, int i)
        {
            if (i + 1 >= line.Length)
            {
                return i;
            }

            var kind = line[i + 1];
            if (kind == '[')
            {
                // CSI: parameters and intermediates, then one final byte in '@'..'~'.
                var j = i + 2;
                while (j < line.Length && (line[j] < '@' || line[j] > '~'))
                {
                    j++;
                }

                return Math.Min(j, line.Length - 1);
            }

            if (kind == ']')
            {
                // OSC (e.g. a window title or a hyperlink): ends with BEL or ESC '\'.
                for (var j = i + 2; j < line.Length; j++)
                {
                    if (line[j] == '\u0007')
                    {
                        return j;
                    }

                    if (line[j] == '\u001b' && j + 1 < line.Length && line[j + 1] == '\\')
                    {
                        return j + 1;
                    }
                }

                return line.Length - 1;
            }

            return i + 1; // a two-character escape
        }
    }
}
