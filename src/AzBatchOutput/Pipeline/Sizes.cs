using System.Globalization;

namespace AzBatchOutput.Pipeline
{
    /// <summary>Human-readable byte counts (1024-based, one decimal), for progress and tables.</summary>
    public static class Sizes
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
