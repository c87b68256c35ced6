using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace AzBatchOutput.Module.Tests.Faults
{
    /// <summary>The start line and headers of one HTTP/1.1 request or response, in their original order.</summary>
    public sealed class HttpHead
    {
        public HttpHead(string startLine, List<KeyValuePair<string, string>> headers)
        {
            StartLine = startLine;
            Headers = headers;
        }

        public string StartLine { get; }

        public List<KeyValuePair<string, string>> Headers { get; }

        /// <summary>For a request: the method; for a response: "HTTP/1.1".</summary>
        public string First => StartLine.Split(' ')[0];

        /// <summary>For a request: the target (path and query).</summary>
        public string Target => StartLine.Split(' ')[1];

        /// <summary>For a response: the status code.</summary>
        public int Status => int.Parse(StartLine.Split(' ')[1], CultureInfo.InvariantCulture);

        public string Get(string name)
        {
            foreach (var header in Headers)
            {
                if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
                {
                    return header.Value;
                }
            }

            return null;
        }

        public void Remove(string name) => Headers.RemoveAll(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase));

        public void Set(string name, string value)
        {
            Remove(name);
            Headers.Add(new KeyValuePair<string, string>(name, value));
        }

        public bool Has(string name, string token) =>
            Get(name)?.IndexOf(token, StringComparison.OrdinalIgnoreCase) >= 0;

        public byte[] ToBytes()
        {
            var text = new StringBuilder(StartLine).Append("\r\n");
            foreach (var header in Headers)
            {
                text.Append(header.Key).Append(": ").Append(header.Value).Append("\r\n");
            }

            return Encoding.ASCII.GetBytes(text.Append("\r\n").ToString());
        }
    }

    /// <summary>
    /// Reads HTTP/1.1 messages off a connection: heads line by line, bodies by Content-Length, chunked framing
    /// (decoded) or, for a response without either, to the end of the connection. Enough for a test proxy.
    /// </summary>
    public sealed class HttpWireReader
    {
        private const int MaxHeadBytes = 64 * 1024;
        private readonly Stream _stream;
        private readonly byte[] _buffer = new byte[64 * 1024];
        private int _start;
        private int _end;

        public HttpWireReader(Stream stream) => _stream = stream;

        /// <summary>The next message's head, or null when the peer closed the connection before sending one.</summary>
        public async Task<HttpHead> ReadHeadAsync(CancellationToken ct)
        {
            string startLine;
            do
            {
                startLine = await ReadLineAsync(ct, allowEnd: true).ConfigureAwait(false);
                if (startLine == null)
                {
                    return null;
                }
            }
            while (startLine.Length == 0); // tolerate stray blank lines between messages

            var headers = new List<KeyValuePair<string, string>>();
            var total = startLine.Length;
            while (true)
            {
                var line = await ReadLineAsync(ct, allowEnd: false).ConfigureAwait(false);
                if (line.Length == 0)
                {
                    return new HttpHead(startLine, headers);
                }

                total += line.Length;
                if (total > MaxHeadBytes)
                {
                    throw new InvalidDataException("HTTP head too long.");
                }

                var colon = line.IndexOf(':');
                if (colon <= 0)
                {
                    throw new InvalidDataException($"Malformed header line '{line}'.");
                }

                headers.Add(new KeyValuePair<string, string>(line.Substring(0, colon).Trim(), line.Substring(colon + 1).Trim()));
            }
        }

        /// <summary>The body that follows <paramref name="head"/>; chunked bodies come back decoded.</summary>
        public async Task<byte[]> ReadBodyAsync(HttpHead head, bool isResponse, string requestMethod, CancellationToken ct)
        {
            if (isResponse)
            {
                var status = head.Status;
                if (string.Equals(requestMethod, "HEAD", StringComparison.OrdinalIgnoreCase) || status == 204 || status == 304 || status < 200)
                {
                    return Array.Empty<byte>();
                }
            }

            if (head.Has("Transfer-Encoding", "chunked"))
            {
                return await ReadChunkedAsync(ct).ConfigureAwait(false);
            }

            var length = head.Get("Content-Length");
            if (length != null)
            {
                return await ReadExactlyAsync(long.Parse(length, CultureInfo.InvariantCulture), ct).ConfigureAwait(false);
            }

            return isResponse ? await ReadToEndAsync(ct).ConfigureAwait(false) : Array.Empty<byte>();
        }

        private async Task<byte[]> ReadChunkedAsync(CancellationToken ct)
        {
            using var body = new MemoryStream();
            while (true)
            {
                var sizeLine = await ReadLineAsync(ct, allowEnd: false).ConfigureAwait(false);
                var semicolon = sizeLine.IndexOf(';');
                var size = long.Parse(semicolon < 0 ? sizeLine : sizeLine.Substring(0, semicolon), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                if (size == 0)
                {
                    // Trailers, then the blank line that ends the message.
                    while ((await ReadLineAsync(ct, allowEnd: false).ConfigureAwait(false)).Length > 0)
                    {
                    }

                    return body.ToArray();
                }

                var chunk = await ReadExactlyAsync(size, ct).ConfigureAwait(false);
                body.Write(chunk, 0, chunk.Length);
                await ReadLineAsync(ct, allowEnd: false).ConfigureAwait(false);
            }
        }

        private async Task<byte[]> ReadExactlyAsync(long count, CancellationToken ct)
        {
            var result = new byte[count];
            var filled = 0;
            while (filled < count)
            {
                if (_start == _end && !await FillAsync(ct).ConfigureAwait(false))
                {
                    throw new EndOfStreamException($"Connection closed after {filled} of {count} body bytes.");
                }

                var take = (int)Math.Min(count - filled, _end - _start);
                Buffer.BlockCopy(_buffer, _start, result, filled, take);
                _start += take;
                filled += take;
            }

            return result;
        }

        private async Task<byte[]> ReadToEndAsync(CancellationToken ct)
        {
            using var body = new MemoryStream();
            do
            {
                body.Write(_buffer, _start, _end - _start);
                _start = _end;
            }
            while (await FillAsync(ct).ConfigureAwait(false));

            return body.ToArray();
        }

        private async Task<string> ReadLineAsync(CancellationToken ct, bool allowEnd)
        {
            var line = new StringBuilder();
            while (true)
            {
                if (_start == _end && !await FillAsync(ct).ConfigureAwait(false))
                {
                    if (allowEnd && line.Length == 0)
                    {
                        return null;
                    }

                    throw new EndOfStreamException("Connection closed in the middle of an HTTP head.");
                }

                var b = _buffer[_start++];
                if (b == '\n')
                {
                    if (line.Length > 0 && line[line.Length - 1] == '\r')
                    {
                        line.Length--;
                    }

                    return line.ToString();
                }

                line.Append((char)b);
                if (line.Length > MaxHeadBytes)
                {
                    throw new InvalidDataException("HTTP line too long.");
                }
            }
        }

        private async Task<bool> FillAsync(CancellationToken ct)
        {
            _start = 0;
            _end = await _stream.ReadAsync(_buffer.AsMemory(), ct).ConfigureAwait(false);
            return _end > 0;
        }
    }
}
