namespace AzBatchOutput.Storage
{
    /// <summary>One local file and the conventions blob name it is saved to; planned before anything is sent.</summary>
    public sealed class UploadItem
    {
        public UploadItem(string localPath, string taskId, string kind, string path, string blobName, long length)
        {
            LocalPath = localPath;
            TaskId = taskId;
            Kind = kind;
            Path = path;
            BlobName = blobName;
            Length = length;
        }

        public string LocalPath { get; }

        public string TaskId { get; }

        public string Kind { get; }

        public string Path { get; }

        public string BlobName { get; }

        public long Length { get; }
    }
}
