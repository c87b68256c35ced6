using System;
using System.IO;

namespace AzBatchOutput.Storage
{
    /// <summary>
    /// The first <see cref="Length"/> bytes of a readable, seekable stream: a file saved while something still writes it
    /// is saved as it was when opened, so the blob and the reported length agree. A file that got shorter meanwhile fails
    /// the read (<see cref="Shrank"/> is then true) rather than being saved short.
    /// </summary>
    internal sealed class LengthLimitedStream : Stream
    {
        private readonly Stream _inner;
        private readonly long _length;

        public LengthLimitedStream(Stream inner, long length)
        {
            _inner = inner;
            _length = length;
        }

        /// <summary>True once a read found fewer bytes than <see cref="Length"/>.</summary>
        public bool Shrank { get; private set; }

        public override bool CanRead => true;

        public override bool CanSeek => _inner.CanSeek;

        public override bool CanWrite => false;

        public override long Length => _length;

        public override long Position
        {
            get => _inner.Position;
            set => _inner.Position = value;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            var remaining = _length - _inner.Position;
            if (remaining <= 0)
            {
                return 0;
            }

            var read = _inner.Read(buffer, offset, (int)Math.Min(count, remaining));
            if (read == 0)
            {
                Shrank = true;
                throw new IOException($"The file got shorter while it was read: {_inner.Position:N0} of {_length:N0} bytes were there.");
            }

            return read;
        }

        public override long Seek(long offset, SeekOrigin origin) =>
            origin == SeekOrigin.End ? _inner.Seek(_length + offset, SeekOrigin.Begin) : _inner.Seek(offset, origin);

        public override void Flush()
        {
        }

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
