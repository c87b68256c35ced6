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
            Assert.StartsWith(RepoPathsFolder(), ours.Location);
            Assert.Contains(engineContext.Assemblies, a => a.GetName().Name == "Azure.Core" && a.GetName().Version > new Version(1, 36, 0, 0));
        }

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
        [InlineData("dependencies/Azure.Core.dll", "6.0.0.0", "10.0.0.0", true)]
        [InlineData("AzBatchOutput.dll", "1.0.0.0", "1.0.0.0", true)]
        [InlineData(null, "4.0.1.2", "4.0.2.0", true)]
        [InlineData("", "4.0.1.2", "4.0.2.0", true)]
        [InlineData("dependencies/Azure.Core.dll", "4.0.3.0", "4.0.2.0", false)]
        [InlineData("../Az.Accounts/Microsoft.Azure.PowerShell.Authentication.dll", "1.0.0.0", "1.44.0.0", false)]
        [InlineData("dependencies-old/Azure.Core.dll", "1.0.0.0", "1.44.0.0", false)]
        public void OnWindowsPowerShellTheModuleServesOnlyItsOwnRequests(string requesting, string requested, string offered, bool served)
        {
            var cmdlets = System.Reflection.Assembly.LoadFrom(System.IO.Path.Combine(RepoPathsFolder(), "AzBatchOutput.dll"));
            var rule = cmdlets.GetType("AzBatchOutput.Loading.FrameworkDependencyResolver", throwOnError: true)
                .GetMethod("ShouldServe", System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.NonPublic);
            var folder = System.IO.Path.Combine(RepoPathsFolder(), "dependencies");
            var location = string.IsNullOrEmpty(requesting) ? requesting : System.IO.Path.GetFullPath(System.IO.Path.Combine(RepoPathsFolder(), requesting));

            var answer = (bool)rule.Invoke(null, new object[] { location, folder, cmdlets.Location, Version.Parse(requested), Version.Parse(offered) });

            Assert.Equal(served, answer);
        }

        private static string RepoPathsFolder() => AzBatchOutput.TestSupport.RepoPaths.ModuleFolder;
    }
}
