using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace AzBatchOutput.HelpGen;

/// <summary>A heading, the lines under it up to its first sub-heading, and its sub-headings.</summary>
internal sealed class Section
{
    public Section(string title, int level, int line)
    {
        Title = title;
        Level = level;
        Line = line;
    }

    public string Title { get; }

    /// <summary>Number of '#' (0 for the file itself).</summary>
    public int Level { get; }

    /// <summary>1-based line of the heading, for error messages.</summary>
    public int Line { get; }

    public List<string> Lines { get; } = new();

    public List<Section> Children { get; } = new();

    public Section? Child(string title) =>
        Children.FirstOrDefault(c => string.Equals(c.Title, title, StringComparison.OrdinalIgnoreCase));
}

internal enum BlockKind
{
    Paragraph,
    Bullet,
    Numbered,
    Code,
    Table,
}

/// <summary>One block of body text: a paragraph, a list item, a fenced code block or a table.</summary>
internal sealed record Block(BlockKind Kind, string Text, IReadOnlyList<string> Lines, IReadOnlyList<string[]> Rows, string Marker = "")
{
    public static Block Prose(BlockKind kind, string text, string marker = "") =>
        new(kind, text, Array.Empty<string>(), Array.Empty<string[]>(), marker);
}

/// <summary>
/// The small subset of Markdown the help files use: ATX headings, paragraphs, '-' and '1.' list items (with
/// indented continuation lines), ``` fences and pipe tables. Anything else is read as paragraph text.
/// </summary>
internal static class Markdown
{
    private static readonly Regex Heading = new(@"^(#{1,6})\s+(.*?)\s*#*\s*$");
    private static readonly Regex NumberedItem = new(@"^(\d+)\.\s+(.*)$");
    private static readonly Regex Link = new(@"\[([^\]]+)\]\(([^)\s]+)\)");
    private static readonly Regex AutoLink = new(@"<(https?://[^>\s]+)>");

    public static Section ReadOutline(string path)
    {
        var root = new Section(Path.GetFileName(path), 0, 0);
        var open = new Stack<Section>();
        open.Push(root);
        var inFence = false;
        var number = 0;
        foreach (var raw in File.ReadAllLines(path))
        {
            number++;
            var line = raw.TrimEnd();
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                inFence = !inFence;
            }

            var heading = inFence ? null : Heading.Match(line);
            if (heading is { Success: true })
            {
                var level = heading.Groups[1].Length;
                while (open.Peek().Level >= level)
                {
                    open.Pop();
                }

                var section = new Section(heading.Groups[2].Value, level, number);
                open.Peek().Children.Add(section);
                open.Push(section);
                continue;
            }

            open.Peek().Lines.Add(line);
        }

        return root;
    }

    public static List<Block> ParseBlocks(IReadOnlyList<string> lines)
    {
        var blocks = new List<Block>();
        var prose = new List<string>();
        BlockKind proseKind = BlockKind.Paragraph;
        var marker = string.Empty;

        void Flush()
        {
            if (prose.Count > 0)
            {
                blocks.Add(Block.Prose(proseKind, Inline(string.Join(" ", prose)), marker));
                prose.Clear();
            }

            proseKind = BlockKind.Paragraph;
            marker = string.Empty;
        }

        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            var trimmed = line.Trim();
            if (trimmed.Length == 0)
            {
                Flush();
                continue;
            }

            if (trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                Flush();
                var language = trimmed.Substring(3).Trim();
                var indent = line.Length - line.TrimStart().Length;
                var code = new List<string>();
                for (i++; i < lines.Count && !lines[i].Trim().StartsWith("```", StringComparison.Ordinal); i++)
                {
                    code.Add(lines[i].Length >= indent && lines[i].Substring(0, indent).Trim().Length == 0 ? lines[i].Substring(indent) : lines[i].TrimStart());
                }

                blocks.Add(new Block(BlockKind.Code, language, code, Array.Empty<string[]>()));
                continue;
            }

            if (trimmed.StartsWith("|", StringComparison.Ordinal))
            {
                Flush();
                var rows = new List<string[]>();
                for (; i < lines.Count && lines[i].Trim().StartsWith("|", StringComparison.Ordinal); i++)
                {
                    var cells = SplitRow(lines[i].Trim());
                    if (!cells.All(c => Regex.IsMatch(c, @"^:?-+:?$")))
                    {
                        rows.Add(cells.Select(Inline).ToArray());
                    }
                }

                i--;
                blocks.Add(new Block(BlockKind.Table, string.Empty, Array.Empty<string>(), rows));
                continue;
            }

            var numbered = NumberedItem.Match(trimmed);
            var startsItem = trimmed.StartsWith("- ", StringComparison.Ordinal) || trimmed.StartsWith("* ", StringComparison.Ordinal) || numbered.Success;
            var indented = line.StartsWith("  ", StringComparison.Ordinal);
            if (startsItem && !(indented && proseKind != BlockKind.Paragraph))
            {
                Flush();
                proseKind = numbered.Success ? BlockKind.Numbered : BlockKind.Bullet;
                marker = numbered.Success ? numbered.Groups[1].Value + "." : "-";
                prose.Add(numbered.Success ? numbered.Groups[2].Value : trimmed.Substring(2));
                continue;
            }

            prose.Add(trimmed);
        }

        Flush();
        return blocks;
    }

    /// <summary>Markdown inline markup as plain help text: links become "text (url)", emphasis marks go, code ticks stay.</summary>
    public static string Inline(string text)
    {
        text = Link.Replace(text, m => m.Groups[1].Value == m.Groups[2].Value ? m.Groups[2].Value : $"{m.Groups[1].Value} ({m.Groups[2].Value})");
        text = AutoLink.Replace(text, "$1");
        return text.Replace("**", string.Empty).Replace("  ", " ").Trim();
    }

    /// <summary>A list item "[text](url)" or plain "text", as a related link.</summary>
    public static (string Text, string Uri) ReadLink(string markdownText)
    {
        var match = Link.Match(markdownText);
        return match.Success ? (match.Groups[1].Value.Trim(), match.Groups[2].Value.Trim()) : (markdownText.Trim(), string.Empty);
    }

    private static string[] SplitRow(string row)
    {
        var inner = row.Trim('|');
        return inner.Split('|').Select(c => c.Trim()).ToArray();
    }
}
