using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using System.Threading.Tasks;

namespace AzBatchOutput.Storage
{
    /// <summary>
    /// Passes reads or writes through to another stream and computes the MD5 of the bytes that went by, so a whole
    /// file's checksum costs no second pass over it. The SDK reads an upload and writes a download strictly in order;
    /// should anything seek elsewhere, there is no whole-content hash and <see cref="GetHashAsync"/> says so with null.
    /// The inner stream stays open: its owner disposes it.
    /// <para>
    /// For a large file the hashing runs on its own thread, a few buffers behind: the SDK copies a download's ranges
    /// to the file on one flow, and an MD5 of ~0.7 GB/s computed on that flow held the whole transfer to its pace
    /// (1 GiB: 5.9 s instead of about 3; benchmark case c, 2026-11-24: commit a13b7db).
    /// </para>
    /// </summary>
    internal sealed class Md5PassThroughStream : Stream
    {
        // 16 copies of the SDK's 128 KiB reads or writes: 2 MiB at most waiting for the hash thread, which takes
        // ~0.2 ms for each, so the queue only has to absorb the moments it is not scheduled.
        private const int MaxPendingBuffers = 16;

        private readonly Stream _inner;
        private readonly MD5 _md5 = MD5.Create();
        private readonly BlockingCollection<(byte[] Buffer, int Count)> _pending;
        private readonly Task _hasher;
        private byte[] _hash;
        private volatile bool _unusable;

        public Md5PassThroughStream(Stream inner, bool hashInBackground)
        {
            _inner = inner;
            if (hashInBackground)
            {
                _pending = new BlockingCollection<(byte[], int)>(MaxPendingBuffers);
                _hasher = Task.Factory.StartNew(HashPending, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            }
        }

        /// <summary>How many bytes went by: for an upload, compare with the length sent before trusting the hash.</summary>
        public long BytesPassed { get; private set; }

        public override bool CanRead => _inner.CanRead;

        public override bool CanSeek => _inner.CanSeek;

        public override bool CanWrite => _inner.CanWrite;

        public override long Length => _inner.Length;

        public override long Position
        {
            get => _inner.Position;
            set => Seek(value, SeekOrigin.Begin);
        }

        /// <summary>The MD5 of everything passed through, or null when there is none to trust (bytes out of order). Ends the hashing.</summary>
        public async Task<byte[]> GetHashAsync()
        {
            if (_hash == null)
            {
                if (_pending != null)
                {
                    _pending.CompleteAdding();
                    await _hasher.ConfigureAwait(false);
                }

                _md5.TransformFinalBlock(Array.Empty<byte>(), 0, 0);
                _hash = _md5.Hash;
            }

            return _unusable ? null : _hash;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var read = _inner.Read(buffer, offset, count);
            Hash(buffer, offset, read);
            return read;
        }

        public override async Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            var read = await _inner.ReadAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
            Hash(buffer, offset, read);
            return read;
        }

        public override void Write(byte[] buffer, int offset, int count)
        {
            _inner.Write(buffer, offset, count);
            Hash(buffer, offset, count);
        }

        public override async Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken)
        {
            await _inner.WriteAsync(buffer, offset, count, cancellationToken).ConfigureAwait(false);
            Hash(buffer, offset, count);
        }

        public override long Seek(long offset, SeekOrigin origin)
        {
            var before = _inner.Position;
            var after = _inner.Seek(offset, origin);
            _unusable |= after != before;
            return after;
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Flush() => _inner.Flush();

        public override Task FlushAsync(CancellationToken cancellationToken) => _inner.FlushAsync(cancellationToken);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                if (_pending != null)
                {
                    // Abandoned mid-transfer: let the hash thread finish what it holds (returning the buffers), then stop.
                    _pending.CompleteAdding();
                    _hasher.Wait();
                    _pending.Dispose();
                }

                _md5.Dispose();
            }

            base.Dispose(disposing);
        }

        private void Hash(byte[] buffer, int offset, int count)
        {
            if (count <= 0 || _hash != null)
            {
                return;
            }

            BytesPassed += count;
            if (_pending == null)
            {
                _md5.TransformBlock(buffer, offset, count, null, 0);
                return;
            }

            // The caller reuses its buffer as soon as this returns: the hash thread gets a copy.
            var copy = ArrayPool<byte>.Shared.Rent(count);
            Buffer.BlockCopy(buffer, offset, copy, 0, count);
            _pending.Add((copy, count));
        }

        private void HashPending()
        {
            foreach (var (buffer, count) in _pending.GetConsumingEnumerable())
            {
                try
                {
                    if (!_unusable)
                    {
                        _md5.TransformBlock(buffer, 0, count, null, 0);
                    }
                }
                catch (CryptographicException)
                {
                    // Keep taking buffers so the writer never blocks on a full queue; no hash means the file is
                    // fetched again with every range checked.
                    _unusable = true;
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }
        }
    }
}
