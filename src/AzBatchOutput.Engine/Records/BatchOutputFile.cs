using System;

namespace AzBatchOutput
{
    /// <summary>One saved output file of a job or a task, as found in the job's conventions container.</summary>
    public sealed class BatchOutputFile
    {
        public string JobId { get; set; }

        /// <summary>Empty for job outputs.</summary>
        public string TaskId { get; set; }

        public string Kind { get; set; }

        /// <summary>The file's path relative to its kind's folder, '/'-separated, exactly as stored.</summary>
        public string Path { get; set; }

        public long Length { get; set; }

        public DateTimeOffset? LastModified { get; set; }

        public string ContentType { get; set; }

        public string BlobName { get; set; }

        public string ContainerName { get; set; }

        private Uri _uri;

        /// <summary>
        /// The blob's address without any query string, so never a SAS signature. A listed file builds it when first
        /// read: a listing of thousands rarely needs it, and 20,000 Uri objects held in a variable cost the GC.
        /// </summary>
        public Uri Uri
        {
            get => _uri ?? (_uri = Address?.Invoke(BlobName));
            set => _uri = value;
        }

        /// <summary>Builds <see cref="Uri"/> from <see cref="BlobName"/>; one shared by every file of a listing.</summary>
        internal Func<string, Uri> Address { get; set; }

        /// <summary>Where the file lives; lets piped files be received or removed without naming storage again.</summary>
        public BatchOutputStorageContext Context { get; set; }

        /// <summary>
        /// The blob's stored whole-content MD5 (Content-MD5), when it has one: what a download is checked against.
        /// Not a property users see; a blob another tool wrote without one is checked range by range instead.
        /// </summary>
        internal byte[] ContentMd5 { get; set; }

        public bool IsJobOutput => string.IsNullOrEmpty(TaskId);

        /// <summary>
        /// The same file reached through other storage (a piped file with -Context), keeping what the listing knew,
        /// its stored MD5 included: without it a download would check every range instead.
        /// </summary>
        public BatchOutputFile WithContext(BatchOutputStorageContext context) =>
            context == null || ReferenceEquals(context, Context)
                ? this
                : new BatchOutputFile
                {
                    JobId = JobId, TaskId = TaskId, Kind = Kind, Path = Path, Length = Length, LastModified = LastModified,
                    ContentType = ContentType, BlobName = BlobName, ContainerName = ContainerName, Uri = Uri, Context = context,
                    ContentMd5 = ContentMd5,
                };

        public override string ToString() => BlobName;
    }
}
