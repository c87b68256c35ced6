using System.Globalization;

namespace AzBatchOutput
{
    /// <summary>Human-readable byte counts, 1024-based with one decimal ("512 B", "1.5 KB"): one rule for tables, progress and the report.</summary>
    public static class ByteSizes
    {
        private static readonly string[] Units = { "B", "KB", "MB", "GB", "TB", "PB" };

        public static string Format(long bytes)
        {
            double value = bytes;
            var unit = 0;
            while (value >= 1024 && unit < Units.Length - 1)
            {
                value /= 1024;
                unit++;
            }

            return unit == 0
                ? bytes.ToString(CultureInfo.InvariantCulture) + " B"
                : value.ToString("0.0", CultureInfo.InvariantCulture) + " " + Units[unit];
        }
    }
}
