using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace AzBatchOutput.Module.Tests.Faults
{
    /// <summary>
    /// An HTTP/1.1 forwarder on 127.0.0.1 between the module and Azurite that injects faults by a <see cref="FaultPlan"/>:
    /// connection resets, stalls, 500 and 503 answers, flipped body bytes and truncated downloads. Each client
    /// connection gets its own upstream connection; keep-alive is honoured. Shared-key signatures cover the path, not
    /// the host, so a context whose blob endpoint is <see cref="BlobEndpoint"/> authenticates as it would directly.
    /// </summary>
    public sealed class FaultProxy : IDisposable
    {
        private readonly TcpListener _listener;
        private readonly IPEndPoint _upstream;
        private readonly CancellationTokenSource _stopping = new CancellationTokenSource();
        private readonly ConcurrentDictionary<FaultKind, int> _faults = new ConcurrentDictionary<FaultKind, int>();
        private readonly ConcurrentDictionary<string, byte> _operations = new ConcurrentDictionary<string, byte>();
        private readonly ConcurrentQueue<ProxiedRequest> _requests = new ConcurrentQueue<ProxiedRequest>();
        private readonly ConcurrentDictionary<Task, byte> _connections = new ConcurrentDictionary<Task, byte>();
        private readonly Task _accepting;
        private FaultPlan _plan;
        private int _seen;

        public FaultProxy(Uri upstreamBlobEndpoint, FaultPlan plan)
        {
            Plan = plan;
            _upstream = new IPEndPoint(IPAddress.Loopback, upstreamBlobEndpoint.Port);
            AccountPath = upstreamBlobEndpoint.AbsolutePath.TrimEnd('/');
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Start();
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _accepting = Task.Run(AcceptLoopAsync);
        }

        /// <summary>The plan for requests that arrive from now on; may be replaced between a test's steps.</summary>
        public FaultPlan Plan
        {
            get => Volatile.Read(ref _plan);
            set => Volatile.Write(ref _plan, value ?? throw new ArgumentNullException(nameof(value)));
        }

        public int Port { get; }

        /// <summary>"/devstoreaccount1": Azurite's path-style account segment, kept on the proxy's endpoint.</summary>
        public string AccountPath { get; }

        /// <summary>The blob endpoint to give the module: http://127.0.0.1:PORT/devstoreaccount1.</summary>
        public Uri BlobEndpoint => new Uri($"http://127.0.0.1:{Port}{AccountPath}");

        /// <summary>Every request that reached the proxy, in arrival order.</summary>
        public IReadOnlyList<ProxiedRequest> Requests => _requests.ToArray();

        public int RequestsSeen => Volatile.Read(ref _seen);

        /// <summary>Distinct x-ms-client-request-id values: the SDK keeps one id across the retries of an operation.</summary>
        public int DistinctOperations => _operations.Count;

        public int Retries => RequestsSeen - DistinctOperations;

        public IReadOnlyDictionary<FaultKind, int> FaultsByKind => FaultPlan.AllKinds.ToDictionary(k => k, k => _faults.TryGetValue(k, out var n) ? n : 0);

        public int FaultsTotal => _faults.Values.Sum();

        /// <summary>One line of figures for a test's output.</summary>
        public string Describe() =>
            $"requests seen {RequestsSeen}, distinct operations {DistinctOperations}, retries {Retries}, faulted {FaultsTotal} (" +
            string.Join(", ", FaultsByKind.Select(p => $"{p.Key} {p.Value}")) + ")";

        public void Dispose()
        {
            _stopping.Cancel();
            _listener.Stop();
            try
            {
                Task.WaitAll(_connections.Keys.Append(_accepting).ToArray(), TimeSpan.FromSeconds(5));
            }
            catch (AggregateException)
            {
            }

            _stopping.Dispose();
        }

        private async Task AcceptLoopAsync()
        {
            while (!_stopping.IsCancellationRequested)
            {
                Socket client;
                try
                {
                    client = await _listener.AcceptSocketAsync(_stopping.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is OperationCanceledException || ex is SocketException || ex is ObjectDisposedException)
                {
                    return;
                }

                client.NoDelay = true;
                var task = Task.Run(() => ServeAsync(client));
                _connections.TryAdd(task, 0);
                _ = task.ContinueWith(t => _connections.TryRemove(t, out _), TaskScheduler.Default);
            }
        }

        private async Task ServeAsync(Socket client)
        {
            var ct = _stopping.Token;
            Socket upstream = null;
            HttpWireReader upstreamReader = null;
            var clientStream = new NetworkStream(client, ownsSocket: false);
            var clientReader = new HttpWireReader(clientStream);
            try
            {
                while (!ct.IsCancellationRequested)
                {
                    var head = await clientReader.ReadHeadAsync(ct).ConfigureAwait(false);
                    if (head == null)
                    {
                        return;
                    }

                    var body = await clientReader.ReadBodyAsync(head, isResponse: false, requestMethod: head.First, ct).ConfigureAwait(false);
                    head.Remove("Expect"); // the whole body is already here
                    if (head.Has("Transfer-Encoding", "chunked"))
                    {
                        head.Remove("Transfer-Encoding");
                        head.Set("Content-Length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    }

                    var request = new ProxiedRequest(head, body.Length);
                    _requests.Enqueue(request);
                    Interlocked.Increment(ref _seen);
                    _operations.TryAdd(request.ClientRequestId ?? Guid.NewGuid().ToString(), 0);

                    var plan = Plan;
                    var fault = plan.Decide(request);
                    if (fault != FaultKind.None)
                    {
                        _faults.AddOrUpdate(fault, 1, (_, n) => n + 1);
                    }

                    switch (fault)
                    {
                        case FaultKind.Reset when plan.Next(2) == 0:
                            Reset(client);
                            return;
                        case FaultKind.Stall:
                            try
                            {
                                await Task.Delay(plan.StallTime, ct).ConfigureAwait(false);
                            }
                            catch (OperationCanceledException)
                            {
                            }

                            Reset(client);
                            return;
                        case FaultKind.Status500:
                            await WriteErrorAsync(clientStream, 500, "Internal Server Error", "InternalError", ct).ConfigureAwait(false);
                            continue;
                        case FaultKind.Status503:
                            await WriteErrorAsync(clientStream, 503, "Service Unavailable", "ServerBusy", ct).ConfigureAwait(false);
                            continue;
                        case FaultKind.FlipRequestByte when body.Length > 0:
                            body[plan.Next(body.Length)] ^= 0x20;
                            break;
                    }

                    if (upstream == null)
                    {
                        upstream = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                        await upstream.ConnectAsync(_upstream, ct).ConfigureAwait(false);
                        upstreamReader = new HttpWireReader(new NetworkStream(upstream, ownsSocket: false));
                    }

                    var upstreamStream = new NetworkStream(upstream, ownsSocket: false);
                    await upstreamStream.WriteAsync(Concat(head.ToBytes(), body), ct).ConfigureAwait(false);
                    HttpHead responseHead;
                    do
                    {
                        responseHead = await upstreamReader.ReadHeadAsync(ct).ConfigureAwait(false)
                            ?? throw new IOException("The server closed the connection without answering.");
                    }
                    while (responseHead.Status >= 100 && responseHead.Status < 200);

                    var responseBody = await upstreamReader.ReadBodyAsync(responseHead, isResponse: true, requestMethod: request.Method, ct).ConfigureAwait(false);
                    var bodyless = request.Method == "HEAD" || responseHead.Status == 204 || responseHead.Status == 304;
                    var readToEnd = !bodyless && responseHead.Get("Content-Length") == null && !responseHead.Has("Transfer-Encoding", "chunked");
                    var upstreamCloses = readToEnd || responseHead.Has("Connection", "close");
                    if (!bodyless && (readToEnd || responseHead.Has("Transfer-Encoding", "chunked")))
                    {
                        // The body was read whole: send it with a length, so the client's connection stays usable.
                        responseHead.Remove("Transfer-Encoding");
                        responseHead.Remove("Connection");
                        responseHead.Set("Content-Length", responseBody.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
                    }

                    var success = responseHead.Status >= 200 && responseHead.Status < 300;
                    switch (fault)
                    {
                        case FaultKind.Reset:
                            // Applied by the server, but the client never hears of it.
                            Reset(client);
                            return;
                        case FaultKind.FlipResponseByte when success && responseBody.Length > 0:
                            responseBody[plan.Next(responseBody.Length)] ^= 0x01;
                            break;
                        case FaultKind.Truncate when success && responseBody.Length > 1:
                            await clientStream.WriteAsync(Concat(responseHead.ToBytes(), responseBody.AsSpan(0, responseBody.Length / 2).ToArray()), ct).ConfigureAwait(false);
                            await clientStream.FlushAsync(ct).ConfigureAwait(false);
                            Reset(client);
                            return;
                    }

                    await clientStream.WriteAsync(Concat(responseHead.ToBytes(), responseBody), ct).ConfigureAwait(false);
                    if (upstreamCloses)
                    {
                        // The server ends this connection: start a new one for the client's next request.
                        CloseQuietly(upstream);
                        upstream = null;
                    }

                    if (head.Has("Connection", "close"))
                    {
                        return;
                    }
                }
            }
            catch (Exception ex) when (ex is IOException || ex is SocketException || ex is OperationCanceledException ||
                                       ex is ObjectDisposedException || ex is InvalidDataException || ex is FormatException)
            {
                // The client went away (often on purpose: it timed out a stall) or the proxy is stopping.
            }
            finally
            {
                CloseQuietly(client);
                CloseQuietly(upstream);
            }
        }

        private static async Task WriteErrorAsync(Stream stream, int status, string reason, string code, CancellationToken ct)
        {
            var body = Encoding.UTF8.GetBytes($"<?xml version=\"1.0\" encoding=\"utf-8\"?><Error><Code>{code}</Code><Message>Injected by the test proxy.</Message></Error>");
            var head = new HttpHead($"HTTP/1.1 {status} {reason}", new List<KeyValuePair<string, string>>
            {
                new KeyValuePair<string, string>("Content-Type", "application/xml"),
                new KeyValuePair<string, string>("Content-Length", body.Length.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new KeyValuePair<string, string>("x-ms-error-code", code),
                new KeyValuePair<string, string>("x-ms-request-id", Guid.NewGuid().ToString()),
            });
            await stream.WriteAsync(Concat(head.ToBytes(), body), ct).ConfigureAwait(false);
        }

        private static byte[] Concat(byte[] head, byte[] body)
        {
            var all = new byte[head.Length + body.Length];
            Buffer.BlockCopy(head, 0, all, 0, head.Length);
            Buffer.BlockCopy(body, 0, all, head.Length, body.Length);
            return all;
        }

        private static void Reset(Socket socket)
        {
            try
            {
                socket.LingerState = new LingerOption(true, 0);
                socket.Close();
            }
            catch (Exception ex) when (ex is SocketException || ex is ObjectDisposedException)
            {
            }
        }

        private static void CloseQuietly(Socket socket)
        {
            try
            {
                socket?.Dispose();
            }
            catch (Exception ex) when (ex is SocketException || ex is ObjectDisposedException)
            {
            }
        }
    }
}
