using System;
using System.Collections;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using AzBatchOutput.Module.Tests.Infrastructure;
using AzBatchOutput.TestSupport;
using Xunit;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>One session with the built module imported (help needs no storage), shared by the help tests.</summary>
    public sealed class HelpSession : IDisposable
    {
        public ModuleSession Session { get; } = ModuleSession.Start(connect: false);

        public void Dispose() => Session.Dispose();
    }

    /// <summary>
    /// The help that the build generates from docs/help (tools/AzBatchOutput.HelpGen), read back through the real
    /// Get-Help: every exported cmdlet, every parameter, two or more examples, and the about topics.
    /// </summary>
    public class HelpTests : IClassFixture<HelpSession>
    {
        private readonly ModuleSession _session;

        public HelpTests(HelpSession fixture)
        {
            _session = fixture.Session;
        }

        /// <summary>CmdletsToExport of the repository's AzBatchOutput.psd1, read with PowerShell's own parser.</summary>
        public static IEnumerable<object[]> ManifestCmdlets() => ReadManifestCmdlets().Select(name => new object[] { name });

        [Fact]
        public void ModuleExportsExactlyTheManifestCmdlets()
        {
            var exported = _session.Run("Get-Command -Module AzBatchOutput -CommandType Cmdlet | ForEach-Object { $_.Name }")
                .ThrowIfFailed().Output.Select(o => (string)o.BaseObject).OrderBy(n => n, StringComparer.Ordinal).ToList();
            var manifest = ReadManifestCmdlets().OrderBy(n => n, StringComparer.Ordinal).ToList();

            Assert.True(manifest.SequenceEqual(exported),
                $"AzBatchOutput.psd1 lists [{string.Join(", ", manifest.Except(exported))}] that the module does not export, " +
                $"and the module exports [{string.Join(", ", exported.Except(manifest))}] that the manifest does not list.");
            Assert.NotEmpty(exported);
        }

        [Theory]
        [MemberData(nameof(ManifestCmdlets))]
        public void CmdletHasCompleteHelp(string cmdlet)
        {
            var help = _session.Run("Get-Help -Name $Name -Full", ("Name", cmdlet)).ThrowIfFailed().Output.Single();
            var problems = new List<string>();

            var synopsis = (help.Str("Synopsis") ?? string.Empty).Trim();
            if (synopsis.Length == 0 || synopsis.StartsWith(cmdlet, StringComparison.OrdinalIgnoreCase) || synopsis.Contains("<CommonParameters>"))
            {
                problems.Add($"its synopsis is missing or is the generated syntax: '{synopsis}'");
            }

            if (Text(help.Prop("description")).Length == 0)
            {
                problems.Add("it has no description");
            }

            var documented = Items(help.Prop("parameters"), "parameter")
                .ToDictionary(p => p.Str("name"), p => Text(p.Prop("description")), StringComparer.OrdinalIgnoreCase);
            foreach (var parameter in CmdletParameters(cmdlet))
            {
                if (!documented.TryGetValue(parameter, out var text) || text.Length == 0)
                {
                    problems.Add($"parameter -{parameter} has no description");
                }
            }

            var examples = Items(help.Prop("examples"), "example").ToList();
            if (examples.Count < 2)
            {
                problems.Add($"it has {examples.Count} example(s), fewer than 2");
            }

            for (var i = 0; i < examples.Count; i++)
            {
                if ((examples[i].Str("code") ?? string.Empty).Trim().Length == 0)
                {
                    problems.Add($"example {i + 1} has no code");
                }

                if (Text(examples[i].Prop("remarks")).Length == 0)
                {
                    problems.Add($"example {i + 1} has no remarks");
                }
            }

            Assert.True(problems.Count == 0, $"Get-Help {cmdlet} -Full: {string.Join("; ", problems)}. Fix docs/help/{cmdlet}.md.");
        }

        [Theory]
        [InlineData("about_AzBatchOutput", "AZBATCHOUTPUT_CONTAINER_URL")]
        [InlineData("about_AzBatchOutput_Conventions", "job-myterrificjob")]
        public void AboutTopicIsShown(string topic, string expectedText)
        {
            var output = _session.Run("Get-Help -Name $Topic", ("Topic", topic)).ThrowIfFailed().Output;
            var text = string.Join("\n", output.Select(o => o?.ToString() ?? string.Empty));

            Assert.True(text.Contains(topic, StringComparison.Ordinal) && text.Contains(expectedText, StringComparison.Ordinal),
                $"Get-Help {topic} returned {output.Count} object(s) without the topic's text: '{Shorten(text)}'");
            Assert.Contains("SHORT DESCRIPTION", text, StringComparison.Ordinal);
        }

        private List<string> CmdletParameters(string cmdlet)
        {
            var info = (CommandInfo)_session.Run("Get-Command -Name $Name -Module AzBatchOutput", ("Name", cmdlet)).ThrowIfFailed().Output.Single().BaseObject;
            return info.Parameters.Keys.Where(p => !Cmdlet.CommonParameters.Contains(p)).OrderBy(p => p, StringComparer.Ordinal).ToList();
        }

        private static List<string> ReadManifestCmdlets()
        {
            var manifest = Path.Combine(RepoPaths.Root, "AzBatchOutput.psd1");
            var ast = Parser.ParseFile(manifest, out _, out var errors);
            Assert.Empty(errors);
            var table = (Hashtable)((HashtableAst)ast.Find(a => a is HashtableAst, false)).SafeGetValue();
            var cmdlets = table["CmdletsToExport"];
            return (cmdlets is object[] many ? many : new[] { cmdlets }).Select(c => (string)c).ToList();
        }

        /// <summary>The objects under a help node's list property (e.g. parameters.parameter), one or many.</summary>
        private static IEnumerable<PSObject> Items(object node, string name)
        {
            var value = node == null ? null : PSObject.AsPSObject(node).Prop(name);
            return value switch
            {
                null => Enumerable.Empty<PSObject>(),
                object[] many => many.Select(PSObject.AsPSObject),
                _ => new[] { PSObject.AsPSObject(value) },
            };
        }

        /// <summary>Help prose (one or more {Text = ...} paragraph objects, or a string) as one string.</summary>
        private static string Text(object value)
        {
            switch (value)
            {
                case null:
                    return string.Empty;
                case string text:
                    return text.Trim();
                case PSObject wrapped when wrapped.BaseObject is string or object[]:
                    return Text(wrapped.BaseObject);
                case object[] many:
                    return string.Join(" ", many.Select(Text)).Trim();
                default:
                    return (PSObject.AsPSObject(value).Str("Text") ?? string.Empty).Trim();
            }
        }

        private static string Shorten(string text) => text.Length <= 300 ? text : text.Substring(0, 300) + "...";
    }
}
