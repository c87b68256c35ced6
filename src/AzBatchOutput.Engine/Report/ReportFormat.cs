using System;
using System.Collections.Generic;
using System.Globalization;

namespace AzBatchOutput.Report
{
    /// <summary>How the report writes numbers, sizes, times and kinds: invariant, so a page reads the same everywhere.</summary>
    internal static class ReportFormat
    {
        // Predefined kinds first, in the order a reader looks for them; then custom kinds by name.
        private static readonly string[] KindOrder = { "JobOutput", "JobPreview", "TaskOutput", "TaskPreview", "TaskLog", "TaskIntermediate" };
        private static readonly string[] KindClasses = { "k-jo", "k-jp", "k-to", "k-tp", "k-tl", "k-ti" };
        private const int CustomPalettes = 4;

        /// <summary>1024-based with one decimal, as the module's tables show sizes: "512 B", "1.5 KB", "2.0 GB".</summary>
        public static string Size(long bytes) => ByteSizes.Format(bytes);

        public static string Count(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

        public static string Plural(long value, string one, string many) => Count(value) + " " + (value == 1 ? one : many);

        public static string Time(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + " UTC";

        /// <summary>For a table whose header already says UTC: plain text, as a page may hold tens of thousands.</summary>
        public static string ShortTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture);

        public static string IsoTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

        public static string Percent(double fraction) => Math.Max(0, Math.Min(100, fraction * 100)).ToString("0.#", CultureInfo.InvariantCulture);

        public static int KindRank(string kind)
        {
            var index = Array.IndexOf(KindOrder, kind);
            return index < 0 ? KindOrder.Length : index;
        }

        public static int CompareKinds(string a, string b)
        {
            var byRank = KindRank(a).CompareTo(KindRank(b));
            return byRank != 0 ? byRank : string.CompareOrdinal(a, b);
        }

        /// <summary>The badge colour class: one per predefined kind, custom kinds spread over a few palettes by name.</summary>
        public static string KindClass(string kind)
        {
            var index = Array.IndexOf(KindOrder, kind);
            if (index >= 0)
            {
                return KindClasses[index];
            }

            unchecked
            {
                var hash = 17;
                foreach (var c in kind ?? string.Empty)
                {
                    hash = hash * 31 + c;
                }

                return "k-c" + ((hash & 0x7fffffff) % CustomPalettes).ToString(CultureInfo.InvariantCulture);
            }
        }

        public static int CompareFiles(ReportFile a, ReportFile b)
        {
            var byKind = CompareKinds(a.Kind, b.Kind);
            if (byKind != 0)
            {
                return byKind;
            }

            var byPath = NaturalComparer.Instance.Compare(a.Path, b.Path);
            return byPath != 0 ? byPath : string.CompareOrdinal(a.Path, b.Path);
        }
    }

    /// <summary>Orders "task-2" before "task-10": runs of digits compare by value, the rest case-insensitively.</summary>
    internal sealed class NaturalComparer : IComparer<string>
    {
        public static readonly NaturalComparer Instance = new NaturalComparer();

        public int Compare(string x, string y)
        {
            if (ReferenceEquals(x, y))
            {
                return 0;
            }

            if (x == null)
            {
                return -1;
            }

            if (y == null)
            {
                return 1;
            }

            int i = 0, j = 0;
            while (i < x.Length && j < y.Length)
            {
                if (IsDigit(x[i]) && IsDigit(y[j]))
                {
                    var startX = i;
                    var startY = j;
                    while (i < x.Length && x[i] == '0') i++;
                    while (j < y.Length && y[j] == '0') j++;
                    var digitsX = i;
                    var digitsY = j;
                    while (i < x.Length && IsDigit(x[i])) i++;
                    while (j < y.Length && IsDigit(y[j])) j++;
                    var lengthX = i - digitsX;
                    var lengthY = j - digitsY;
                    if (lengthX != lengthY)
                    {
                        return lengthX.CompareTo(lengthY);
                    }

                    var digits = string.CompareOrdinal(x, digitsX, y, digitsY, lengthX);
                    if (digits != 0)
                    {
                        return digits;
                    }

                    var zeros = (digitsX - startX).CompareTo(digitsY - startY);
                    if (zeros != 0)
                    {
                        return zeros;
                    }

                    continue;
                }

                var a = char.ToUpperInvariant(x[i]);
                var b = char.ToUpperInvariant(y[j]);
                if (a != b)
                {
                    return a.CompareTo(b);
                }

                i++;
                j++;
            }

            var byLength = (x.Length - i).CompareTo(y.Length - j);
            return byLength != 0 ? byLength : string.CompareOrdinal(x, y);
        }

        private static bool IsDigit(char c) => c >= '0' && c <= '9';
    }
}
