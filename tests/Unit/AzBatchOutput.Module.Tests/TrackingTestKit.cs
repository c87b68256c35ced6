using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Text;
using System.Threading;
using AzBatchOutput.Module.Tests.Infrastructure;
using Azure;
using Xunit;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>What the tracking tests share: files written as a writer would, blobs read with the plain SDK, waiting.</summary>
    internal static class TrackingTestKit
    {
        /// <summary>Reads a file that may still be written, as the tracker does.</summary>
        public static byte[] ReadShared(string path)
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            return copy.ToArray();
        }

        /// <summary>Appends as a log writer does, leaving the file open to others.</summary>
        public static void Append(string path, byte[] bytes)
        {
            using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            stream.Write(bytes, 0, bytes.Length);
        }

        public static void Append(string path, string text) => Append(path, Encoding.UTF8.GetBytes(text));

        /// <summary>The blob's content through the test process's own (older) SDK; null when it does not exist.</summary>
        public static byte[] BlobBytes(string containerName, string blobName)
        {
            try
            {
                return TestStorage.Sdk.GetBlobContainerClient(containerName).GetBlobClient(blobName).DownloadContent().Value.Content.ToArray();
            }
            catch (RequestFailedException ex) when (ex.Status == 404)
            {
                return null;
            }
        }

        /// <summary>Printable lines of exactly <paramref name="length"/> bytes, ending in a newline.</summary>
        public static byte[] Lines(Random random, int length, string tag = "")
        {
            var bytes = new byte[length];
            var prefix = Encoding.ASCII.GetBytes(tag);
            for (var i = 0; i < length; i++)
            {
                bytes[i] = i < prefix.Length ? prefix[i] : (byte)(i % 97 == 96 ? '\n' : 'a' + random.Next(26));
            }

            bytes[length - 1] = (byte)'\n';
            return bytes;
        }

        public static void WaitUntil(Func<bool> condition, TimeSpan timeout, Func<string> describe)
        {
            var clock = Stopwatch.StartNew();
            while (!condition())
            {
                if (clock.Elapsed > timeout)
                {
                    throw new TimeoutException($"Waited {timeout.TotalSeconds} s: {describe()}");
                }

                Thread.Sleep(50);
            }
        }

        /// <summary>Waits until the tracker has mirrored <paramref name="length"/> bytes.</summary>
        public static void WaitForBlobLength(PSObject tracker, long length, TimeSpan? timeout = null) =>
            WaitUntil(() => tracker.Long("BlobLength") == length, timeout ?? TimeSpan.FromSeconds(20),
                () => $"the tracker's BlobLength is {tracker.Long("BlobLength")}, not {length} (State {tracker.Str("State")}, LastError {tracker.Str("LastError")})");

        public static long Long(this PSObject item, string name) => Convert.ToInt64(item.Prop(name));

        public static void AssertPrefix(byte[] blob, byte[] file, string when)
        {
            Assert.True(blob.Length <= file.Length, $"{when}: the blob has {blob.Length} bytes, more than the file's {file.Length}.");
            for (var i = 0; i < blob.Length; i++)
            {
                if (blob[i] != file[i])
                {
                    Assert.Fail($"{when}: the blob differs from the file at byte {i} of {blob.Length}.");
                }
            }
        }

        public static void AssertSameBytes(byte[] expected, byte[] actual, string what)
        {
            Assert.NotNull(actual);
            Assert.True(expected.Length == actual.Length, $"{what}: expected {expected.Length} bytes, got {actual.Length}.");
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"{what}: same length, different bytes.");
        }

        public static List<string> WarningTexts(this PSResult result) => result.Warnings.Select(w => w.Message).ToList();

        /// <summary>Starts a tracker in the session and returns the live tracker object.</summary>
        public static PSObject StartTracking(this ModuleSession session, string file, string jobId, string taskId, string extra = "")
        {
            var result = session.Run($"Start-BatchTaskOutputTracking -Path $File -JobId $JobId -TaskId $TaskId {extra}",
                ("File", file), ("JobId", jobId), ("TaskId", taskId)).ThrowIfFailed();
            return result.Output.Single();
        }

        public static PSResult StopTracking(this ModuleSession session, PSObject tracker, string extra = "-GracePeriod 0") =>
            session.Run($"$Tracker | Stop-BatchTaskOutputTracking -PassThru {extra}", ("Tracker", tracker));
    }
}
