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

        public int PercentComplete =>
            BytesTotal > 0 ? (int)(100 * BytesDone / BytesTotal) :
            FilesTotal > 0 ? 100 * FilesDone / FilesTotal : 0;
    }
}
