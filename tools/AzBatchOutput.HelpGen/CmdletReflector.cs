using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.IO;
using System.Linq;
using System.Reflection;

namespace AzBatchOutput.HelpGen;

/// <summary>How a parameter behaves in one parameter set.</summary>
internal sealed record ParameterSetFacts(string SetName, bool Mandatory, int? Position, bool ByValue, bool ByPropertyName);

internal sealed class CmdletParameter
{
    public string Name { get; init; } = string.Empty;

    /// <summary>Full .NET name, e.g. System.String[].</summary>
    public string TypeFullName { get; init; } = string.Empty;

    /// <summary>As PowerShell shows it in syntax, e.g. String[].</summary>
    public string TypeName { get; init; } = string.Empty;

    public bool IsSwitch { get; init; }

    public bool IsArray { get; init; }

    public IReadOnlyList<string> Aliases { get; init; } = Array.Empty<string>();

    public bool SupportsWildcards { get; init; }

    /// <summary>[Parameter(DontShow = true)]: documented, but left out of the syntax lines.</summary>
    public bool DontShow { get; init; }

    public IReadOnlyList<ParameterSetFacts> Sets { get; init; } = Array.Empty<ParameterSetFacts>();

    public bool InSet(string setName) => Sets.Any(s => s.SetName == setName || s.SetName == CmdletReflector.AllSets);

    public ParameterSetFacts FactsFor(string setName) =>
        Sets.FirstOrDefault(s => s.SetName == setName) ?? Sets.First(s => s.SetName == CmdletReflector.AllSets);
}

internal sealed class CmdletMetadata
{
    public string Name { get; init; } = string.Empty;

    public string Verb { get; init; } = string.Empty;

    public string Noun { get; init; } = string.Empty;

    public string ClassName { get; init; } = string.Empty;

    public bool SupportsShouldProcess { get; init; }

    /// <summary>Default set first; one entry, <see cref="CmdletReflector.AllSets"/>, when the cmdlet declares none.</summary>
    public IReadOnlyList<string> ParameterSets { get; init; } = Array.Empty<string>();

    /// <summary>The class's parameters, then -WhatIf and -Confirm when it supports ShouldProcess.</summary>
    public IReadOnlyList<CmdletParameter> Parameters { get; init; } = Array.Empty<CmdletParameter>();

    /// <summary>Full names from [OutputType].</summary>
    public IReadOnlyList<string> OutputTypes { get; init; } = Array.Empty<string>();
}

/// <summary>
/// Reads the cmdlets of the built module assembly with MetadataLoadContext: the assembly is inspected, never loaded
/// for execution, so its netstandard2.0/PowerShellStandard references need no runtime of their own.
/// </summary>
internal static class CmdletReflector
{
    public const string AllSets = "__AllParameterSets";
    private const string Sma = "System.Management.Automation.";

    public static List<CmdletMetadata> Read(string assemblyPath, IEnumerable<string> referencePaths)
    {
        var paths = new List<string> { Path.GetFullPath(assemblyPath) };
        paths.AddRange(referencePaths.Where(File.Exists).Select(Path.GetFullPath));
        var byName = paths.GroupBy(p => Path.GetFileNameWithoutExtension(p), StringComparer.OrdinalIgnoreCase).Select(g => g.First()).ToList();
        if (!byName.Any(p => Path.GetFileNameWithoutExtension(p).Equals("System.Management.Automation", StringComparison.OrdinalIgnoreCase)))
        {
            throw new HelpGenException("System.Management.Automation.dll is not among the references; pass the module project's compile references (--references).");
        }

        var core = byName.Any(p => Path.GetFileName(p).Equals("netstandard.dll", StringComparison.OrdinalIgnoreCase)) ? "netstandard" : null;
        using var context = new MetadataLoadContext(new PathAssemblyResolver(byName), core);
        var assembly = context.LoadFromAssemblyPath(Path.GetFullPath(assemblyPath));
        var cmdlets = new List<CmdletMetadata>();
        foreach (var type in assembly.GetTypes())
        {
            // The attribute first: it needs no other assembly, unlike IsClass on a type whose base lives elsewhere.
            var cmdlet = Attribute(type.GetCustomAttributesData(), "CmdletAttribute");
            if (cmdlet != null && type.IsPublic && !type.IsAbstract)
            {
                cmdlets.Add(Describe(type, cmdlet));
            }
        }

        return cmdlets.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
    }

    private static CmdletMetadata Describe(Type type, CustomAttributeData cmdlet)
    {
        var verb = (string)cmdlet.ConstructorArguments[0].Value!;
        var noun = (string)cmdlet.ConstructorArguments[1].Value!;
        var defaultSet = Named<string>(cmdlet, "DefaultParameterSetName");
        var shouldProcess = Named<bool>(cmdlet, "SupportsShouldProcess");

        var parameters = new List<CmdletParameter>();
        foreach (var property in AllProperties(type))
        {
            var attributes = property.GetCustomAttributesData();
            var sets = attributes.Where(a => a.AttributeType.FullName == Sma + "ParameterAttribute").Select(a => new ParameterSetFacts(
                Named<string>(a, "ParameterSetName") ?? AllSets,
                Named<bool>(a, "Mandatory"),
                a.NamedArguments.Any(n => n.MemberName == "Position") ? Named<int>(a, "Position") : null,
                Named<bool>(a, "ValueFromPipeline"),
                Named<bool>(a, "ValueFromPipelineByPropertyName"))).ToList();
            if (sets.Count == 0)
            {
                continue;
            }

            var parameterAttributes = attributes.Where(a => a.AttributeType.FullName == Sma + "ParameterAttribute");
            var alias = Attribute(attributes, "AliasAttribute");
            var propertyType = property.PropertyType;
            parameters.Add(new CmdletParameter
            {
                Name = property.Name,
                TypeFullName = propertyType.FullName ?? propertyType.Name,
                TypeName = propertyType.Name,
                IsSwitch = propertyType.FullName == Sma + "SwitchParameter",
                IsArray = propertyType.IsArray,
                Aliases = alias == null ? Array.Empty<string>() : Strings(alias.ConstructorArguments),
                SupportsWildcards = Attribute(attributes, "SupportsWildcardsAttribute") != null,
                DontShow = parameterAttributes.Any(a => Named<bool>(a, "DontShow")),
                Sets = sets,
            });
        }

        if (shouldProcess)
        {
            parameters.Add(CommonSwitch("WhatIf", "wi"));
            parameters.Add(CommonSwitch("Confirm", "cf"));
        }

        var setNames = parameters.SelectMany(p => p.Sets).Select(s => s.SetName).Where(s => s != AllSets).Distinct().ToList();
        if (setNames.Count == 0)
        {
            setNames.Add(AllSets);
        }
        else if (defaultSet != null && setNames.Remove(defaultSet))
        {
            setNames.Insert(0, defaultSet);
        }

        var outputs = type.GetCustomAttributesData()
            .Where(a => a.AttributeType.FullName == Sma + "OutputTypeAttribute")
            .SelectMany(a => a.ConstructorArguments)
            .SelectMany(Values)
            .Select(v => v is Type t ? t.FullName! : v?.ToString() ?? string.Empty)
            .Where(n => n.Length > 0 && n != "System.Void")
            .ToList();

        return new CmdletMetadata
        {
            Name = verb + "-" + noun,
            Verb = verb,
            Noun = noun,
            ClassName = type.FullName!,
            SupportsShouldProcess = shouldProcess,
            ParameterSets = setNames,
            Parameters = parameters,
            OutputTypes = outputs,
        };
    }

    /// <summary>Public instance properties of the class and its base classes, each name once (the most derived wins).</summary>
    private static IEnumerable<PropertyInfo> AllProperties(Type type)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var current = type; current != null && current.FullName != Sma + "PSCmdlet"; current = current.BaseType)
        {
            foreach (var property in current.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            {
                if (seen.Add(property.Name))
                {
                    yield return property;
                }
            }
        }
    }

    private static CmdletParameter CommonSwitch(string name, string alias) => new()
    {
        Name = name,
        TypeFullName = Sma + "SwitchParameter",
        TypeName = "SwitchParameter",
        IsSwitch = true,
        Aliases = new[] { alias },
        Sets = new[] { new ParameterSetFacts(AllSets, false, null, false, false) },
    };

    private static CustomAttributeData? Attribute(IEnumerable<CustomAttributeData> attributes, string name) =>
        attributes.FirstOrDefault(a => a.AttributeType.FullName == Sma + name);

    private static T? Named<T>(CustomAttributeData attribute, string name)
    {
        var argument = attribute.NamedArguments.FirstOrDefault(n => n.MemberName == name);
        return argument.MemberInfo == null ? default : (T?)argument.TypedValue.Value;
    }

    private static IEnumerable<object?> Values(CustomAttributeTypedArgument argument) =>
        argument.Value is ReadOnlyCollection<CustomAttributeTypedArgument> many ? many.Select(m => m.Value) : new[] { argument.Value };

    private static string[] Strings(IEnumerable<CustomAttributeTypedArgument> arguments) =>
        arguments.SelectMany(Values).Select(v => v?.ToString() ?? string.Empty).Where(v => v.Length > 0).ToArray();
}

internal sealed class HelpGenException : Exception
{
    public HelpGenException(string message)
        : base(message)
    {
    }
}
