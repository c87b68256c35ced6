using System;
using System.IO;
using System.Runtime.CompilerServices;
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
        private static TestCertificates.PemCertificate _certificate;

        public static AzuriteServer Server => Lazy.Value;

        /// <summary>https://127.0.0.1:{port}/devstoreaccount1</summary>
        public static Uri BlobEndpoint => Server.BlobEndpoint;

        /// <summary>
        /// Runs when the test assembly loads, before any TLS handshake: the runtime reads the user's root store once
        /// per process, so a certificate added after the first handshake would never be trusted.
        /// </summary>
        [ModuleInitializer]
        internal static void TrustCertificateBeforeAnyHandshake()
        {
            var folder = Path.Combine(Path.GetTempPath(), "azbo-tls-" + Guid.NewGuid().ToString("N").Substring(0, 8));
            _certificate = TestCertificates.CreateLoopbackServerCertificate(folder);
            var trusted = X509CertificateLoader.LoadCertificate(_certificate.Certificate.RawData);
            using (var store = new X509Store(StoreName.Root, StoreLocation.CurrentUser))
            {
                store.Open(OpenFlags.ReadWrite);
                RemoveLeftovers(store);
                store.Add(trusted);
            }

            AppDomain.CurrentDomain.ProcessExit += (_, _) =>
            {
                using (var store = new X509Store(StoreName.Root, StoreLocation.CurrentUser))
                {
                    store.Open(OpenFlags.ReadWrite);
                    store.Remove(trusted);
                }

                try
                {
                    Directory.Delete(folder, recursive: true);
                }
                catch (IOException)
                {
                }
            };
        }

        /// <summary>Certificates of earlier test runs that were killed before they could remove theirs (over an hour old).</summary>
        private static void RemoveLeftovers(X509Store store)
        {
            foreach (var old in store.Certificates)
            {
                if (old.Subject.Contains("O=AzBatchOutput tests") && old.NotBefore < DateTime.Now.AddDays(-1).AddHours(-1))
                {
                    store.Remove(old);
                }
            }
        }

        private static AzuriteServer Start() =>
            AzuriteServer.Start(new AzuriteOptions { Https = true, OAuth = true, ServerCertificate = _certificate });
    }
}
