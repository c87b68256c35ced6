using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;

namespace AzBatchOutput.Tracking
{
    /// <summary>
    /// The first and the last few KiB of what a tracker has sent. Each flush compares them with the file at the same
    /// places: a file that was truncated and written again, replaced by a new file of the same name (log rotation, a
    /// re-run writing afresh) or rewritten in place no longer matches, and the tracker starts the blob again instead of
    /// appending new bytes onto old ones or stalling.
    /// </summary>
    internal sealed class SentFingerprint
    {
        private readonly int _size;
        private readonly byte[] _head;
        private readonly byte[] _tail;
        private int _headLength;
        private int _tailLength;

        public SentFingerprint(int size)
        {
            _size = size;
            _head = new byte[size];
            _tail = new byte[size];
        }

        /// <summary>How many bytes have been sent in all (the blob's length).</summary>
        public long Sent { get; private set; }

        public void Reset()
        {
            _headLength = 0;
            _tailLength = 0;
            Sent = 0;
        }

        /// <summary>Records bytes that are now in the blob, right after those recorded before.</summary>
        public void Add(byte[] buffer, int count)
        {
            if (_headLength < _size)
            {
                var take = Math.Min(_size - _headLength, count);
                Buffer.BlockCopy(buffer, 0, _head, _headLength, take);
                _headLength += take;
            }

            if (count >= _size)
            {
                Buffer.BlockCopy(buffer, count - _size, _tail, 0, _size);
                _tailLength = _size;
            }
            else
            {
                // Keep the newest _size bytes of (old tail + new bytes).
                var keep = Math.Min(_tailLength, _size - count);
                Buffer.BlockCopy(_tail, _tailLength - keep, _tail, 0, keep);
                Buffer.BlockCopy(buffer, 0, _tail, keep, count);
                _tailLength = keep + count;
            }

            Sent += count;
        }

        /// <summary>
        /// Why the file is no longer the one whose bytes were sent (a sentence for a warning), or null when its first and
        /// last sent bytes are still where they were.
        /// </summary>
        public async Task<string> FindMismatchAsync(Stream file, long fileLength, CancellationToken cancellationToken)
        {
            if (Sent == 0)
            {
                return null;
            }

            if (fileLength < Sent)
            {
                return $"was truncated: it now has {fileLength:N0} bytes, fewer than the {Sent:N0} already uploaded";
            }

            var scratch = new byte[_size];
            if (!await SameAsync(file, 0, _head, _headLength, scratch, cancellationToken).ConfigureAwait(false))
            {
                return $"was replaced: its first {_headLength:N0} bytes are not those uploaded before";
            }

            if (!await SameAsync(file, Sent - _tailLength, _tail, _tailLength, scratch, cancellationToken).ConfigureAwait(false))
            {
                return $"was replaced or rewritten: the {_tailLength:N0} bytes before offset {Sent:N0} are not those uploaded before";
            }

            return null;
        }

        private static async Task<bool> SameAsync(Stream file, long offset, byte[] expected, int length, byte[] scratch, CancellationToken cancellationToken)
        {
            file.Position = offset;
            var read = await TrackedFile.ReadFullyAsync(file, scratch, length, cancellationToken).ConfigureAwait(false);
            if (read != length)
            {
                return false;
            }

            for (var i = 0; i < length; i++)
            {
                if (scratch[i] != expected[i])
                {
                    return false;
                }
            }

            return true;
        }
    }
}
