using System;
using System.IO;
using System.Net;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace AzBatchOutput.TestSupport
{
    /// <summary>Self-signed certificates for loopback test servers.</summary>
    public static class TestCertificates
    {
        /// <summary>A server certificate written as PEM files, and its public part.</summary>
        public sealed class PemCertificate
        {
            internal PemCertificate(X509Certificate2 certificate, string certificatePemPath, string keyPemPath)
            {
                Certificate = certificate;
                CertificatePemPath = certificatePemPath;
                KeyPemPath = keyPemPath;
            }

            /// <summary>The certificate without its private key.</summary>
            public X509Certificate2 Certificate { get; }

            public string CertificatePemPath { get; }

            public string KeyPemPath { get; }
        }

        /// <summary>
        /// Creates a self-signed TLS server certificate for localhost, 127.0.0.1 and ::1, valid from a day ago for
        /// a week, and writes it and its private key (PKCS#8) as PEM files into <paramref name="folder"/>.
        /// </summary>
        public static PemCertificate CreateLoopbackServerCertificate(string folder)
        {
            Directory.CreateDirectory(folder);
            using RSA key = RSA.Create(2048);
            var request = new CertificateRequest(
                // A subject of its own: trust stores look issuers up by subject, so two test certificates with one
                // subject (say, one left behind by a killed run) make chain building pick the wrong one at random.
                $"CN=localhost, OU={Guid.NewGuid():N}, O=AzBatchOutput tests", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

            var names = new SubjectAlternativeNameBuilder();
            names.AddDnsName("localhost");
            names.AddIpAddress(IPAddress.Loopback);
            names.AddIpAddress(IPAddress.IPv6Loopback);
            request.CertificateExtensions.Add(names.Build(critical: false));
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, critical: true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(
                X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, critical: true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(
                new OidCollection { new Oid("1.3.6.1.5.5.7.3.1", "Server Authentication") }, critical: false));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));

            DateTimeOffset now = DateTimeOffset.UtcNow;
            using X509Certificate2 withKey = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(7));

            string certificatePath = Path.Combine(folder, "azurite-cert.pem");
            string keyPath = Path.Combine(folder, "azurite-key.pem");
            File.WriteAllText(certificatePath, withKey.ExportCertificatePem() + "\n");
            WritePrivate(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n");

            return new PemCertificate(X509CertificateLoader.LoadCertificate(withKey.RawData), certificatePath, keyPath);
        }

        private static void WritePrivate(string path, string text)
        {
            if (RuntimeInformation.IsOSPlatform(OSPlatform.Windows))
            {
                File.WriteAllText(path, text);
                return;
            }

            var options = new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            };
            using var writer = new StreamWriter(path, options);
            writer.Write(text);
        }
    }
}
