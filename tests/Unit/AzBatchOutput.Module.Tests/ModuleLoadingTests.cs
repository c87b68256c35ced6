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

        private static string RepoPathsFolder() => AzBatchOutput.TestSupport.RepoPaths.ModuleFolder;
    }
}
