using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Text.Json;
using AzBatchOutput.Module.Tests.Faults;
using AzBatchOutput.Module.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>
    /// Every exported cmdlet, succeeding and failing, with every stream on, against contexts made from an account key, a
    /// connection string and a container SAS URL: no stream, no error record (nor its exceptions, inner ones included,
    /// nor its target) and no entry of $Error holds the key, the connection string or a SAS signature. Only the
    /// properties whose purpose is to hand out a SAS (New-BatchJobOutputSas's Url, an OutputFiles entry's containerUrl)
    /// may hold one.
    /// </summary>
    public class SecretTests
    {
        private const string Preferences =
            "$VerbosePreference = 'Continue'; $DebugPreference = 'Continue'; $InformationPreference = 'Continue'; $ProgressPreference = 'Continue'; $WarningPreference = 'Continue'; ";

        private readonly ITestOutputHelper _output;

        public SecretTests(ITestOutputHelper output) => _output = output;

        /// <summary>A cmdlet run: which cmdlet it exercises, whether it should succeed, the script, and the one property allowed to hold a SAS.</summary>
        private sealed class Scenario
        {
            public Scenario(string cmdlet, bool? succeeds, string script, string allowedProperty = null)
            {
                Cmdlet = cmdlet;
                Succeeds = succeeds;
                Script = script;
                AllowedProperty = allowedProperty;
            }

            public string Cmdlet { get; }

            /// <summary>Whether the run must succeed, must fail, or (null) may do either: only its streams matter then.</summary>
            public bool? Succeeds { get; }

            public string Script { get; }

            public string AllowedProperty { get; }
        }

        private static IEnumerable<Scenario> Scenarios(string contextKind)
        {
            var accountWide = contextKind != "sas";
            yield return new Scenario("Connect-BatchOutputStorage", true, ConnectScript(contextKind));
            yield return new Scenario("Connect-BatchOutputStorage", false, contextKind switch
            {
                "key" => "Connect-BatchOutputStorage -StorageAccountName devstoreaccount1 -StorageAccountKey $BrokenKey -BlobEndpoint $Endpoint",
                "cs" => "Connect-BatchOutputStorage -ConnectionString ($Secret -replace 'AccountKey=', 'AccountKey=!!')",
                _ => "Connect-BatchOutputStorage -ContainerUrl ($Secret -replace '^http', 'ftp')",
            });
            yield return new Scenario("Initialize-BatchJobOutputStorage", true, "Initialize-BatchJobOutputStorage -JobId $JobId");
            yield return new Scenario("Initialize-BatchJobOutputStorage", false, "Initialize-BatchJobOutputStorage -JobId 'bad job'");
            // Reading a container's properties needs an account-wide credential; with a container SAS it may be refused.
            yield return new Scenario("Get-BatchJobOutputStorage", accountWide ? true : (bool?)null, "Get-BatchJobOutputStorage -JobId $JobId");
            yield return new Scenario("Get-BatchJobOutputStorage", false, "Get-BatchJobOutputStorage -JobId $MissingJobId");
            yield return new Scenario("Save-BatchTaskOutput", true, "Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path a.txt, big.bin, log.txt");
            yield return new Scenario("Save-BatchTaskOutput", false, "Save-BatchTaskOutput -JobId $MissingJobId -TaskId t1 -Path a.txt");
            yield return new Scenario("Save-BatchTaskOutput", false, "Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path missing.txt");
            yield return new Scenario("Save-BatchJobOutput", true, "Save-BatchJobOutput -JobId $JobId -Path a.txt -Kind JobPreview");
            yield return new Scenario("Save-BatchJobOutput", false, "Save-BatchJobOutput -JobId $MissingJobId -Path a.txt");
            yield return new Scenario("Get-BatchTaskOutput", true, "Get-BatchTaskOutput -JobId $JobId");
            yield return new Scenario("Get-BatchTaskOutput", true, "Get-BatchTaskOutput -JobId $JobId -TaskId t1 -Destination dl -Force");
            yield return new Scenario("Get-BatchTaskOutput", false, "Get-BatchTaskOutput -JobId $MissingJobId");
            yield return new Scenario("Get-BatchJobOutput", true, "Get-BatchJobOutput -JobId $JobId -Destination dl -Force");
            yield return new Scenario("Get-BatchJobOutput", false, "Get-BatchJobOutput -JobId $MissingJobId");
            yield return new Scenario("Receive-BatchOutput", true, "Get-BatchTaskOutput -JobId $JobId -TaskId t1 | Receive-BatchOutput -Destination received -Force");
            yield return new Scenario("Receive-BatchOutput", false, "$Gone | Receive-BatchOutput -Destination received-gone");
            yield return new Scenario("Remove-BatchOutput", true, "Get-BatchTaskOutput -JobId $JobId -TaskId t1 -Name a.txt | Remove-BatchOutput -Confirm:$false");
            yield return new Scenario("Remove-BatchOutput", false, "$Gone | Remove-BatchOutput -Context $NoDelete -Confirm:$false");
            if (accountWide)
            {
                yield return new Scenario("New-BatchJobOutputSas", true, "New-BatchJobOutputSas -JobId $JobId -Permission rl", allowedProperty: "Url");
            }
            else
            {
                yield return new Scenario("New-BatchJobOutputSas", false, "New-BatchJobOutputSas -JobId $JobId");
            }

            yield return new Scenario("New-BatchJobOutputSas", false, "New-BatchJobOutputSas -JobId $JobId -Permission rwx");
            yield return new Scenario("New-BatchTaskOutputFile", true, "New-BatchTaskOutputFile -FilePattern '*.txt' -TaskId t1 -JobId $JobId -ContainerUrl $TaskUrl", allowedProperty: "containerUrl");
            yield return new Scenario("New-BatchTaskOutputFile", true, "New-BatchTaskOutputFile -FilePattern '*.txt' -TaskId t1 -JobId $JobId -ContainerUrl $TaskUrl -AsJson", allowedProperty: "containerUrl");
            yield return new Scenario("New-BatchTaskOutputFile", false, "New-BatchTaskOutputFile -FilePattern '*.txt' -TaskId t1 -JobId $MissingJobId -ContainerUrl $TaskUrl");
            yield return new Scenario("Start-BatchTaskOutputTracking", true, "$Tracker = Start-BatchTaskOutputTracking -Path log.txt -JobId $JobId -TaskId t2 -FlushInterval 1; [IO.File]::AppendAllText([IO.Path]::Combine($PWD.Path, 'log.txt'), 'more'); $Tracker");
            yield return new Scenario("Start-BatchTaskOutputTracking", false, "Start-BatchTaskOutputTracking -Path other.log -JobId $MissingJobId -TaskId t2");
            yield return new Scenario("Stop-BatchTaskOutputTracking", true, "Stop-BatchTaskOutputTracking -Tracker $Tracker -GracePeriod 0 -PassThru");
            yield return new Scenario("Stop-BatchTaskOutputTracking", false, "Stop-BatchTaskOutputTracking -Tracker $null");
            yield return new Scenario("Export-BatchJobOutputReport", true, "Export-BatchJobOutputReport -JobId $JobId -Path report.html -PassThru" + (accountWide ? " -IncludeDownloadLinks" : string.Empty));
            yield return new Scenario("Export-BatchJobOutputReport", false, "Export-BatchJobOutputReport -JobId $MissingJobId -Path missing-report.html");
            yield return new Scenario("Invoke-BatchTaskCommand", true, "Invoke-BatchTaskCommand -ScriptBlock { 'working'; [Console]::Error.WriteLine('a warning') } -JobId $JobId -TaskId t3 -OutputPath a.txt -LogDirectory logs -FlushInterval 1 -NoExit");
            yield return new Scenario("Invoke-BatchTaskCommand", false, "Invoke-BatchTaskCommand -ScriptBlock { throw 'the task failed' } -JobId $JobId -TaskId t4 -LogDirectory logs4 -NoExit");
            yield return new Scenario("Invoke-BatchTaskCommand", false, "Invoke-BatchTaskCommand -ScriptBlock { 'never' } -JobId $MissingJobId -TaskId t5 -LogDirectory logs5 -NoExit");
            if (accountWide)
            {
                yield return new Scenario("Remove-BatchJobOutputStorage", true, "Remove-BatchJobOutputStorage -JobId $ThrowawayJobId -Force");
            }

            yield return new Scenario("Remove-BatchJobOutputStorage", false, "Remove-BatchJobOutputStorage -JobId $MissingJobId -Force");
        }

        private static string ConnectScript(string contextKind) => contextKind switch
        {
            "key" => "Connect-BatchOutputStorage -StorageAccountName devstoreaccount1 -StorageAccountKey $SecretKey -BlobEndpoint $Endpoint",
            "cs" => "Connect-BatchOutputStorage -ConnectionString $Secret",
            _ => "Connect-BatchOutputStorage -ContainerUrl $Secret",
        };

        [Theory]
        [InlineData("key")]
        [InlineData("cs")]
        [InlineData("sas")]
        public void NoCmdletRevealsASecretOnAnyStream(string contextKind)
        {
            using var admin = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("Secret");
            var throwawayJobId = TestStorage.NewJobId("Throwaway");
            admin.InitializeJob(jobId);
            admin.InitializeJob(throwawayJobId);
            var contextSas = admin.Run("(New-BatchJobOutputSas -JobId $JobId -Permission racwdl).Url", ("JobId", jobId)).ThrowIfFailed().Output.Single().ToString();
            var taskSas = admin.Run("(New-BatchJobOutputSas -JobId $JobId).Url", ("JobId", jobId)).ThrowIfFailed().Output.Single().ToString();

            var secrets = new SecretSet();
            secrets.Add("account key", TestStorage.Server.AccountKey);
            secrets.Add("connection string", TestStorage.ConnectionString);
            secrets.AddSas("context SAS", contextSas);
            secrets.AddSas("task SAS", taskSas);

            using var session = ModuleSession.Start(connect: false);
            var secret = contextKind switch { "key" => TestStorage.Server.AccountKey, "cs" => TestStorage.ConnectionString, _ => contextSas };
            session.SetVariable("Secret", secret);
            session.SetVariable("SecretKey", ProxiedStorage.Secure(TestStorage.Server.AccountKey));
            session.SetVariable("BrokenKey", ProxiedStorage.Secure(TestStorage.Server.AccountKey + "!"));
            session.SetVariable("Endpoint", TestStorage.Server.BlobEndpoint);
            session.SetVariable("JobId", jobId);
            session.SetVariable("MissingJobId", TestStorage.NewJobId("NoSuchJob"));
            session.SetVariable("ThrowawayJobId", throwawayJobId);
            session.SetVariable("TaskUrl", contextKind == "sas" ? contextSas : taskSas);
            session.Folder.WriteRandomFile("a.txt", 100);
            session.Folder.WriteRandomFile("big.bin", 3 * 1024 * 1024);
            session.Folder.WriteFile("log.txt", System.Text.Encoding.UTF8.GetBytes("line 1\n"));

            // A listed output that is then deleted, and a context that may not delete: failures that go out to the service.
            session.Run(ConnectScript(contextKind) + " | Out-Null").ThrowIfFailed();
            session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t9 -Path a.txt -DestinationPath gone.txt | Out-Null; $Gone = Get-BatchTaskOutput -JobId $JobId -TaskId t9").ThrowIfFailed();
            admin.Run("Get-BatchTaskOutput -JobId $JobId -TaskId t9 | Remove-BatchOutput -Confirm:$false").ThrowIfFailed();
            session.Run("$NoDelete = Connect-BatchOutputStorage -ContainerUrl $TaskSas; " + ConnectScript(contextKind) + " | Out-Null", ("TaskSas", taskSas)).ThrowIfFailed();

            var exported = session.Run("(Get-Command -Module AzBatchOutput).Name").ThrowIfFailed().Output.Select(o => o.ToString()).ToList();
            var scenarios = Scenarios(contextKind).Where(s => exported.Contains(s.Cmdlet, StringComparer.OrdinalIgnoreCase)).ToList();
            foreach (var cmdlet in exported)
            {
                Assert.True(scenarios.Any(s => s.Cmdlet == cmdlet && s.Succeeds == false), $"{cmdlet} is exported but this test has no failing scenario for it: add one.");
                // A container SAS can neither sign another SAS, nor read or delete its container: those only fail with it.
                Assert.True(scenarios.Any(s => s.Cmdlet == cmdlet && s.Succeeds == true) || (contextKind == "sas" && (cmdlet == "New-BatchJobOutputSas" || cmdlet == "Remove-BatchJobOutputStorage" || cmdlet == "Get-BatchJobOutputStorage")),
                    $"{cmdlet} is exported but this test has no succeeding scenario for it: add one.");
            }

            var scan = new Scanner(secrets);
            foreach (var scenario in scenarios)
            {
                var result = session.Run(Preferences + scenario.Script);
                var label = $"{contextKind}: {scenario.Script}";
                Assert.True(scenario.Succeeds == null || (scenario.Succeeds == true ? !result.AllErrors.Any() : result.AllErrors.Any()),
                    $"{label} was expected to {(scenario.Succeeds == true ? "succeed" : "fail")}: {string.Join(" | ", result.AllErrors.Select(e => e.FullyQualifiedErrorId + ": " + e))}");

                // A SAS that a cmdlet hands out is a secret at once, everywhere but the property that hands it out.
                foreach (var item in result.Output.Where(o => o.BaseObject.GetType().Name == "JobOutputSas"))
                {
                    secrets.AddSas("issued SAS", item.Str("Url"));
                }

                scan.Result(label, result, scenario.AllowedProperty);
            }

            scan.ErrorVariable(contextKind, session.Runspace.SessionStateProxy.GetVariable("Error") as IEnumerable);
            _output.WriteLine($"context {contextKind}: {scenarios.Count} scenarios of {exported.Count} cmdlets ({string.Join(", ", exported)})");
            _output.WriteLine($"streams scanned {scan.Streams}, items scanned {scan.Items} ({string.Join(", ", scan.ItemsByStream.Select(p => $"{p.Key} {p.Value}"))}), texts scanned {scan.Texts}");
            _output.WriteLine($"secrets in the properties meant to hold them {scan.AllowedHits}; secrets found anywhere else {scan.Findings.Count}");
            foreach (var finding in scan.Findings)
            {
                _output.WriteLine("  LEAK " + finding);
            }

            Assert.Empty(scan.Findings);
            // The scan can see a secret: the properties that hand one out were scanned and held one.
            if (contextKind != "sas" || exported.Contains("New-BatchTaskOutputFile"))
            {
                Assert.True(scan.AllowedHits > 0, "the scan never recognised a SAS, even where one belongs");
            }
        }

        [Fact]
        public void TheScannerFindsASecretWhereverItIsHidden()
        {
            var secrets = new SecretSet();
            secrets.Add("account key", "c2VjcmV0LWtleS1mb3ItdGVzdHM+Lz0=");
            secrets.AddSas("SAS", "https://a.blob.core.windows.net/c?sv=2024-01-01&sig=abc%2Bdef%2F%3D&se=2030-01-01");
            var scan = new Scanner(secrets);
            var inner = new InvalidOperationException("deep inside: sig=abc+def/=");
            var record = new ErrorRecord(new Exception("outer", inner), "Id", ErrorCategory.NotSpecified, "target");
            var result = new PSResult();
            result.Errors.Add(record);
            result.Output.Add(PSObject.AsPSObject(new { Name = "x", Nested = new { Key = "c2VjcmV0LWtleS1mb3ItdGVzdHM%2BLz0%3D" } }));
            result.Verbose.Add(new VerboseRecord("see https://a.blob.core.windows.net/c?sv=2024-01-01&sig=abc%2Bdef%2F%3D"));
            scan.Result("self-check", result, allowedProperty: null);
            Assert.Contains(scan.Findings, f => f.Contains("[error]") && f.Contains("SAS signature"));
            Assert.Contains(scan.Findings, f => f.Contains("[output]") && f.Contains("account key"));
            Assert.Contains(scan.Findings, f => f.Contains("[verbose]") && f.Contains("SAS signature"));
            Assert.All(scan.Findings, f => Assert.DoesNotContain("abc", f)); // findings never print the secret itself
        }

        /// <summary>The secrets to look for, in the forms they could appear in: raw, URL-encoded and URL-decoded.</summary>
        private sealed class SecretSet
        {
            private readonly List<(string Name, string Value)> _values = new List<(string, string)>();

            public IEnumerable<(string Name, string Value)> Values => _values;

            public void Add(string name, string value)
            {
                foreach (var form in new[] { value, Uri.EscapeDataString(value), Uri.UnescapeDataString(value) }.Distinct())
                {
                    if (form.Length >= 8 && !_values.Any(v => v.Value == form))
                    {
                        _values.Add((name, form));
                    }
                }
            }

            public void AddSas(string name, string url)
            {
                var query = url.Substring(url.IndexOf('?') + 1);
                var sig = query.Split('&').Single(p => p.StartsWith("sig=", StringComparison.Ordinal)).Substring(4);
                Add(name + " signature", sig);
                Add(name + " query", query);
            }
        }

        /// <summary>Renders everything a cmdlet run produced to text and looks for each secret in it.</summary>
        private sealed class Scanner
        {
            private readonly SecretSet _secrets;

            public Scanner(SecretSet secrets) => _secrets = secrets;

            public List<string> Findings { get; } = new List<string>();

            public int Streams { get; private set; }

            public int Items => ItemsByStream.Values.Sum();

            public SortedDictionary<string, int> ItemsByStream { get; } = new SortedDictionary<string, int>(StringComparer.Ordinal);

            public int Texts { get; private set; }

            public int AllowedHits { get; private set; }

            public void Result(string label, PSResult result, string allowedProperty)
            {
                Stream(label, "output", result.Output, o => Render(o, allowedProperty, 3));
                Stream(label, "error", result.AllErrors, RenderError);
                Stream(label, "warning", result.Warnings, w => new[] { w.Message, w.ToString() });
                Stream(label, "verbose", result.Verbose, v => new[] { v.Message, v.ToString() });
                Stream(label, "debug", result.Debug, d => new[] { d.Message, d.ToString() });
                Stream(label, "information", result.Information, i => new[] { i.MessageData?.ToString(), i.ToString(), string.Join(",", i.Tags) });
                Stream(label, "progress", result.Progress, p => new[] { p.Activity, p.StatusDescription, p.CurrentOperation, p.ToString() });
            }

            public void ErrorVariable(string label, IEnumerable errors) =>
                Stream(label, "$Error", (errors ?? Array.Empty<object>()).Cast<object>(), e => e is ErrorRecord record ? RenderError(record) : Render(PSObject.AsPSObject(e), null, 2));

            private void Stream<T>(string label, string stream, IEnumerable<T> items, Func<T, IEnumerable<string>> render)
            {
                Streams++;
                foreach (var item in items)
                {
                    ItemsByStream[stream] = (ItemsByStream.TryGetValue(stream, out var n) ? n : 0) + 1;
                    foreach (var text in render(item))
                    {
                        Check($"{label} [{stream}]", text);
                    }
                }
            }

            private void Check(string where, string text)
            {
                if (string.IsNullOrEmpty(text))
                {
                    return;
                }

                Texts++;
                foreach (var (name, value) in _secrets.Values)
                {
                    if (text.IndexOf(value, StringComparison.Ordinal) >= 0)
                    {
                        Findings.Add($"{where}: the {name} appears in \"{Excerpt(text, value)}\"");
                    }
                }
            }

            private bool HoldsSecret(string text) => text != null && _secrets.Values.Any(s => text.IndexOf(s.Value, StringComparison.Ordinal) >= 0);

            private static string Excerpt(string text, string secret)
            {
                var at = text.IndexOf(secret, StringComparison.Ordinal);
                var start = Math.Max(0, at - 40);
                return text.Substring(start, at - start).Replace('\n', ' ') + "<SECRET>";
            }

            private IEnumerable<string> RenderError(ErrorRecord record)
            {
                yield return record.ToString();
                yield return record.FullyQualifiedErrorId;
                yield return record.CategoryInfo.ToString();
                yield return record.ErrorDetails?.Message;
                yield return record.ErrorDetails?.RecommendedAction;
                yield return record.InvocationInfo?.PositionMessage;
                yield return record.ScriptStackTrace;
                for (var ex = record.Exception; ex != null; ex = ex.InnerException)
                {
                    yield return ex.ToString();
                    yield return ex.Message;
                    foreach (DictionaryEntry entry in ex.Data)
                    {
                        yield return $"{entry.Key}={entry.Value}";
                    }

                    if (ex is AggregateException many)
                    {
                        foreach (var each in many.InnerExceptions)
                        {
                            yield return each.ToString();
                        }
                    }
                }

                if (record.TargetObject != null)
                {
                    foreach (var text in Render(PSObject.AsPSObject(record.TargetObject), null, 2))
                    {
                        yield return text;
                    }
                }
            }

            /// <summary>The object's text and every property's, nested to a depth; the allowed property is checked apart.</summary>
            private IEnumerable<string> Render(PSObject item, string allowedProperty, int depth)
            {
                if (item == null)
                {
                    yield break;
                }

                var baseObject = item.BaseObject;
                var text = SafeToString(item);
                if (baseObject is string json && allowedProperty != null && json.TrimStart().StartsWith("{", StringComparison.Ordinal))
                {
                    // OutputFiles entry as REST JSON: the SAS may be the containerUrl's value and nowhere else.
                    text = WithoutJsonProperty(json, allowedProperty);
                }

                yield return text;
                if (depth == 0 || baseObject is string || baseObject.GetType().IsPrimitive || baseObject is Uri || baseObject is DateTimeOffset || baseObject is DateTime)
                {
                    yield break;
                }

                if (baseObject is IEnumerable sequence && !(baseObject is IDictionary))
                {
                    foreach (var element in sequence)
                    {
                        foreach (var inner in Render(PSObject.AsPSObject(element), allowedProperty, depth - 1))
                        {
                            yield return inner;
                        }
                    }

                    yield break;
                }

                foreach (var property in item.Properties)
                {
                    object value;
                    try
                    {
                        value = property.Value;
                    }
                    catch (Exception)
                    {
                        continue;
                    }

                    if (value == null)
                    {
                        continue;
                    }

                    if (string.Equals(property.Name, allowedProperty, StringComparison.OrdinalIgnoreCase))
                    {
                        if (HoldsSecret(value.ToString()))
                        {
                            AllowedHits++;
                        }

                        continue;
                    }

                    yield return property.Name;
                    foreach (var inner in Render(PSObject.AsPSObject(value), allowedProperty, depth - 1))
                    {
                        yield return inner;
                    }
                }
            }

            private string WithoutJsonProperty(string json, string property)
            {
                using var document = JsonDocument.Parse(json);
                var kept = new System.Text.StringBuilder();
                void Walk(JsonElement element)
                {
                    switch (element.ValueKind)
                    {
                        case JsonValueKind.Object:
                            foreach (var member in element.EnumerateObject())
                            {
                                kept.Append(member.Name).Append(':');
                                if (string.Equals(member.Name, property, StringComparison.OrdinalIgnoreCase))
                                {
                                    if (HoldsSecret(member.Value.ToString()))
                                    {
                                        AllowedHits++;
                                    }

                                    continue;
                                }

                                Walk(member.Value);
                            }

                            break;
                        case JsonValueKind.Array:
                            foreach (var each in element.EnumerateArray())
                            {
                                Walk(each);
                            }

                            break;
                        default:
                            kept.Append(element.ToString()).Append(' ');
                            break;
                    }
                }

                Walk(document.RootElement);
                return kept.ToString();
            }

            private static string SafeToString(object item)
            {
                try
                {
                    return item.ToString();
                }
                catch (Exception ex)
                {
                    return "<ToString threw " + ex.GetType().Name + ">";
                }
            }
        }
    }
}
