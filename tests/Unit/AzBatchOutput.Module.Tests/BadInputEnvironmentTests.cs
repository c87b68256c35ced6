using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Net;
using System.Net.Sockets;
using AzBatchOutput.Module.Tests.Faults;
using AzBatchOutput.Module.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>
    /// Bad input that depends on the process environment: no storage configured anywhere, a Batch node's variables
    /// holding nonsense, an endpoint nobody listens on (with the module's retries shortened by a process variable).
    /// </summary>
    [Collection(ProcessEnvironmentCollection.Name)]
    public class BadInputEnvironmentTests
    {
        private static readonly string[] NodeVariables = { "AZBATCHOUTPUT_CONTAINER_URL", "AZ_BATCH_JOB_ID", "AZ_BATCH_TASK_ID" };
        private readonly ITestOutputHelper _output;

        public BadInputEnvironmentTests(ITestOutputHelper output) => _output = output;

        /// <summary>Name, setup ("none", "unreachable" or "VARIABLE=value"), script, error id, category, a phrase of the message.</summary>
        public static IEnumerable<object[]> Cases()
        {
            yield return Case("saving with no storage anywhere", "none", "Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path a.txt", "NoStorageConfigured", ErrorCategory.InvalidOperation, "Run Connect-BatchOutputStorage");
            yield return Case("listing with no storage anywhere", "none", "Get-BatchTaskOutput -JobId $JobId", "NoStorageConfigured", ErrorCategory.InvalidOperation, "Run Connect-BatchOutputStorage");
            yield return Case("initializing with no storage anywhere", "none", "Initialize-BatchJobOutputStorage -JobId $JobId", "NoStorageConfigured", ErrorCategory.InvalidOperation, "Run Connect-BatchOutputStorage");
            yield return Case("a SAS with no storage anywhere", "none", "New-BatchJobOutputSas -JobId $JobId", "NoStorageConfigured", ErrorCategory.InvalidOperation, "Run Connect-BatchOutputStorage");
            yield return Case("no job ID off a node", "none", "Save-BatchTaskOutput -TaskId t1 -Path a.txt", "JobIdRequired", ErrorCategory.InvalidArgument, "Pass -JobId");
            yield return Case("an empty job ID off a node", "none", "Save-BatchTaskOutput -JobId '' -TaskId t1 -Path a.txt", "JobIdRequired", ErrorCategory.InvalidArgument, "Pass -JobId");
            yield return Case("no task ID off a node", "none", "Save-BatchTaskOutput -JobId $JobId -Path a.txt", "TaskIdRequired", ErrorCategory.InvalidArgument, "Pass -TaskId");
            yield return Case("a node's container URL that is not one", "AZBATCHOUTPUT_CONTAINER_URL=not-a-url", "Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path a.txt", "InvalidContainerUrl", ErrorCategory.InvalidArgument, "AZBATCHOUTPUT_CONTAINER_URL");
            yield return Case("a node's job ID that is not one", "AZ_BATCH_JOB_ID=bad job", "Save-BatchTaskOutput -TaskId t1 -Path a.txt", "InvalidJobId", ErrorCategory.InvalidArgument, "A job ID may contain only");
            yield return Case("saving to a closed port", "unreachable", "Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path a.txt", "StorageUnreachable", ErrorCategory.ConnectionError, "Check the endpoint, the network and any firewall");
            yield return Case("listing from a closed port", "unreachable", "Get-BatchTaskOutput -JobId $JobId", "StorageUnreachable", ErrorCategory.ConnectionError, "Check the endpoint, the network and any firewall");
            yield return Case("initializing at a closed port", "unreachable", "Initialize-BatchJobOutputStorage -JobId $JobId", "StorageUnreachable", ErrorCategory.ConnectionError, "Check the endpoint, the network and any firewall");
            yield return Case("describing at a closed port", "unreachable", "Get-BatchJobOutputStorage -JobId $JobId", "StorageUnreachable", ErrorCategory.ConnectionError, "Check the endpoint, the network and any firewall");
        }

        private static object[] Case(string name, string setup, string script, string errorId, ErrorCategory category, string phrase) =>
            new object[] { name, setup, script, errorId, category, phrase };

        [Theory]
        [MemberData(nameof(Cases))]
        public void BadInputFailsClearlyAndChangesNothing(string name, string setup, string script, string errorId, ErrorCategory category, string phrase)
        {
            var saved = NodeVariables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
            using var retries = new ShortRetries(retries: 2, networkTimeoutSeconds: 2);
            using var session = ModuleSession.Start(connect: false);
            try
            {
                foreach (var variable in NodeVariables)
                {
                    Environment.SetEnvironmentVariable(variable, null);
                }

                if (setup == "unreachable")
                {
                    var port = ClosedPort();
                    session.ConnectAt(new Uri($"http://127.0.0.1:{port}/devstoreaccount1"));
                }
                else if (setup != "none")
                {
                    var eq = setup.IndexOf('=');
                    Environment.SetEnvironmentVariable(setup.Substring(0, eq), setup.Substring(eq + 1));
                }

                session.Folder.WriteRandomFile("a.txt", 5);
                var jobId = TestStorage.NewJobId("BadEnv");
                var storageBefore = BadInputFixture.StorageSnapshot("BadEnv");
                var diskBefore = BadInputFixture.DiskSnapshot(session.Folder.Path);
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var result = session.Run(script, ("JobId", jobId));
                var errors = result.AllErrors.ToList();
                _output.WriteLine($"bad-input case '{name}' ({clock.Elapsed.TotalSeconds:0.0} s): {string.Join(" | ", errors.Select(e => $"{e.FullyQualifiedErrorId} [{e.CategoryInfo.Category}] {e}"))}");

                var error = result.SingleError();
                Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
                Assert.Equal(category, error.CategoryInfo.Category);
                Assert.Contains(phrase, error.ToString());
                Assert.Empty(result.Output);
                Assert.Equal(storageBefore, BadInputFixture.StorageSnapshot("BadEnv"));
                Assert.Equal(diskBefore, BadInputFixture.DiskSnapshot(session.Folder.Path));
            }
            finally
            {
                foreach (var pair in saved)
                {
                    Environment.SetEnvironmentVariable(pair.Key, pair.Value);
                }
            }
        }

        /// <summary>No storage is a problem of the call, not of each piped task: one terminating error, nothing else runs.</summary>
        [Theory]
        [InlineData("$tasks | Get-BatchTaskOutput", "GetBatchTaskOutputCommand")]
        [InlineData("$tasks | New-BatchJobOutputSas", "NewBatchJobOutputSasCommand")]
        [InlineData("$tasks | Get-BatchJobOutputStorage", "GetBatchJobOutputStorageCommand")]
        public void NoStorageStopsThePipelineOnceNotOncePerTask(string pipeline, string cmdlet)
        {
            var saved = NodeVariables.ToDictionary(v => v, Environment.GetEnvironmentVariable);
            using var session = ModuleSession.Start(connect: false);
            try
            {
                foreach (var variable in NodeVariables)
                {
                    Environment.SetEnvironmentVariable(variable, null);
                }

                // try/catch catches a terminating error only (without -ErrorAction Stop), as a script's author relies on.
                var result = session.Run(
                    "$tasks = 1..3 | ForEach-Object { [pscustomobject]@{ Id = \"t$_\"; Url = \"https://acct.westus.batch.azure.com/jobs/job-$_/tasks/t$_\" } }; " +
                    "try { " + pipeline + " } catch { $_ }");
                Assert.Empty(result.AllErrors);
                var caught = (ErrorRecord)Assert.Single(result.Output).BaseObject;
                Assert.Equal("NoStorageConfigured,AzBatchOutput.Cmdlets." + cmdlet, caught.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.InvalidOperation, caught.CategoryInfo.Category);
            }
            finally
            {
                foreach (var pair in saved)
                {
                    Environment.SetEnvironmentVariable(pair.Key, pair.Value);
                }
            }
        }

        /// <summary>A loopback port that was free a moment ago and that nothing listens on.</summary>
        internal static int ClosedPort()
        {
            var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            listener.Stop();
            return port;
        }
    }
}
