namespace AzBatchOutput.Storage
{
    /// <summary>A snapshot of a multi-file transfer, for Write-Progress.</summary>
    public sealed class TransferProgress
    {
        public string Activity { get; set; }

        public string CurrentItem { get; set; }

        public int FilesDone { get; set; }

        public int FilesTotal { get; set; }

        public long BytesDone { get; set; }

        public long BytesTotal { get; set; }

        public double BytesPerSecond { get; set; }

        public bool Completed { get; set; }

        /// <summary>
        /// 0 to 100. The totals are known before the transfer and the bytes counted as they move, so a log still growing
        /// while it is saved sends more than planned; PowerShell refuses a ProgressRecord over 100.
        /// </summary>
        public int PercentComplete
        {
            get
            {
                var percent = BytesTotal > 0 ? 100 * BytesDone / BytesTotal :
                              FilesTotal > 0 ? 100L * FilesDone / FilesTotal : 0;
                return (int)System.Math.Max(0, System.Math.Min(100, percent));
            }
        }
    }
}
