using System;

namespace AzBatchOutput.TestSupport
{
    /// <summary>How <see cref="AzuriteServer.Start"/> runs Azurite's blob service.</summary>
    public sealed class AzuriteOptions
    {
        /// <summary>
        /// Serve HTTPS with a fresh self-signed certificate for 127.0.0.1, ::1 and localhost
        /// (<see cref="AzuriteServer.Certificate"/>). Nothing trusts it: a caller that connects must trust it
        /// itself, for example with <see cref="AzuriteServer.CreateHttpHandler"/>.
        /// </summary>
        public bool Https { get; set; }

        /// <summary>
        /// With <see cref="Https"/>: serve this certificate instead of a fresh one, e.g. one a test process trusted
        /// before its first TLS handshake (the runtime reads the user's root store once).
        /// </summary>
        public TestCertificates.PemCertificate ServerCertificate { get; set; }

        /// <summary>Accept bearer tokens (Azurite's <c>--oauth basic</c>). Needs <see cref="Https"/>.</summary>
        public bool OAuth { get; set; }

        /// <summary>The loopback port to listen on; 0 (the default) lets the system choose a free one.</summary>
        public int Port { get; set; }

        /// <summary>Do not write Azurite's access log (one line a request) to <see cref="AzuriteServer.LogPath"/>.</summary>
        public bool Silent { get; set; }

        /// <summary>Also write Azurite's verbose debug log (<c>--debug</c>) to <see cref="AzuriteServer.DebugLogPath"/>.</summary>
        public bool DebugLog { get; set; }

        /// <summary>How long Azurite may take from process start until it answers HTTP (installation not included).</summary>
        public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(30);

        /// <summary>Scripts node loads before Azurite (<c>--require</c>), after the parent watchdog; the benchmark's tunes Azurite's GC.</summary>
        public System.Collections.Generic.List<string> Preloads { get; private set; } = new System.Collections.Generic.List<string>();

        internal AzuriteOptions Clone()
        {
            var copy = (AzuriteOptions)MemberwiseClone();
            copy.Preloads = new System.Collections.Generic.List<string>(Preloads);
            return copy;
        }
    }
}
