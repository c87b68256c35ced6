using System;
using System.Linq;
using System.Runtime.Loader;
using AzBatchOutput.Module.Tests.Infrastructure;
using Xunit;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>
    /// The module imports from its folder and keeps its Azure SDK apart from the older one a session already holds
    /// (as Az.Accounts and Az.Storage load theirs): this test process loads Azure.Core 1.36 and Azure.Storage.Blobs 12.17.
    /// </summary>
    public class ModuleLoadingTests
    {
        [Fact]
        public void WorksBesideOlderAzureAssembliesAlreadyLoaded()
        {
            // Load and use the old SDK first, as a session that ran Az.Storage cmdlets has.
            var old = typeof(Azure.Storage.Blobs.BlobServiceClient).Assembly;
            Assert.True(TestStorage.Sdk.GetBlobContainers().Count() >= 0);
            Assert.Equal(new Version(12, 17, 0, 0), old.GetName().Version);
            Assert.Equal(AssemblyLoadContext.Default, AssemblyLoadContext.GetLoadContext(old));
            Assert.Equal(new Version(1, 36, 0, 0), typeof(Azure.Core.AccessToken).Assembly.GetName().Version);

            using var session = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("Conflict");
            session.InitializeJob(jobId);
            var file = session.Folder.WriteRandomFile("a.bin", 2048);
            session.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path $File | Out-Null", ("JobId", jobId), ("File", file)).ThrowIfFailed();

            // The engine the module's cmdlets use: the assembly of the objects they return.
            var engine = session.Run("Get-BatchTaskOutput -JobId $JobId").ThrowIfFailed().Output.Single().BaseObject.GetType().Assembly;
            Assert.Equal("AzBatchOutput.Engine", engine.GetName().Name);
            var engineContext = AssemblyLoadContext.GetLoadContext(engine);
            Assert.NotEqual(AssemblyLoadContext.Default, engineContext);
            var ours = engineContext.Assemblies.Single(a => a.GetName().Name == "Azure.Storage.Blobs");
            Assert.True(ours.GetName().Version > new Version(12, 30), $"the module's Azure.Storage.Blobs is {ours.GetName().Version}");
            // PowerShell 7.6 runs on .NET 10: the engine and the SDK come from the net8.0 build.
            var net8 = System.IO.Path.Combine(RepoPathsFolder(), "dependencies", "net8.0");
            Assert.Equal(System.IO.Path.Combine(net8, "AzBatchOutput.Engine.dll"), engine.Location);
            Assert.Equal(System.IO.Path.Combine(net8, "Azure.Storage.Blobs.dll"), ours.Location);
            Assert.Contains(engineContext.Assemblies, a => a.GetName().Name == "Azure.Core" && a.GetName().Version > new Version(1, 36, 0, 0));

            // Framework assemblies are the runtime's own (one Span<T>, one JsonSerializer), not copies from the folder.
            Assert.DoesNotContain(engineContext.Assemblies, a => a.GetName().Name == "System.Text.Json" || a.GetName().Name == "System.Memory");
        }

        /// <summary>
        /// The runtimes of PowerShell 7.4 (.NET 8) and 7.5 (.NET 9), each in a self-contained probe
        /// (tests/Unit/AzBatchOutput.RuntimeProbe): the module's load context serves the Azure SDK there, from the build
        /// those runtimes load (net8.0). The SDK asks for System.Text.Json and System.Diagnostics.DiagnosticSource 10.0,
        /// newer than those runtimes' own, so those come from the module's folder (before, the first storage call failed:
        /// "Could not load ... System.Diagnostics.DiagnosticSource, Version=10.0.0.0"). The netstandard2.0 build, which
        /// Windows PowerShell 5.1 loads, is run on .NET 8 too: the nearest this machine comes to running it there.
        /// </summary>
        [Theory]
        [InlineData("net8.0", "8.0.", null, "net8.0")]
        [InlineData("net9.0", "9.0.", null, "net8.0")]
        [InlineData("net8.0", "8.0.", "netstandard2.0", "netstandard2.0")]
        public void OnOlderRuntimesTheAzureSdkLoadsAndWorks(string framework, string runtimeVersion, string buildAsked, string buildLoaded)
        {
            var start = new System.Diagnostics.ProcessStartInfo(RuntimeProbe(framework))
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(RepoPathsFolder());
            start.ArgumentList.Add(TestStorage.ConnectionString);
            if (buildAsked != null)
            {
                start.ArgumentList.Add(buildAsked);
            }
            using var probe = System.Diagnostics.Process.Start(start);
            var output = probe.StandardOutput.ReadToEndAsync();
            var errors = probe.StandardError.ReadToEndAsync();
            Assert.True(probe.WaitForExit(120_000), $"the {framework} probe did not finish in 2 minutes");
            Assert.True(probe.ExitCode == 0, $"exit {probe.ExitCode}: {errors.Result}");

            var lines = output.Result.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
            Assert.StartsWith("runtime=" + runtimeVersion, lines[0]);
            Assert.Contains(lines, l => l.StartsWith("container=job-runtimeprobe-", StringComparison.Ordinal) && l.EndsWith(" frames=42 listed=t1/result.json", StringComparison.Ordinal));
            var folder = System.IO.Path.Combine(RepoPathsFolder(), "dependencies", buildLoaded);
            foreach (var expected in new[] { "AzBatchOutput.Engine 0.1.0.0", "Azure.Core 1.60.0.0", "Azure.Storage.Blobs 12.30.1.0", "System.Text.Json 10.0.0.0", "System.Diagnostics.DiagnosticSource 10.0.0.0" })
            {
                var name = expected.Split(' ')[0];
                Assert.Contains($"loaded {expected} module {System.IO.Path.Combine(folder, name + ".dll")}", lines);
            }
        }

        /// <summary>The probe's executable for one runtime, built with the solution in this test assembly's configuration.</summary>
        private static string RuntimeProbe(string framework)
        {
            var configuration = new System.IO.DirectoryInfo(AppContext.BaseDirectory.TrimEnd(System.IO.Path.DirectorySeparatorChar)).Parent.Name;
            var built = System.IO.Path.Combine(AzBatchOutput.TestSupport.RepoPaths.Root, "tests", "Unit", "AzBatchOutput.RuntimeProbe", "bin", configuration, framework);
            var exe = OperatingSystem.IsWindows() ? "AzBatchOutput.RuntimeProbe.exe" : "AzBatchOutput.RuntimeProbe";
            var found = System.IO.Directory.Exists(built)
                ? System.IO.Directory.GetFiles(built, exe, System.IO.SearchOption.AllDirectories).FirstOrDefault()
                : null;
            return found ?? throw new System.IO.FileNotFoundException($"The {framework} probe is not built under '{built}': build AzBatchOutput.sln in {configuration}.");
        }

        /// <summary>
        /// A framework assembly comes from the runtime unless the runtime's copy is older than the one asked for (the
        /// Azure SDK asks for System.Text.Json 10.0; PowerShell 7.4's .NET 8 has 8.0 and would refuse the load).
        /// </summary>
        [Theory]
        [InlineData("10.0.0.0", "8.0.0.0", "10.0.0.0", true)]
        [InlineData("10.0.0.0", "9.0.0.0", "10.0.0.9", true)]
        [InlineData("10.0.0.0", "10.0.0.0", "10.0.0.0", false)]
        [InlineData("8.0.0.0", "10.0.0.0", "10.0.0.0", false)]
        [InlineData("4.0.2.0", "10.0.0.0", "4.0.5.0", false)]
        [InlineData("10.0.0.0", "8.0.0.0", "9.0.0.0", false)]
        [InlineData("10.0.0.0", "8.0.0.0", null, false)]
        [InlineData(null, "8.0.0.0", "10.0.0.0", false)]
        public void AFrameworkAssemblyComesFromTheFolderOnlyWhenTheRuntimesIsTooOld(string requested, string runtimeHas, string folderHas, bool fromFolder)
        {
            var rule = CmdletsType("AzBatchOutput.Loading.IsolatedLoadContext").GetMethod("ServeInsteadOfRuntime", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic);

            var answer = (bool)rule.Invoke(null, new object[] { Parse(requested), Parse(runtimeHas), Parse(folderHas) });

            Assert.Equal(fromFolder, answer);
        }

        private static Version Parse(string version) => version == null ? null : Version.Parse(version);

        private static Type CmdletsType(string name) =>
            System.Reflection.Assembly.LoadFrom(System.IO.Path.Combine(RepoPathsFolder(), "AzBatchOutput.dll")).GetType(name, throwOnError: true);

        [Fact]
        public void ImportListsTheCmdletsFromTheModuleFolder()
        {
            using var session = ModuleSession.Start(connect: false);
            var names = session.Run("Get-Command -Module AzBatchOutput | ForEach-Object Name").ThrowIfFailed().Output.Select(o => o.ToString()).ToList();
            foreach (var expected in new[]
            {
                "Connect-BatchOutputStorage", "Initialize-BatchJobOutputStorage", "Get-BatchJobOutputStorage", "Remove-BatchJobOutputStorage",
                "Save-BatchTaskOutput", "Save-BatchJobOutput", "Get-BatchTaskOutput", "Get-BatchJobOutput", "Receive-BatchOutput", "Remove-BatchOutput",
            })
            {
                Assert.Contains(expected, names);
            }

            var path = session.Run("(Get-Module AzBatchOutput).ModuleBase").ThrowIfFailed().Output.Single().ToString();
            Assert.Equal(RepoPathsFolder().TrimEnd('/'), path.TrimEnd('/'));
        }

        /// <summary>
        /// Windows PowerShell 5.1's AssemblyResolve is process-wide: the module answers its own requests (or loads by
        /// name) with a version at least the one asked for, and leaves Az.Accounts' and Az.Storage's to them. The rule is
        /// checked here; the handler itself only runs on .NET Framework.
        /// </summary>
        [Theory]
        [InlineData("dependencies/netstandard2.0/Azure.Core.dll", "6.0.0.0", "10.0.0.0", true)]
        [InlineData("AzBatchOutput.dll", "1.0.0.0", "1.0.0.0", true)]
        [InlineData(null, "4.0.1.2", "4.0.2.0", true)]
        [InlineData("", "4.0.1.2", "4.0.2.0", true)]
        [InlineData("dependencies/netstandard2.0/Azure.Core.dll", "4.0.3.0", "4.0.2.0", false)]
        [InlineData("../Az.Accounts/Microsoft.Azure.PowerShell.Authentication.dll", "1.0.0.0", "1.44.0.0", false)]
        [InlineData("dependencies/netstandard2.0-old/Azure.Core.dll", "1.0.0.0", "1.44.0.0", false)]
        public void OnWindowsPowerShellTheModuleServesOnlyItsOwnRequests(string requesting, string requested, string offered, bool served)
        {
            var cmdlets = System.Reflection.Assembly.LoadFrom(System.IO.Path.Combine(RepoPathsFolder(), "AzBatchOutput.dll"));
            var rule = CmdletsType("AzBatchOutput.Loading.FrameworkDependencyResolver")
                .GetMethod("ShouldServe", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic);
            var folder = System.IO.Path.Combine(RepoPathsFolder(), "dependencies", "netstandard2.0");
            var location = string.IsNullOrEmpty(requesting) ? requesting : System.IO.Path.GetFullPath(System.IO.Path.Combine(RepoPathsFolder(), requesting));

            var answer = (bool)rule.Invoke(null, new object[] { location, folder, cmdlets.Location, Version.Parse(requested), Version.Parse(offered) });

            Assert.Equal(served, answer);
        }

        /// <summary>
        /// .NET 8 and later (PowerShell 7.4 and later) load the Azure SDK's net8.0 builds; .NET Framework (reports 4.0:
        /// Windows PowerShell 5.1) and .NET Core 3.1 to .NET 7 (PowerShell 7.0 to 7.3) the netstandard2.0 ones.
        /// </summary>
        [Theory]
        [InlineData("4.0.30319.42000", "netstandard2.0")]
        [InlineData("3.1.32", "netstandard2.0")]
        [InlineData("7.0.20", "netstandard2.0")]
        [InlineData("8.0.34", "net8.0")]
        [InlineData("10.0.12", "net8.0")]
        public void EachRuntimeLoadsTheBuildMadeForIt(string runtime, string build)
        {
            var rule = CmdletsType("AzBatchOutput.Loading.DependencyFolder").GetMethod("BuildFor", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic);

            Assert.Equal(build, (string)rule.Invoke(null, new object[] { Version.Parse(runtime) }));
        }

        /// <summary>
        /// The module folder holds the engine and the Azure SDK in both builds, each the build its folder names.
        /// </summary>
        [Fact]
        public void TheModuleHoldsBothBuilds()
        {
            foreach (var build in new[] { "netstandard2.0", "net8.0" })
            {
                foreach (var name in new[] { "AzBatchOutput.Engine", "Azure.Core", "Azure.Storage.Common", "Azure.Storage.Blobs" })
                {
                    var path = System.IO.Path.Combine(RepoPathsFolder(), "dependencies", build, name + ".dll");
                    Assert.True(System.IO.File.Exists(path), $"{path} is missing");
                    Assert.Equal(build, TargetFrameworkOf(path));
                }
            }
        }

        /// <summary>The framework an assembly was built for, as its folder under lib/ in a NuGet package would name it.</summary>
        private static string TargetFrameworkOf(string path)
        {
            using var stream = System.IO.File.OpenRead(path);
            using var pe = new System.Reflection.PortableExecutable.PEReader(stream);
            var reader = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(pe);
            foreach (var handle in reader.GetAssemblyDefinition().GetCustomAttributes())
            {
                var attribute = reader.GetCustomAttribute(handle);
                if (attribute.Constructor.Kind != System.Reflection.Metadata.HandleKind.MemberReference)
                {
                    continue; // an attribute the assembly defines itself
                }

                var constructor = reader.GetMemberReference((System.Reflection.Metadata.MemberReferenceHandle)attribute.Constructor);
                if (constructor.Parent.Kind != System.Reflection.Metadata.HandleKind.TypeReference)
                {
                    continue;
                }

                var type = reader.GetTypeReference((System.Reflection.Metadata.TypeReferenceHandle)constructor.Parent);
                if (reader.GetString(type.Name) == "TargetFrameworkAttribute")
                {
                    // The blob: prolog (2 bytes), then the serialized string ".NETStandard,Version=v2.0" or ".NETCoreApp,Version=v8.0".
                    var blob = reader.GetBlobReader(attribute.Value);
                    blob.ReadUInt16();
                    var moniker = blob.ReadSerializedString();
                    var version = moniker.Substring(moniker.IndexOf("=v", StringComparison.Ordinal) + 2);
                    return moniker.StartsWith(".NETStandard", StringComparison.Ordinal) ? "netstandard" + version : "net" + version;
                }
            }

            return null;
        }

        private static string RepoPathsFolder() => AzBatchOutput.TestSupport.RepoPaths.ModuleFolder;
    }
}
