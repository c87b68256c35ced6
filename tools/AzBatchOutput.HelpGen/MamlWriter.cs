using System;
using System.Collections.Generic;
using System.Linq;
using System.Xml.Linq;

namespace AzBatchOutput.HelpGen;

/// <summary>
/// Writes the MAML that PowerShell's Get-Help reads for binary cmdlets ({assembly}-Help.xml): prose from the Markdown,
/// syntax, types, positions, pipeline input and parameter sets from the cmdlet classes.
/// </summary>
internal static class MamlWriter
{
    private static readonly XNamespace Msh = "http://msh";
    private static readonly XNamespace Maml = "http://schemas.microsoft.com/maml/2004/10";
    private static readonly XNamespace Command = "http://schemas.microsoft.com/maml/dev/command/2004/10";
    private static readonly XNamespace Dev = "http://schemas.microsoft.com/maml/dev/2004/10";

    public static XDocument Build(IEnumerable<(CmdletMetadata Cmdlet, CommandDoc Doc)> commands) =>
        new(new XDeclaration("1.0", "utf-8", null),
            new XElement(Msh + "helpItems",
                new XAttribute("schema", "maml"),
                new XAttribute(XNamespace.Xmlns + "maml", Maml),
                new XAttribute(XNamespace.Xmlns + "command", Command),
                new XAttribute(XNamespace.Xmlns + "dev", Dev),
                commands.Select(c => CommandElement(c.Cmdlet, c.Doc))));

    private static XElement CommandElement(CmdletMetadata cmdlet, CommandDoc doc)
    {
        var docOrder = doc.Parameters.Select(p => p.Name).ToList();
        var documented = cmdlet.Parameters.OrderBy(p => IndexOf(docOrder, p.Name)).ToList();
        return new XElement(Command + "command",
            new XElement(Command + "details",
                new XElement(Command + "name", cmdlet.Name),
                new XElement(Command + "verb", cmdlet.Verb),
                new XElement(Command + "noun", cmdlet.Noun),
                Description(new[] { doc.Synopsis })),
            Description(Paragraphs(doc.Description)),
            new XElement(Command + "syntax",
                cmdlet.ParameterSets.Select(set => new XElement(Command + "syntaxItem",
                    new XElement(Maml + "name", cmdlet.Name),
                    SyntaxOrder(documented, set).Select(p => Parameter(p, p.FactsFor(set), Find(doc, p), inSyntax: true))))),
            new XElement(Command + "parameters",
                documented.Select(p => Parameter(p, Summary(p), Find(doc, p), inSyntax: false))),
            new XElement(Command + "inputTypes",
                doc.Inputs.Select(t => new XElement(Command + "inputType", TypeElement(t.TypeName), Description(Paragraphs(t.Blocks))))),
            new XElement(Command + "returnValues",
                doc.Outputs.Select(t => new XElement(Command + "returnValue", TypeElement(t.TypeName), Description(Paragraphs(t.Blocks))))),
            doc.Notes.Count == 0 ? null : new XElement(Maml + "alertSet",
                new XElement(Maml + "alert", Paragraphs(doc.Notes).Select(Para))),
            new XElement(Command + "examples",
                doc.Examples.Select(e => new XElement(Command + "example",
                    new XElement(Maml + "title", $"--------- {e.Title} ---------"),
                    new XElement(Dev + "code", e.Code),
                    // The empty last paragraph keeps a blank line between one example and the next title.
                    new XElement(Dev + "remarks", Paragraphs(e.Remarks).Append(string.Empty).Select(Para))))),
            new XElement(Maml + "relatedLinks",
                doc.Links.Select(l => new XElement(Maml + "navigationLink",
                    new XElement(Maml + "linkText", l.Text),
                    new XElement(Maml + "uri", l.Uri)))));
    }

    /// <summary>As PowerShell orders a syntax line: positional by position, then mandatory, then optional, -WhatIf/-Confirm last.</summary>
    private static IEnumerable<CmdletParameter> SyntaxOrder(List<CmdletParameter> documented, string set) =>
        documented.Where(p => p.InSet(set) && !p.DontShow)
            .OrderBy(p => p.FactsFor(set).Position ?? int.MaxValue)
            .ThenBy(p => p.FactsFor(set).Mandatory ? 0 : 1)
            .ThenBy(p => p.Name is "WhatIf" or "Confirm" ? 1 : 0);

    /// <summary>One entry for the PARAMETERS list: mandatory only if mandatory in every set it is in.</summary>
    private static ParameterSetFacts Summary(CmdletParameter parameter) =>
        new(CmdletReflector.AllSets,
            parameter.Sets.All(s => s.Mandatory),
            parameter.Sets.Select(s => s.Position).FirstOrDefault(p => p != null),
            parameter.Sets.Any(s => s.ByValue),
            parameter.Sets.Any(s => s.ByPropertyName));

    private static XElement Parameter(CmdletParameter parameter, ParameterSetFacts facts, ParameterDoc? doc, bool inSyntax)
    {
        var pipeline = new[] { facts.ByValue ? "ByValue" : null, facts.ByPropertyName ? "ByPropertyName" : null }.Where(x => x != null).ToList();
        var element = new XElement(Command + "parameter",
            new XAttribute("required", Bool(facts.Mandatory)),
            new XAttribute("variableLength", Bool(parameter.IsArray)),
            new XAttribute("globbing", Bool(parameter.SupportsWildcards)),
            new XAttribute("pipelineInput", pipeline.Count == 0 ? "False" : $"True ({string.Join(", ", pipeline)})"),
            new XAttribute("position", facts.Position?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "named"),
            new XAttribute("aliases", parameter.Aliases.Count == 0 ? "none" : string.Join(", ", parameter.Aliases)),
            new XElement(Maml + "name", parameter.Name),
            Description(doc == null ? Array.Empty<string>() : Paragraphs(doc.Blocks)));
        if (!(parameter.IsSwitch && inSyntax))
        {
            element.Add(new XElement(Command + "parameterValue",
                new XAttribute("required", Bool(!parameter.IsSwitch)),
                new XAttribute("variableLength", Bool(parameter.IsArray)),
                parameter.TypeName));
        }

        element.Add(TypeElement(parameter.TypeFullName));
        element.Add(new XElement(Dev + "defaultValue", doc?.DefaultValue ?? "None"));
        return element;
    }

    private static XElement TypeElement(string typeName) =>
        new(Dev + "type", new XElement(Maml + "name", typeName), new XElement(Maml + "uri"));

    private static XElement Description(IEnumerable<string> paragraphs) =>
        new(Maml + "description", paragraphs.Select(Para));

    private static XElement Para(string text) => new(Maml + "para", text);

    /// <summary>Blocks as MAML paragraphs: list items keep their marker, code and tables keep one line per paragraph.</summary>
    private static IReadOnlyList<string> Paragraphs(IEnumerable<Block> blocks)
    {
        var paragraphs = new List<string>();
        foreach (var block in blocks)
        {
            switch (block.Kind)
            {
                case BlockKind.Bullet:
                case BlockKind.Numbered:
                    paragraphs.Add(block.Marker + " " + block.Text);
                    break;
                case BlockKind.Code:
                    paragraphs.AddRange(block.Lines.Select(l => "    " + l));
                    break;
                case BlockKind.Table:
                    paragraphs.AddRange(TextLayout.Table(block.Rows).Select(l => "    " + l));
                    break;
                default:
                    paragraphs.Add(block.Text);
                    break;
            }
        }

        return paragraphs;
    }

    private static ParameterDoc? Find(CommandDoc doc, CmdletParameter parameter) =>
        doc.Parameters.FirstOrDefault(p => string.Equals(p.Name, parameter.Name, StringComparison.OrdinalIgnoreCase));

    private static int IndexOf(List<string> names, string name)
    {
        var index = names.FindIndex(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));
        return index < 0 ? int.MaxValue : index;
    }

    private static string Bool(bool value) => value ? "true" : "false";
}
