using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace AzBatchOutput.HelpGen;

internal sealed record ParameterDoc(string Name, List<Block> Blocks, string DefaultValue);

internal sealed record ExampleDoc(string Title, string Code, List<Block> Remarks);

internal sealed record TypeDoc(string TypeName, List<Block> Blocks);

internal sealed record LinkDoc(string Text, string Uri);

/// <summary>One cmdlet's help as written in docs/help/{Cmdlet-Name}.md (format: docs/help/README.md).</summary>
internal sealed class CommandDoc
{
    public string Path { get; init; } = string.Empty;

    public string Name { get; init; } = string.Empty;

    public string Synopsis { get; set; } = string.Empty;

    public List<Block> Description { get; } = new();

    /// <summary>In the order the file documents them.</summary>
    public List<ParameterDoc> Parameters { get; } = new();

    public List<ExampleDoc> Examples { get; } = new();

    public List<TypeDoc> Inputs { get; } = new();

    public List<TypeDoc> Outputs { get; } = new();

    public List<Block> Notes { get; } = new();

    public List<LinkDoc> Links { get; } = new();
}

/// <summary>An about topic as written in docs/help/about_*.md: its name and its sections in order.</summary>
internal sealed class AboutDoc
{
    public string Path { get; init; } = string.Empty;

    public string Name { get; init; } = string.Empty;

    public List<Section> Sections { get; } = new();
}

/// <summary>Reads the help Markdown and reports every way a file breaks the format, as "file(line): message".</summary>
internal static class HelpDocs
{
    private static readonly string[] CommandSections = { "SYNOPSIS", "DESCRIPTION", "PARAMETERS", "EXAMPLES", "INPUTS", "OUTPUTS", "NOTES", "RELATED LINKS" };
    private static readonly Regex ExampleTitle = new(@"^Example\s+\d+\s*:\s*\S", RegexOptions.IgnoreCase);
    private const string DefaultValuePrefix = "Default value:";

    public static CommandDoc ReadCommand(string path, Problems problems)
    {
        var root = Markdown.ReadOutline(path);
        var doc = new CommandDoc { Path = path, Name = System.IO.Path.GetFileNameWithoutExtension(path) };
        var top = SingleTitle(root, path, problems);
        if (top == null)
        {
            return doc;
        }

        if (!string.Equals(top.Title, doc.Name, StringComparison.Ordinal))
        {
            problems.Add($"{path}({top.Line})", $"the title is '# {top.Title}', but the file is named for '{doc.Name}'.");
        }

        foreach (var section in top.Children.Where(s => !CommandSections.Contains(s.Title, StringComparer.Ordinal)))
        {
            problems.Add($"{path}({section.Line})", $"unknown section '## {section.Title}'; sections are {string.Join(", ", CommandSections.Select(s => "'## " + s + "'"))}.");
        }

        doc.Synopsis = string.Join(" ", Markdown.ParseBlocks(Body(top, "SYNOPSIS")).Select(b => b.Text)).Trim();
        doc.Description.AddRange(Markdown.ParseBlocks(Body(top, "DESCRIPTION")));
        doc.Notes.AddRange(Markdown.ParseBlocks(Body(top, "NOTES")));

        foreach (var parameter in Subsections(top, "PARAMETERS"))
        {
            if (!parameter.Title.StartsWith("-", StringComparison.Ordinal) || parameter.Title.Length < 2 || parameter.Title.Contains(' '))
            {
                problems.Add($"{path}({parameter.Line})", $"a parameter heading must be '### -Name', not '### {parameter.Title}'.");
                continue;
            }

            var blocks = Markdown.ParseBlocks(parameter.Lines);
            var defaultBlock = blocks.FirstOrDefault(b => b.Kind == BlockKind.Paragraph && b.Text.StartsWith(DefaultValuePrefix, StringComparison.OrdinalIgnoreCase));
            if (defaultBlock != null)
            {
                blocks.Remove(defaultBlock);
            }

            var defaultValue = defaultBlock == null ? "None" : defaultBlock.Text.Substring(DefaultValuePrefix.Length).Trim();
            doc.Parameters.Add(new ParameterDoc(parameter.Title.Substring(1), blocks, defaultValue));
        }

        foreach (var example in Subsections(top, "EXAMPLES"))
        {
            if (!ExampleTitle.IsMatch(example.Title))
            {
                problems.Add($"{path}({example.Line})", $"an example heading must be '### Example N: what it shows', not '### {example.Title}'.");
            }

            var blocks = Markdown.ParseBlocks(example.Lines);
            var code = blocks.FirstOrDefault(b => b.Kind == BlockKind.Code);
            if (code != null)
            {
                blocks.Remove(code);
            }

            doc.Examples.Add(new ExampleDoc(example.Title, code == null ? string.Empty : string.Join("\n", code.Lines).Trim('\n'), blocks));
        }

        doc.Inputs.AddRange(ReadTypes(top, "INPUTS"));
        doc.Outputs.AddRange(ReadTypes(top, "OUTPUTS"));
        foreach (var line in Body(top, "RELATED LINKS").Select(l => l.Trim()).Where(l => l.StartsWith("- ", StringComparison.Ordinal)))
        {
            var (text, uri) = Markdown.ReadLink(line.Substring(2));
            doc.Links.Add(new LinkDoc(text, uri));
        }

        foreach (var required in new[] { "SYNOPSIS", "DESCRIPTION", "PARAMETERS", "EXAMPLES", "INPUTS", "OUTPUTS" })
        {
            if (top.Child(required) == null)
            {
                problems.Add($"{path}", $"there is no '## {required}' section.");
            }
        }

        return doc;
    }

    public static AboutDoc ReadAbout(string path, Problems problems)
    {
        var root = Markdown.ReadOutline(path);
        var doc = new AboutDoc { Path = path, Name = System.IO.Path.GetFileNameWithoutExtension(path) };
        var top = SingleTitle(root, path, problems);
        if (top == null)
        {
            return doc;
        }

        if (!string.Equals(top.Title, doc.Name, StringComparison.Ordinal))
        {
            problems.Add($"{path}({top.Line})", $"the title is '# {top.Title}', but the file is named for '{doc.Name}'.");
        }

        doc.Sections.AddRange(top.Children);
        var shortDescription = top.Child("Short description");
        if (shortDescription == null || !Markdown.ParseBlocks(shortDescription.Lines).Any())
        {
            problems.Add($"{path}", $"an about topic needs a non-empty '## Short description' section (Get-Help lists topics by it).");
        }

        return doc;
    }

    private static Section? SingleTitle(Section root, string path, Problems problems)
    {
        var titles = root.Children.Where(c => c.Level == 1).ToList();
        if (titles.Count != 1 || root.Children.Count != 1)
        {
            problems.Add($"{path}", $"the file must start with one '# Title' heading that holds every other section.");
            return titles.FirstOrDefault();
        }

        return titles[0];
    }

    private static IReadOnlyList<string> Body(Section top, string title) => top.Child(title)?.Lines ?? new List<string>();

    private static IEnumerable<Section> Subsections(Section top, string title) => top.Child(title)?.Children ?? new List<Section>();

    /// <summary>'### TypeName' subsections, or, for a section whose whole text is e.g. "None.", one entry named "None".</summary>
    private static IEnumerable<TypeDoc> ReadTypes(Section top, string title)
    {
        var section = top.Child(title);
        if (section == null)
        {
            yield break;
        }

        var lead = Markdown.ParseBlocks(section.Lines);
        if (lead.Count > 0)
        {
            yield return new TypeDoc("None", lead);
        }

        foreach (var type in section.Children)
        {
            yield return new TypeDoc(type.Title.Trim('`'), Markdown.ParseBlocks(type.Lines));
        }
    }
}
