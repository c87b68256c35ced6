using System;

namespace AzBatchOutput
{
    /// <summary>A job's conventions container.</summary>
    public sealed class JobOutputStorage
    {
        public string JobId { get; set; }

        public string ContainerName { get; set; }

        /// <summary>The container's address without a query string.</summary>
        public Uri Uri { get; set; }

        public string StorageAccountName { get; set; }

        /// <summary>True when this call created the container; false when it already existed or was not checked.</summary>
        public bool Created { get; set; }

        public DateTimeOffset? LastModified { get; set; }

        public BatchOutputStorageContext Context { get; set; }

        public override string ToString() => ContainerName;
    }
}
