using System;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using AzBatchOutput.TestSupport;

namespace AzBatchOutput.Module.Tests.Infrastructure
{
    /// <summary>
    /// A second Azurite, over HTTPS with --oauth basic, for Entra ID tokens (the SDK sends bearer tokens only over
    /// TLS). Its self-signed certificate is trusted by this test process only, through the current user's root
    /// store, and removed again when the process exits: product code never bypasses validation.
    /// </summary>
    public static class SecureTestStorage
    {
        private static readonly Lazy<AzuriteServer> Lazy = new Lazy<AzuriteServer>(Start, LazyThreadSafetyMode.ExecutionAndPublication);

        public static AzuriteServer Server => Lazy.Value;

        /// <summary>https://127.0.0.1:{port}/devstoreaccount1</summary>
        public static Uri BlobEndpoint => Server.BlobEndpoint;

        private static AzuriteServer Start()
        {
            var server = AzuriteServer.Start(new AzuriteOptions { Https = true, OAuth = true });
            var certificate = X509CertificateLoader.LoadCertificate(server.Certificate.RawData);
            using (var store = new X509Store(StoreName.Root, StoreLocation.CurrentUser))
            {
                store.Open(OpenFlags.ReadWrite);
                store.Add(certificate);
            }

            WaitUntilTrusted(server);
            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                using var store = new X509Store(StoreName.Root, StoreLocation.CurrentUser);
                store.Open(OpenFlags.ReadWrite);
                store.Remove(certificate);
            };
            return server;
        }

        /// <summary>
        /// The runtime reads the user's root store through a cache; wait until a plain HttpClient (as the SDK uses)
        /// accepts the certificate, so no test starts before the trust takes effect.
        /// </summary>
        private static void WaitUntilTrusted(AzuriteServer server)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                try
                {
                    using var client = new System.Net.Http.HttpClient { Timeout = TimeSpan.FromSeconds(5) };
                    client.GetAsync(server.BlobEndpoint + "?comp=list").GetAwaiter().GetResult();
                    return;
                }
                catch (System.Net.Http.HttpRequestException) when (DateTime.UtcNow < deadline)
                {
                    Thread.Sleep(500);
                }
            }
        }
    }
}
