using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security;
using AzBatchOutput.Module.Tests.Infrastructure;

namespace AzBatchOutput.Module.Tests.Faults
{
    /// <summary>Helpers for sessions that reach storage through a <see cref="FaultProxy"/> or another endpoint.</summary>
    public static class ProxiedStorage
    {
        /// <summary>The name of the variable that shortens the module's retries; see StorageClientOptions.</summary>
        public const string TestRetryVariable = "AZBATCHOUTPUT_TEST_RETRY";

        public static SecureString Secure(string text)
        {
            var secure = new SecureString();
            foreach (var c in text)
            {
                secure.AppendChar(c);
            }

            secure.MakeReadOnly();
            return secure;
        }

        /// <summary>
        /// Connects the session with Azurite's account name and key, but at <paramref name="blobEndpoint"/> (a proxy, or a
        /// closed port): shared-key signatures cover the path, not the host. Returns the new context.
        /// </summary>
        public static object ConnectAt(this ModuleSession session, Uri blobEndpoint, string accountKey = null)
        {
            var result = session.Run(
                "Connect-BatchOutputStorage -StorageAccountName $AccountName -StorageAccountKey $AccountKey -BlobEndpoint $Endpoint",
                ("AccountName", TestStorage.Server.AccountName),
                ("AccountKey", Secure(accountKey ?? TestStorage.Server.AccountKey)),
                ("Endpoint", blobEndpoint)).ThrowIfFailed();
            return result.Output.Single().BaseObject;
        }

        /// <summary>Every file under <paramref name="folder"/>, relative path ('/'-separated) to its SHA-256.</summary>
        public static Dictionary<string, string> HashTree(string folder) =>
            Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
                .ToDictionary(f => Path.GetRelativePath(folder, f).Replace('\\', '/'), TempFolder.Sha256, StringComparer.Ordinal);

        /// <summary>Every blob in a container, name to the SHA-256 of its content, read directly from Azurite (no proxy).</summary>
        public static Dictionary<string, string> HashContainer(string containerName)
        {
            var container = TestStorage.Sdk.GetBlobContainerClient(containerName);
            var names = container.GetBlobs().Select(b => b.Name).ToList();
            var hashes = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);
            System.Threading.Tasks.Parallel.ForEach(names, new System.Threading.Tasks.ParallelOptions { MaxDegreeOfParallelism = 8 }, name =>
            {
                using var sha = System.Security.Cryptography.SHA256.Create();
                using var content = container.GetBlobClient(name).OpenRead();
                hashes[name] = Convert.ToHexString(sha.ComputeHash(content));
            });
            return new Dictionary<string, string>(hashes, StringComparer.Ordinal);
        }
    }

    /// <summary>
    /// Sets AZBATCHOUTPUT_TEST_RETRY for the contexts created while it lives (a module context reads it when it makes
    /// its client). Process-wide: only for tests in <see cref="ProcessEnvironmentCollection"/>.
    /// </summary>
    public sealed class ShortRetries : IDisposable
    {
        private readonly string _before;

        /// <param name="networkTimeoutSeconds">Null leaves the network timeout to the context (Connect-BatchOutputStorage -ClientTimeoutPerRequest).</param>
        public ShortRetries(int retries = 3, double? networkTimeoutSeconds = 1.5, double delaySeconds = 0.05, double maxDelaySeconds = 0.4)
        {
            _before = Environment.GetEnvironmentVariable(ProxiedStorage.TestRetryVariable);
            Setting = FormattableString.Invariant($"retries={retries};delay={delaySeconds};maxDelay={maxDelaySeconds}") +
                (networkTimeoutSeconds.HasValue ? FormattableString.Invariant($";networkTimeout={networkTimeoutSeconds.Value}") : string.Empty);
            Environment.SetEnvironmentVariable(ProxiedStorage.TestRetryVariable, Setting);
        }

        public string Setting { get; }

        public void Dispose() => Environment.SetEnvironmentVariable(ProxiedStorage.TestRetryVariable, _before);
    }
}
