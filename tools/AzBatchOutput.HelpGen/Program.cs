using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace AzBatchOutput.HelpGen;

/// <summary>Problems found in the help, each reported as an MSBuild-style error line so a build shows them all.</summary>
internal sealed class Problems
{
    private readonly List<string> _lines = new();

    public int Count => _lines.Count;

    public void Add(string location, string message) => _lines.Add($"{location}: error AZBHELP: {message}");

    public void Report(TextWriter writer) => _lines.ForEach(writer.WriteLine);
}

/// <summary>
/// AzBatchOutput.HelpGen --assembly AzBatchOutput.dll --references refs.txt --docs docs/help --out en-US
///
/// Reads the cmdlets of the built assembly (reflection only) and docs/help/*.md (format: docs/help/README.md), checks
/// that every cmdlet, every parameter and at least two examples per cmdlet are documented, and writes
/// {assembly file name}-Help.xml (MAML) and one about_*.help.txt per docs/help/about_*.md into --out.
/// Exit code 0 when written; 1 with one "error AZBHELP" line per problem; 2 for bad arguments.
/// </summary>
internal static class Program
{
    private const string Usage = "usage: AzBatchOutput.HelpGen --assembly <cmdlets.dll> --references <file listing compile references, one per line> --docs <folder of .md> --out <folder>";

    public static int Main(string[] args)
    {
        var options = ParseArguments(args);
        if (options == null)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        try
        {
            return Run(options["--assembly"], options["--references"], options["--docs"], options["--out"]);
        }
        catch (Exception error) when (error is HelpGenException or IOException or BadImageFormatException)
        {
            Console.Error.WriteLine($"AzBatchOutput.HelpGen: error AZBHELP: {error.Message}");
            return 1;
        }
    }

    private static int Run(string assemblyPath, string referencesFile, string docsFolder, string outFolder)
    {
        if (!File.Exists(assemblyPath))
        {
            throw new HelpGenException($"the cmdlet assembly '{assemblyPath}' does not exist; build src/AzBatchOutput first.");
        }

        if (!Directory.Exists(docsFolder))
        {
            throw new HelpGenException($"the help folder '{docsFolder}' does not exist.");
        }

        var references = File.ReadAllLines(referencesFile).Select(l => l.Trim()).Where(l => l.Length > 0);
        var cmdlets = CmdletReflector.Read(assemblyPath, references);
        var problems = new Problems();
        var markdown = Directory.GetFiles(docsFolder, "*.md")
            .Where(f => !Path.GetFileName(f).Equals("README.md", StringComparison.OrdinalIgnoreCase))
            .OrderBy(f => f, StringComparer.Ordinal)
            .ToList();
        var abouts = markdown.Where(f => Path.GetFileName(f).StartsWith("about_", StringComparison.OrdinalIgnoreCase))
            .Select(f => HelpDocs.ReadAbout(f, problems)).ToList();
        var docs = markdown.Where(f => !Path.GetFileName(f).StartsWith("about_", StringComparison.OrdinalIgnoreCase))
            .Select(f => HelpDocs.ReadCommand(f, problems))
            .ToDictionary(d => d.Name, StringComparer.OrdinalIgnoreCase);

        var pairs = new List<(CmdletMetadata, CommandDoc)>();
        foreach (var cmdlet in cmdlets)
        {
            if (!docs.TryGetValue(cmdlet.Name, out var doc))
            {
                problems.Add(Path.Combine(docsFolder, cmdlet.Name + ".md"),
                    $"cmdlet {cmdlet.Name} ({cmdlet.ClassName}) has no help: write {cmdlet.Name}.md in {docsFolder} (see README.md there).");
                continue;
            }

            Check(cmdlet, doc, problems);
            pairs.Add((cmdlet, doc));
        }

        foreach (var stale in docs.Values.Where(d => cmdlets.All(c => !c.Name.Equals(d.Name, StringComparison.OrdinalIgnoreCase))))
        {
            problems.Add(stale.Path, $"there is no cmdlet {stale.Name} in {Path.GetFileName(assemblyPath)}; rename or delete this file.");
        }

        if (problems.Count > 0)
        {
            problems.Report(Console.Error);
            Console.Error.WriteLine($"AzBatchOutput.HelpGen: {problems.Count} problem(s) in the help in {docsFolder}; no help was written.");
            return 1;
        }

        Directory.CreateDirectory(outFolder);
        var mamlPath = Path.Combine(outFolder, Path.GetFileName(assemblyPath) + "-Help.xml");
        using (var writer = new StreamWriter(mamlPath, false, new UTF8Encoding(false)))
        {
            MamlWriter.Build(pairs).Save(writer);
        }

        var written = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var about in abouts)
        {
            var path = Path.Combine(outFolder, about.Name + ".help.txt");
            File.WriteAllText(path, AboutTopicWriter.Write(about), new UTF8Encoding(false));
            written.Add(path);
        }

        // A topic whose Markdown was deleted must not live on in the output.
        foreach (var old in Directory.GetFiles(outFolder, "about_*.help.txt").Where(f => !written.Contains(f)))
        {
            File.Delete(old);
        }

        Console.WriteLine($"AzBatchOutput.HelpGen: help for {pairs.Count} cmdlet(s) and {abouts.Count} about topic(s) written to {outFolder}");
        return 0;
    }

    /// <summary>Everything the help must say about one cmdlet; all gaps are reported, not just the first.</summary>
    private static void Check(CmdletMetadata cmdlet, CommandDoc doc, Problems problems)
    {
        var where = doc.Path;
        if (doc.Synopsis.Length == 0)
        {
            problems.Add(where, $"{cmdlet.Name} has no synopsis ('## SYNOPSIS').");
        }

        if (doc.Description.Count == 0)
        {
            problems.Add(where, $"{cmdlet.Name} has no description ('## DESCRIPTION').");
        }

        foreach (var parameter in cmdlet.Parameters)
        {
            var documented = doc.Parameters.Where(p => p.Name.Equals(parameter.Name, StringComparison.OrdinalIgnoreCase)).ToList();
            if (documented.Count == 0)
            {
                problems.Add(where, $"parameter -{parameter.Name} of {cmdlet.Name} has no help: add '### -{parameter.Name}' under '## PARAMETERS'.");
            }
            else if (documented.Count > 1)
            {
                problems.Add(where, $"parameter -{parameter.Name} of {cmdlet.Name} is documented {documented.Count} times.");
            }
            else if (documented[0].Blocks.Count == 0)
            {
                problems.Add(where, $"parameter -{parameter.Name} of {cmdlet.Name} has a heading but no text.");
            }
        }

        foreach (var extra in doc.Parameters.Where(d => cmdlet.Parameters.All(p => !p.Name.Equals(d.Name, StringComparison.OrdinalIgnoreCase))))
        {
            problems.Add(where, $"{cmdlet.Name} has no parameter -{extra.Name}; remove or rename '### -{extra.Name}'.");
        }

        if (doc.Examples.Count < 2)
        {
            problems.Add(where, $"{cmdlet.Name} has {doc.Examples.Count} example(s); at least 2 are required under '## EXAMPLES'.");
        }

        foreach (var example in doc.Examples)
        {
            if (example.Code.Trim().Length == 0)
            {
                problems.Add(where, $"'{example.Title}' of {cmdlet.Name} has no ```powershell code block.");
            }

            if (example.Remarks.Count == 0)
            {
                problems.Add(where, $"'{example.Title}' of {cmdlet.Name} has no explanation after its code.");
            }
        }

        foreach (var output in cmdlet.OutputTypes.Where(t => doc.Outputs.All(o => o.TypeName != t)))
        {
            problems.Add(where, $"{cmdlet.Name} declares [OutputType({output})], which '## OUTPUTS' does not describe (add '### {output}').");
        }

        if (cmdlet.OutputTypes.Count == 0 && doc.Outputs.Any(o => o.TypeName != "None"))
        {
            problems.Add(where, $"{cmdlet.Name} declares no output type, but '## OUTPUTS' names {string.Join(", ", doc.Outputs.Select(o => o.TypeName))}.");
        }
    }

    private static Dictionary<string, string>? ParseArguments(string[] args)
    {
        var names = new[] { "--assembly", "--references", "--docs", "--out" };
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!names.Contains(args[i]))
            {
                return null;
            }

            options[args[i]] = args[i + 1];
        }

        return args.Length % 2 == 0 && names.All(options.ContainsKey) ? options : null;
    }
}
