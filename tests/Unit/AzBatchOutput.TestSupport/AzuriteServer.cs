using System;
using System.Collections.Generic;
using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;

namespace AzBatchOutput.TestSupport
{
    /// <summary>
    /// A real Azurite blob service on a free loopback port, in memory, for one test class or a benchmark.
    /// <see cref="Start"/> installs Azurite if needed (npm ci in tools/azurite), starts it, and returns once it
    /// answers HTTP; it throws <see cref="AzuriteStartException"/> (never skips) when it cannot.
    /// <see cref="Dispose"/> kills it and deletes its temporary files; so does the test process's exit.
    /// </summary>
    public sealed class AzuriteServer : IDisposable
    {
        /// <summary>Azurite's built-in account.</summary>
        public const string WellKnownAccountName = "devstoreaccount1";

        /// <summary>The published key of Azurite's built-in account (not a secret).</summary>
        public const string WellKnownAccountKey =
            "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

        private const int TailLines = 60;
        private const string TempFolderPrefix = "azbatchoutput-azurite-";
        private static readonly Regex ListeningLine =
            new Regex(@"listens on (https?://[^\s]+)", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        private readonly object logLock = new object();
        private readonly Queue<string> tail = new Queue<string>();
        private readonly TaskCompletionSource<Uri> listening =
            new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly string tempFolder;
        private readonly EventHandler processExitHandler;
        private StreamWriter logWriter;
        private Process process;
        private int disposed;

        private AzuriteServer(AzuriteOptions options, string tempFolder)
        {
            Options = options;
            this.tempFolder = tempFolder;
            LogPath = Path.Combine(tempFolder, "azurite-output.log");
            DebugLogPath = options.DebugLog ? Path.Combine(tempFolder, "azurite-debug.log") : null;
            processExitHandler = (_, _) =>
            {
                KillProcess();
                try
                {
                    process?.WaitForExit(2000);
                }
                catch (InvalidOperationException)
                {
                }

                DeleteFolder(tempFolder);
            };
        }

        /// <summary>The options it was started with.</summary>
        public AzuriteOptions Options { get; }

        /// <summary>The account's blob endpoint, path style: http(s)://127.0.0.1:PORT/devstoreaccount1.</summary>
        public Uri BlobEndpoint { get; private set; }

        /// <summary>The loopback port Azurite listens on.</summary>
        public int Port { get; private set; }

        /// <summary>Always <see cref="WellKnownAccountName"/>.</summary>
        public string AccountName => WellKnownAccountName;

        /// <summary>Always <see cref="WellKnownAccountKey"/>.</summary>
        public string AccountKey => WellKnownAccountKey;

        /// <summary>A storage connection string for this server's account, with its key and blob endpoint.</summary>
        public string ConnectionString =>
            $"DefaultEndpointsProtocol={BlobEndpoint.Scheme};AccountName={AccountName};AccountKey={AccountKey};BlobEndpoint={BlobEndpoint};";

        /// <summary>Azurite's standard output and error (its access log unless <see cref="AzuriteOptions.Silent"/>).</summary>
        public string LogPath { get; }

        /// <summary>Azurite's debug log when <see cref="AzuriteOptions.DebugLog"/> is set, else null.</summary>
        public string DebugLogPath { get; }

        /// <summary>With <see cref="AzuriteOptions.Https"/>: the server's self-signed certificate (public part only), else null.</summary>
        public X509Certificate2 Certificate { get; private set; }

        /// <summary>With <see cref="AzuriteOptions.Https"/>: the certificate as a PEM file (for SSL_CERT_FILE, curl --cacert, ...), else null.</summary>
        public string CertificatePath { get; private set; }

        /// <summary>The node process's ID.</summary>
        public int ProcessId { get; private set; }

        /// <summary>Installs Azurite if needed, starts its blob service and waits until it answers HTTP.</summary>
        public static AzuriteServer Start(AzuriteOptions options = null)
        {
            options = options?.Clone() ?? new AzuriteOptions();
            if (options.OAuth && !options.Https)
            {
                throw new ArgumentException("Azurite accepts OAuth only over HTTPS: set Https too.", nameof(options));
            }
            if (options.Port < 0 || options.Port > 65535)
            {
                throw new ArgumentOutOfRangeException(nameof(options), options.Port, "Port must be 0 (any free port) or a TCP port.");
            }

            string mainScript = AzuriteInstaller.EnsureInstalled();
            DeleteAbandonedFolders();
            string tempFolder = Path.Combine(
                Path.GetTempPath(),
                TempFolderPrefix + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(tempFolder);

            var server = new AzuriteServer(options, tempFolder);
            try
            {
                server.Launch(mainScript);
                return server;
            }
            catch
            {
                server.Dispose();
                throw;
            }
        }

        /// <summary>
        /// An HTTP handler for clients of this server. With HTTPS it trusts this server's certificate as its only
        /// root (a real chain check against that one certificate, not a bypass); with HTTP it is a plain handler.
        /// </summary>
        public SocketsHttpHandler CreateHttpHandler()
        {
            var handler = new SocketsHttpHandler();
            if (Certificate != null)
            {
                var policy = new X509ChainPolicy
                {
                    TrustMode = X509ChainTrustMode.CustomRootTrust,
                    RevocationMode = X509RevocationMode.NoCheck,
                };
                policy.CustomTrustStore.Add(X509CertificateLoader.LoadCertificate(Certificate.RawData));
                handler.SslOptions = new SslClientAuthenticationOptions { CertificateChainPolicy = policy };
            }

            return handler;
        }

        /// <summary>
        /// A bearer token that Azurite's <c>--oauth basic</c> accepts: a JWT for audience https://storage.azure.com
        /// from an Entra ID issuer, valid from a minute ago for <paramref name="lifetime"/> (default one hour).
        /// Azurite checks its claims and lifetime but not its signature, so it is signed with nothing real.
        /// </summary>
        public string CreateBearerToken(TimeSpan? lifetime = null)
        {
            const string tenant = "72f988bf-0000-4000-8000-00000000a2b0";
            long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            long expires = now + (long)(lifetime ?? TimeSpan.FromHours(1)).TotalSeconds;
            string header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
            string payload = string.Create(CultureInfo.InvariantCulture,
                $"{{\"aud\":\"https://storage.azure.com\",\"iss\":\"https://sts.windows.net/{tenant}/\",\"tid\":\"{tenant}\"," +
                $"\"oid\":\"00000000-0000-4000-8000-000000000001\",\"iat\":{now - 60},\"nbf\":{now - 60},\"exp\":{expires}}}");
            return Base64Url(Encoding.UTF8.GetBytes(header)) + "." +
                   Base64Url(Encoding.UTF8.GetBytes(payload)) + "." +
                   Base64Url(Encoding.UTF8.GetBytes("not-a-real-signature"));
        }

        /// <summary>Everything Azurite has written to <see cref="LogPath"/> so far.</summary>
        public string ReadLog()
        {
            lock (logLock)
            {
                logWriter?.Flush();
            }

            using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream);
            return reader.ReadToEnd();
        }

        /// <summary>Kills Azurite (and anything it started) and deletes its temporary folder.</summary>
        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) != 0)
            {
                return;
            }

            AppDomain.CurrentDomain.ProcessExit -= processExitHandler;
            KillProcess();
            Process p = process;
            if (p != null)
            {
                try
                {
                    // Parameterless WaitForExit also waits for the output readers to drain.
                    if (p.WaitForExit(5000))
                    {
                        p.WaitForExit();
                    }
                }
                catch (InvalidOperationException)
                {
                }

                p.Dispose();
            }

            lock (logLock)
            {
                logWriter?.Dispose();
                logWriter = null;
            }

            DeleteFolder(tempFolder);
        }

        public override string ToString() => $"Azurite blob service at {BlobEndpoint} (pid {ProcessId})";

        private void Launch(string mainScript)
        {
            logWriter = new StreamWriter(new FileStream(LogPath, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
            {
                AutoFlush = true,
            };

            var startInfo = new ProcessStartInfo("node")
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                CreateNoWindow = true,
                // Not --location: Azurite 3.37 refuses it together with --inMemoryPersistence.
                WorkingDirectory = tempFolder,
            };

            // Azurite exits when this pipe closes, so it cannot outlive a test process that is killed outright.
            string watchdog = Path.Combine(RepoPaths.AzuriteToolFolder, "parent-watchdog.js");
            if (File.Exists(watchdog))
            {
                startInfo.ArgumentList.Add("--require");
                startInfo.ArgumentList.Add(watchdog);
            }

            foreach (string preload in Options.Preloads)
            {
                startInfo.ArgumentList.Add("--require");
                startInfo.ArgumentList.Add(Path.GetFullPath(preload));
            }

            startInfo.ArgumentList.Add(mainScript);
            foreach (string argument in BuildArguments())
            {
                startInfo.ArgumentList.Add(argument);
            }

            // Only the well-known account, whatever the caller's environment says.
            startInfo.Environment.Remove("AZURITE_ACCOUNTS");
            startInfo.Environment.Remove("NODE_OPTIONS");

            process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
            process.OutputDataReceived += (_, e) => OnOutput(e.Data, isError: false);
            process.ErrorDataReceived += (_, e) => OnOutput(e.Data, isError: true);

            Stopwatch clock = Stopwatch.StartNew();
            try
            {
                process.Start();
            }
            catch (Win32Exception e)
            {
                throw new AzuriteStartException(
                    $"Cannot start Azurite: node could not be started ({e.Message}). Install Node.js and put it on PATH.", e);
            }

            ProcessId = process.Id;
            AppDomain.CurrentDomain.ProcessExit += processExitHandler;
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();

            TimeSpan timeout = Options.StartTimeout;
            Uri listeningAt = WaitForListening(clock, timeout);
            Port = listeningAt.Port;
            BlobEndpoint = new Uri($"{listeningAt.Scheme}://127.0.0.1:{Port}/{WellKnownAccountName}");
            WaitForHttp(clock, timeout);
        }

        private IEnumerable<string> BuildArguments()
        {
            var arguments = new List<string>
            {
                "--blobHost", "127.0.0.1",
                "--blobPort", Options.Port.ToString(CultureInfo.InvariantCulture),
                "--inMemoryPersistence",
                "--disableTelemetry",
                "--skipApiVersionCheck",
                "--loose",
            };

            if (Options.Silent)
            {
                arguments.Add("--silent");
            }

            if (DebugLogPath != null)
            {
                arguments.Add("--debug");
                arguments.Add(DebugLogPath);
            }

            if (Options.Https)
            {
                var certificate = Options.ServerCertificate ?? TestCertificates.CreateLoopbackServerCertificate(tempFolder);
                Certificate = certificate.Certificate;
                CertificatePath = certificate.CertificatePemPath;
                arguments.Add("--cert");
                arguments.Add(certificate.CertificatePemPath);
                arguments.Add("--key");
                arguments.Add(certificate.KeyPemPath);
                if (Options.OAuth)
                {
                    arguments.Add("--oauth");
                    arguments.Add("basic");
                }
            }

            return arguments;
        }

        private Uri WaitForListening(Stopwatch clock, TimeSpan timeout)
        {
            while (true)
            {
                if (listening.Task.Wait(100))
                {
                    return listening.Task.Result;
                }

                if (process.HasExited)
                {
                    process.WaitForExit();
                    // The line may have come in with the last of the output.
                    if (listening.Task.IsCompleted)
                    {
                        return listening.Task.Result;
                    }

                    throw Failure($"Azurite exited with code {process.ExitCode} before it listened.");
                }

                if (clock.Elapsed > timeout)
                {
                    throw Failure($"Azurite did not report that it listens within {timeout.TotalSeconds:0} s.");
                }
            }
        }

        private void WaitForHttp(Stopwatch clock, TimeSpan timeout)
        {
            var probe = new Uri(BlobEndpoint + "?comp=list");
            using var client = new HttpClient(CreateHttpHandler()) { Timeout = TimeSpan.FromSeconds(5) };
            string lastError = null;
            while (true)
            {
                try
                {
                    // Any HTTP answer (403 without credentials) proves the service is up.
                    using HttpResponseMessage response = client.GetAsync(probe).GetAwaiter().GetResult();
                    return;
                }
                catch (Exception e) when (e is HttpRequestException || e is TaskCanceledException)
                {
                    lastError = e.GetBaseException().Message;
                }

                if (process.HasExited)
                {
                    process.WaitForExit();
                    throw Failure($"Azurite exited with code {process.ExitCode} right after it started listening.");
                }

                if (clock.Elapsed > timeout)
                {
                    throw Failure($"Azurite listens on {BlobEndpoint} but did not answer HTTP within {timeout.TotalSeconds:0} s (last error: {lastError}).");
                }

                Thread.Sleep(100);
            }
        }

        private AzuriteStartException Failure(string reason)
        {
            KillProcess();
            try
            {
                process.WaitForExit(5000);
            }
            catch (InvalidOperationException)
            {
            }

            string output;
            lock (logLock)
            {
                output = tail.Count == 0 ? "(no output)" : string.Join(Environment.NewLine, tail);
            }

            return new AzuriteStartException(
                $"{reason} Command: node {string.Join(" ", process.StartInfo.ArgumentList)}" + Environment.NewLine +
                "Azurite output (last lines):" + Environment.NewLine + output);
        }

        private void OnOutput(string line, bool isError)
        {
            if (line == null)
            {
                return;
            }

            Match match = ListeningLine.Match(line);
            if (match.Success && Uri.TryCreate(match.Groups[1].Value.TrimEnd('.', '/'), UriKind.Absolute, out Uri uri))
            {
                listening.TrySetResult(uri);
            }

            string text = isError ? "[stderr] " + line : line;
            lock (logLock)
            {
                logWriter?.WriteLine(text);
                tail.Enqueue(text);
                while (tail.Count > TailLines)
                {
                    tail.Dequeue();
                }
            }
        }

        private void KillProcess()
        {
            try
            {
                Process p = process;
                if (p != null && !p.HasExited)
                {
                    p.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
                // Never started or already gone.
            }
            catch (Win32Exception)
            {
                // Exiting by itself as we asked.
            }
        }

        private static string Base64Url(byte[] bytes) =>
            Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

        /// <summary>Deletes the temporary folders of servers whose launching process died without cleaning up.</summary>
        private static void DeleteAbandonedFolders()
        {
            try
            {
                foreach (string folder in Directory.EnumerateDirectories(Path.GetTempPath(), TempFolderPrefix + "*"))
                {
                    string[] parts = Path.GetFileName(folder).Substring(TempFolderPrefix.Length).Split('-');
                    if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int owner) &&
                        owner != Environment.ProcessId && !IsRunning(owner))
                    {
                        DeleteFolder(folder);
                    }
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        private static bool IsRunning(int processId)
        {
            try
            {
                using Process p = Process.GetProcessById(processId);
                return !p.HasExited;
            }
            catch (ArgumentException)
            {
                return false;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }

        private static void DeleteFolder(string folder)
        {
            for (int attempt = 0; attempt < 5; attempt++)
            {
                try
                {
                    if (Directory.Exists(folder))
                    {
                        Directory.Delete(folder, recursive: true);
                    }

                    return;
                }
                catch (IOException)
                {
                    Thread.Sleep(100 * (attempt + 1));
                }
                catch (UnauthorizedAccessException)
                {
                    Thread.Sleep(100 * (attempt + 1));
                }
            }
        }
    }
}
