namespace AzBatchOutput.Pipeline
{
    /// <summary>
    /// Byte counts for the format file's script blocks. It lives in the cmdlets assembly, which PowerShell resolves by
    /// name; the rule itself is the engine's, shared with progress and the report.
    /// </summary>
    public static class Sizes
    {
        public static string Format(long bytes) => ByteSizes.Format(bytes);
    }
}
