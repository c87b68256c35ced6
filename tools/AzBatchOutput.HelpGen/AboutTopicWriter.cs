using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;

namespace AzBatchOutput.HelpGen;

/// <summary>
/// Writes an about topic as the plain text Get-Help shows (about_*.help.txt): a TOPIC line, '## ' headings in
/// capitals at the margin, '### ' headings indented two spaces, text wrapped at 80 columns and indented four,
/// code indented eight, tables as aligned columns.
/// </summary>
internal static class AboutTopicWriter
{
    private const int Width = 80;

    public static string Write(AboutDoc doc)
    {
        var text = new StringBuilder();
        text.Append("TOPIC\n    ").Append(doc.Name).Append('\n');
        foreach (var section in doc.Sections)
        {
            text.Append('\n').Append(section.Title.ToUpperInvariant()).Append('\n');
            WriteBody(text, section.Lines);
            foreach (var sub in section.Children)
            {
                text.Append("\n  ").Append(sub.Title).Append('\n');
                WriteBody(text, sub.Lines);
                foreach (var deeper in sub.Children)
                {
                    text.Append("\n    ").Append(deeper.Title).Append('\n');
                    WriteBody(text, deeper.Lines);
                }
            }
        }

        return text.ToString();
    }

    private static void WriteBody(StringBuilder text, IReadOnlyList<string> lines)
    {
        Block? previous = null;
        foreach (var block in Markdown.ParseBlocks(lines))
        {
            // Items of one list stay together; everything else is separated by a blank line.
            var listContinues = previous != null && IsListItem(previous) && IsListItem(block);
            if (previous != null && !listContinues)
            {
                text.Append('\n');
            }

            previous = block;
            switch (block.Kind)
            {
                case BlockKind.Code:
                    foreach (var line in block.Lines)
                    {
                        text.Append(line.Length == 0 ? string.Empty : "        " + line).Append('\n');
                    }

                    break;
                case BlockKind.Table:
                    WriteTable(text, block.Rows);
                    break;
                case BlockKind.Bullet:
                case BlockKind.Numbered:
                    var marker = block.Marker + " ";
                    AppendWrapped(text, block.Text, "    " + marker, new string(' ', 4 + marker.Length));
                    break;
                default:
                    AppendWrapped(text, block.Text, "    ", "    ");
                    break;
            }
        }
    }

    /// <summary>Aligned columns when they fit in 80 columns; else each row as its first cell, then "Header: value" lines.</summary>
    private static void WriteTable(StringBuilder text, IReadOnlyList<string[]> rows)
    {
        var aligned = TextLayout.Table(rows).ToList();
        if (aligned.All(l => l.Length <= Width - 4))
        {
            aligned.ForEach(l => text.Append("    ").Append(l).Append('\n'));
            return;
        }

        var header = rows[0];
        foreach (var row in rows.Skip(1))
        {
            text.Append("    ").Append(row[0]).Append('\n');
            for (var c = 1; c < row.Length; c++)
            {
                var label = header.Length > 2 && c < header.Length ? header[c] + ": " : string.Empty;
                AppendWrapped(text, label + row[c], "        ", "          ");
            }
        }
    }

    private static bool IsListItem(Block block) => block.Kind is BlockKind.Bullet or BlockKind.Numbered;

    private static void AppendWrapped(StringBuilder text, string paragraph, string firstIndent, string indent)
    {
        foreach (var line in TextLayout.Wrap(paragraph, Width - indent.Length).Select((l, i) => (i == 0 ? firstIndent : indent) + l))
        {
            text.Append(line).Append('\n');
        }
    }
}

internal static class TextLayout
{
    /// <summary>Greedy word wrap; a word longer than the width gets a line of its own.</summary>
    public static IEnumerable<string> Wrap(string paragraph, int width)
    {
        var line = new StringBuilder();
        foreach (var word in paragraph.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            if (line.Length > 0 && line.Length + 1 + word.Length > width)
            {
                yield return line.ToString();
                line.Clear();
            }

            line.Append(line.Length > 0 ? " " : string.Empty).Append(word);
        }

        if (line.Length > 0)
        {
            yield return line.ToString();
        }
    }

    /// <summary>A pipe table as aligned text: header, a dashed rule, then the rows.</summary>
    public static IEnumerable<string> Table(IReadOnlyList<string[]> rows)
    {
        if (rows.Count == 0)
        {
            yield break;
        }

        var columns = rows.Max(r => r.Length);
        var widths = Enumerable.Range(0, columns).Select(c => rows.Max(r => c < r.Length ? r[c].Length : 0)).ToArray();
        string Format(string[] row) => string.Join("  ", Enumerable.Range(0, columns).Select(c => (c < row.Length ? row[c] : string.Empty).PadRight(widths[c]))).TrimEnd();

        yield return Format(rows[0]);
        yield return string.Join("  ", widths.Select(w => new string('-', w)));
        foreach (var row in rows.Skip(1))
        {
            yield return Format(row);
        }
    }
}
