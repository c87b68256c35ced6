using System;
using System.Collections.Generic;
using System.Linq;

namespace AzBatchOutput.Module.Tests.Faults
{
    /// <summary>What the proxy can do to one request instead of (or while) passing it on.</summary>
    public enum FaultKind
    {
        /// <summary>Passed on untouched.</summary>
        None,

        /// <summary>The connection is reset (TCP RST), before the request reaches the server or after it was applied there.</summary>
        Reset,

        /// <summary>The request is held without an answer for <see cref="FaultPlan.StallTime"/>, then the connection is reset.</summary>
        Stall,

        /// <summary>Answered 500 InternalError without reaching the server.</summary>
        Status500,

        /// <summary>Answered 503 ServerBusy without reaching the server.</summary>
        Status503,

        /// <summary>One byte of a blob download's body is flipped on its way back.</summary>
        FlipResponseByte,

        /// <summary>One byte of an upload's body is flipped on its way to the server.</summary>
        FlipRequestByte,

        /// <summary>A blob download's head and half its body are sent, then the connection is reset.</summary>
        Truncate,
    }

    /// <summary>A request as the proxy saw it, for deciding its fault and for the record.</summary>
    public sealed class ProxiedRequest
    {
        public ProxiedRequest(HttpHead head, int bodyLength)
        {
            Method = head.First;
            Target = head.Target;
            BodyLength = bodyLength;
            ClientRequestId = head.Get("x-ms-client-request-id");
            ContentMd5 = head.Get("Content-MD5");
            ContentCrc64 = head.Get("x-ms-content-crc64");
            RangeMd5 = head.Get("x-ms-range-get-content-md5");
            RangeCrc64 = head.Get("x-ms-range-get-content-crc64");
            StructuredBody = head.Get("x-ms-structured-body");
            Range = head.Get("x-ms-range") ?? head.Get("Range");
            var query = Target.IndexOf('?');
            Path = Uri.UnescapeDataString(query < 0 ? Target : Target.Substring(0, query));
            Query = query < 0 ? string.Empty : Target.Substring(query + 1);
        }

        public string Method { get; }

        /// <summary>Path and query as sent (the query may hold a SAS: never print it).</summary>
        public string Target { get; }

        /// <summary>The decoded path, e.g. /devstoreaccount1/job-x/t1/$TaskOutput/a.txt.</summary>
        public string Path { get; }

        public string Query { get; }

        public int BodyLength { get; }

        public string ClientRequestId { get; }

        public string ContentMd5 { get; }

        public string ContentCrc64 { get; }

        public string RangeMd5 { get; }

        public string RangeCrc64 { get; }

        public string StructuredBody { get; }

        /// <summary>The byte range a read asked for, if any.</summary>
        public string Range { get; }

        /// <summary>A GET of one blob's content (path account/container/blob, and no comp= or restype= operation).</summary>
        public bool IsBlobDownload =>
            Method == "GET" && Path.Trim('/').Split('/').Length >= 3 &&
            !Query.Split('&').Any(p => p.StartsWith("comp=", StringComparison.Ordinal) || p.StartsWith("restype=", StringComparison.Ordinal));

        /// <summary>An upload of a blob's or a block's content.</summary>
        public bool IsContentUpload =>
            Method == "PUT" && BodyLength > 0 && Path.Trim('/').Split('/').Length >= 3 &&
            (Query.Length == 0 || Query.Split('&').Any(p => p == "comp=block" || p == "comp=appendblock") ||
             !Query.Split('&').Any(p => p.StartsWith("comp=", StringComparison.Ordinal)));
    }

    /// <summary>
    /// Which requests the proxy faults and how: each request is faulted with probability <see cref="Rate"/>, by a kind
    /// drawn from <see cref="Kinds"/> among those that apply to it, all from one seeded random generator.
    /// </summary>
    public sealed class FaultPlan
    {
        private readonly object _gate = new object();
        private readonly Random _random;

        public FaultPlan(int seed, double rate, params FaultKind[] kinds)
        {
            if (rate < 0 || rate > 1)
            {
                throw new ArgumentOutOfRangeException(nameof(rate));
            }

            _random = new Random(seed);
            Rate = rate;
            Kinds = kinds.Length == 0 ? AllKinds : kinds;
        }

        public static IReadOnlyList<FaultKind> AllKinds { get; } = Enum.GetValues(typeof(FaultKind)).Cast<FaultKind>().Where(k => k != FaultKind.None).ToArray();

        public double Rate { get; }

        public IReadOnlyList<FaultKind> Kinds { get; }

        /// <summary>How long a stalled request is held before its connection is reset.</summary>
        public TimeSpan StallTime { get; set; } = TimeSpan.FromSeconds(4);

        /// <summary>Only requests this accepts are faulted (default: all).</summary>
        public Func<ProxiedRequest, bool> Applies { get; set; } = _ => true;

        /// <summary>No request is faulted while this is false (e.g. while a test sets up).</summary>
        public bool Enabled { get; set; } = true;

        public static bool CanApply(FaultKind kind, ProxiedRequest request)
        {
            switch (kind)
            {
                case FaultKind.FlipResponseByte:
                case FaultKind.Truncate:
                    return request.IsBlobDownload;
                case FaultKind.FlipRequestByte:
                    return request.IsContentUpload;
                default:
                    return true;
            }
        }

        public FaultKind Decide(ProxiedRequest request)
        {
            if (!Enabled || !Applies(request))
            {
                return FaultKind.None;
            }

            var candidates = Kinds.Where(k => CanApply(k, request)).ToList();
            lock (_gate)
            {
                if (candidates.Count == 0 || _random.NextDouble() >= Rate)
                {
                    return FaultKind.None;
                }

                return candidates[_random.Next(candidates.Count)];
            }
        }

        /// <summary>A value in [0, max) from the plan's generator (where to flip, whether to reset before or after).</summary>
        public int Next(int max)
        {
            lock (_gate)
            {
                return _random.Next(max);
            }
        }
    }
}
