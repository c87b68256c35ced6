using System;
using System.IO;
using System.Text;
using System.Text.Json;
using AzBatchOutput.Conventions;

namespace AzBatchOutput.Batch
{
    /// <summary>When Batch's own service-side upload runs, as in the REST API's uploadOptions.uploadCondition.</summary>
    public enum UploadCondition
    {
        TaskSuccess,
        TaskFailure,
        TaskCompletion,
    }

    /// <summary>
    /// One entry of a task's <c>outputFiles</c> for Batch's service-side upload, with a destination that follows the
    /// conventions: <c>{taskId}/$Kind[/path]</c> in the job's container, so the portal and this module find the files.
    /// </summary>
    public sealed class OutputFileSpec
    {
        private OutputFileSpec(string filePattern, string containerUrl, string path, UploadCondition condition, string identityResourceId)
        {
            FilePattern = filePattern;
            ContainerUrl = containerUrl;
            Path = path;
            UploadCondition = condition;
            IdentityResourceId = identityResourceId;
        }

        public string FilePattern { get; }

        public string ContainerUrl { get; }

        /// <summary>The destination inside the container: a virtual folder for a wildcard pattern, else the blob name.</summary>
        public string Path { get; }

        public UploadCondition UploadCondition { get; }

        /// <summary>The ARM resource ID of a user-assigned managed identity, when the container URL has no SAS.</summary>
        public string IdentityResourceId { get; }

        /// <summary>The REST value, e.g. "taskSuccess".</summary>
        public string UploadConditionText => char.ToLowerInvariant(UploadCondition.ToString()[0]) + UploadCondition.ToString().Substring(1);

        public static OutputFileSpec Create(string taskId, OutputKind kind, string filePattern, string destinationPath, UploadCondition condition, string containerUrl, string identityResourceId)
        {
            BatchIds.ValidateTaskId(taskId);
            if (kind == null || kind.Scope != OutputScope.Task)
            {
                throw new BatchOutputException("KindScopeMismatch", FailureCategory.InvalidArgument,
                    "Batch's service-side upload saves a task's files: use a task kind (TaskOutput, TaskPreview, TaskLog, TaskIntermediate or a custom kind).", kind?.Name);
            }

            if (string.IsNullOrWhiteSpace(filePattern))
            {
                throw new BatchOutputException("InvalidFilePattern", FailureCategory.InvalidArgument,
                    "-FilePattern is empty. Give a path relative to the task's working directory, e.g. 'out/*.png' or '../std*.txt'.", filePattern);
            }

            ValidateContainerUrl(containerUrl, hasIdentity: !string.IsNullOrWhiteSpace(identityResourceId));

            // A pattern with wildcards names a folder of blobs; a plain file pattern names one blob.
            var hasWildcard = filePattern.IndexOfAny(new[] { '*', '?', '[' }) >= 0;
            var prefix = BlobNaming.GetKindPrefix(taskId, kind).TrimEnd('/');
            string path;
            if (!string.IsNullOrEmpty(destinationPath))
            {
                path = prefix + "/" + OutputPath.Normalize(destinationPath);
            }
            else if (hasWildcard)
            {
                path = prefix;
            }
            else
            {
                path = BlobNaming.GetBlobName(taskId, kind, System.IO.Path.GetFileName(filePattern.Replace('\\', '/')));
            }

            return new OutputFileSpec(filePattern, containerUrl, path, condition, string.IsNullOrWhiteSpace(identityResourceId) ? null : identityResourceId);
        }

        /// <summary>
        /// Batch uploads to one container, with a SAS in its URL or a managed identity; a URL that is not a container's (a
        /// piped Az.Batch task's own Url binds to -ContainerUrl, for one) would fail only when the task ends. The URL is
        /// never echoed: it may carry a SAS.
        /// </summary>
        private static void ValidateContainerUrl(string containerUrl, bool hasIdentity)
        {
            const string Fix = "Pass -ContainerUrl from New-BatchJobOutputSas -JobId <job> (Url), or -JobId with -IdentityReference.";
            if (string.IsNullOrWhiteSpace(containerUrl) || !Uri.TryCreate(containerUrl.Trim(), UriKind.Absolute, out var uri) ||
                (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                throw new BatchOutputException("InvalidContainerUrl", FailureCategory.InvalidArgument,
                    "The container URL is missing or not an absolute http(s) URL. " + Fix, null);
            }

            if (uri.Host.IndexOf(".batch.", StringComparison.OrdinalIgnoreCase) >= 0)
            {
                throw new BatchOutputException("InvalidContainerUrl", FailureCategory.InvalidArgument,
                    $"-ContainerUrl '{uri.GetLeftPart(UriPartial.Path)}' is a Batch service URL, not a storage container's (a piped task's Url binds to " +
                    "-ContainerUrl). " + Fix, null);
            }

            Azure.Storage.Blobs.BlobUriBuilder parts;
            try
            {
                parts = new Azure.Storage.Blobs.BlobUriBuilder(uri);
            }
            catch (Exception ex) when (ex is FormatException || ex is ArgumentException || ex is OverflowException)
            {
                throw new BatchOutputException("InvalidContainerUrl", FailureCategory.InvalidArgument,
                    "The container URL's SAS is malformed (a field such as its expiry cannot be read). " + Fix, null);
            }

            if (string.IsNullOrEmpty(parts.BlobContainerName) || !string.IsNullOrEmpty(parts.BlobName))
            {
                throw new BatchOutputException("InvalidContainerUrl", FailureCategory.InvalidArgument,
                    $"-ContainerUrl '{uri.GetLeftPart(UriPartial.Path)}' does not name exactly one container " +
                    "(expected https://ACCOUNT.blob.core.windows.net/CONTAINER?SAS). " + Fix, null);
            }

            if (!hasIdentity && string.IsNullOrEmpty(parts.Sas?.Signature))
            {
                throw new BatchOutputException("ContainerUrlNeedsSas", FailureCategory.InvalidArgument,
                    "-ContainerUrl has no SAS, so Batch could not write to the container. Issue one with New-BatchJobOutputSas -JobId <job> " +
                    "(create and write are enough), or give -IdentityReference: a managed identity of the pool that may write to it.", null);
            }
        }

        /// <summary>The entry as an object of the REST shape (this module's own, when Az.Batch is not loaded).</summary>
        public OutputFileEntry ToEntry() => OutputFileEntry.From(this);

        /// <summary>The Batch REST <c>outputFiles</c> element.</summary>
        public string ToJson(bool indented = true)
        {
            using (var buffer = new MemoryStream())
            {
                using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = indented }))
                {
                    json.WriteStartObject();
                    json.WriteString("filePattern", FilePattern);
                    json.WriteStartObject("destination");
                    json.WriteStartObject("container");
                    json.WriteString("containerUrl", ContainerUrl);
                    json.WriteString("path", Path);
                    if (IdentityResourceId != null)
                    {
                        json.WriteStartObject("identityReference");
                        json.WriteString("resourceId", IdentityResourceId);
                        json.WriteEndObject();
                    }

                    json.WriteEndObject();
                    json.WriteEndObject();
                    json.WriteStartObject("uploadOptions");
                    json.WriteString("uploadCondition", UploadConditionText);
                    json.WriteEndObject();
                    json.WriteEndObject();
                }

                return Encoding.UTF8.GetString(buffer.ToArray());
            }
        }
    }
}
