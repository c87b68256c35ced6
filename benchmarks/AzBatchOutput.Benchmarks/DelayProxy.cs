using System;
using System.Buffers;
using System.Collections.Generic;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;

namespace AzBatchOutput.Benchmarks
{
    /// <summary>
    /// A TCP forwarder on 127.0.0.1 in front of one loopback server, as a storage account a few ms away: every byte
    /// a client sends reaches the server <see cref="Delay"/> later (a delay line, not a per-byte throttle: chunks keep
    /// their order and their spacing), so each HTTP request, and each block of a large upload, starts that much later
    /// and every request/response round trip takes that much longer. Responses come back undelayed. It also counts
    /// the bytes each way, which is how the tracked-log case measures what was uploaded.
    /// Connections it accepts are connected onward at once (a real network would add a round trip there too).
    /// </summary>
    internal sealed class DelayProxy : IDisposable
    {
        private const int ChunkSize = 64 * 1024;
        private const int QueuedChunksPerConnection = 256; // at most 16 MiB in flight per connection, then back-pressure

        private readonly TcpListener _listener;
        private readonly IPEndPoint _upstream;
        private readonly CancellationTokenSource _stop = new CancellationTokenSource();
        private readonly long _delayTicks;
        private readonly List<Socket> _open = new List<Socket>();
        private readonly Task _acceptLoop;
        private long _bytesUp;
        private long _bytesDown;
        private long _connections;

        public DelayProxy(int upstreamPort, TimeSpan delay)
        {
            _upstream = new IPEndPoint(IPAddress.Loopback, upstreamPort);
            Delay = delay;
            _delayTicks = (long)(delay.TotalSeconds * Stopwatch.Frequency);
            _listener = new TcpListener(IPAddress.Loopback, 0);
            _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            _listener.Start(1024);
            Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _acceptLoop = Task.Run(AcceptLoopAsync);
        }

        public int Port { get; }

        public TimeSpan Delay { get; }

        /// <summary>Bytes forwarded from clients to the server (request lines, headers and bodies).</summary>
        public long BytesUp => Interlocked.Read(ref _bytesUp);

        /// <summary>Bytes forwarded from the server to clients.</summary>
        public long BytesDown => Interlocked.Read(ref _bytesDown);

        public long Connections => Interlocked.Read(ref _connections);

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            lock (_open)
            {
                foreach (var socket in _open)
                {
                    try
                    {
                        socket.Dispose();
                    }
                    catch (ObjectDisposedException)
                    {
                    }
                }

                _open.Clear();
            }

            try
            {
                _acceptLoop.Wait(2000);
            }
            catch (AggregateException)
            {
            }
        }

        private async Task AcceptLoopAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket client;
                try
                {
                    client = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
                }
                catch (Exception) when (_stop.IsCancellationRequested)
                {
                    return;
                }
                catch (SocketException)
                {
                    continue;
                }

                Interlocked.Increment(ref _connections);
                _ = Task.Run(() => ServeAsync(client));
            }
        }

        private async Task ServeAsync(Socket client)
        {
            var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            client.NoDelay = true;
            server.NoDelay = true;
            Track(client, server);
            try
            {
                await server.ConnectAsync(_upstream, _stop.Token).ConfigureAwait(false);
                var up = DelayedCopyAsync(client, server);
                var down = CopyAsync(server, client);
                await Task.WhenAll(up, down).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // A reset or a stop ends this connection; the client sees it as the server would have closed it.
            }
            finally
            {
                Untrack(client, server);
                client.Dispose();
                server.Dispose();
            }
        }

        private async Task DelayedCopyAsync(Socket from, Socket to)
        {
            var line = Channel.CreateBounded<(byte[] Buffer, int Length, long Due)>(new BoundedChannelOptions(QueuedChunksPerConnection)
            {
                SingleReader = true,
                SingleWriter = true,
            });

            var reader = Task.Run(async () =>
            {
                try
                {
                    while (true)
                    {
                        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
                        int read;
                        try
                        {
                            read = await from.ReceiveAsync(buffer.AsMemory(0, ChunkSize), SocketFlags.None, _stop.Token).ConfigureAwait(false);
                        }
                        catch
                        {
                            ArrayPool<byte>.Shared.Return(buffer);
                            throw;
                        }

                        if (read == 0)
                        {
                            ArrayPool<byte>.Shared.Return(buffer);
                            break;
                        }

                        await line.Writer.WriteAsync((buffer, read, Stopwatch.GetTimestamp() + _delayTicks), _stop.Token).ConfigureAwait(false);
                    }

                    line.Writer.TryComplete();
                }
                catch (Exception ex)
                {
                    line.Writer.TryComplete(ex);
                }
            });

            try
            {
                await foreach (var (buffer, length, due) in line.Reader.ReadAllAsync(_stop.Token).ConfigureAwait(false))
                {
                    try
                    {
                        await WaitUntilAsync(due).ConfigureAwait(false);
                        var sent = 0;
                        while (sent < length)
                        {
                            sent += await to.SendAsync(buffer.AsMemory(sent, length - sent), SocketFlags.None, _stop.Token).ConfigureAwait(false);
                        }

                        Interlocked.Add(ref _bytesUp, length);
                    }
                    finally
                    {
                        ArrayPool<byte>.Shared.Return(buffer);
                    }
                }

                to.Shutdown(SocketShutdown.Send);
            }
            finally
            {
                await reader.ConfigureAwait(false);
            }
        }

        private async Task CopyAsync(Socket from, Socket to)
        {
            var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
            try
            {
                while (true)
                {
                    var read = await from.ReceiveAsync(buffer.AsMemory(0, ChunkSize), SocketFlags.None, _stop.Token).ConfigureAwait(false);
                    if (read == 0)
                    {
                        to.Shutdown(SocketShutdown.Send);
                        return;
                    }

                    var sent = 0;
                    while (sent < read)
                    {
                        sent += await to.SendAsync(buffer.AsMemory(sent, read - sent), SocketFlags.None, _stop.Token).ConfigureAwait(false);
                    }

                    Interlocked.Add(ref _bytesDown, read);
                }
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }

        private async Task WaitUntilAsync(long due)
        {
            // Timers have millisecond resolution and fire up to ~1 ms late; the proxy measures what it really adds
            // (ProbeAddedLatency) rather than spin, which would take CPU from Azurite on a two-core machine.
            while (true)
            {
                var remaining = due - Stopwatch.GetTimestamp();
                if (remaining <= 0)
                {
                    return;
                }

                var ms = (int)Math.Ceiling(remaining * 1000.0 / Stopwatch.Frequency);
                await Task.Delay(Math.Max(1, ms), _stop.Token).ConfigureAwait(false);
            }
        }

        private void Track(Socket a, Socket b)
        {
            lock (_open)
            {
                _open.Add(a);
                _open.Add(b);
            }
        }

        private void Untrack(Socket a, Socket b)
        {
            lock (_open)
            {
                _open.Remove(a);
                _open.Remove(b);
            }
        }
    }
}
