namespace AzBatchOutput.Conventions
{
    /// <summary>
    /// The parts of a conventions blob name, exactly as stored. Nothing is decoded or canonicalised: a reader that changed
    /// the text (the reference library turns '+' into a space) would point at a blob that does not exist.
    /// </summary>
    public sealed class ParsedBlobName
    {
        internal ParsedBlobName(string taskId, string kind, string path, OutputScope scope)
        {
            TaskId = taskId;
            Kind = kind;
            Path = path;
            Scope = scope;
        }

        /// <summary>The task the output belongs to; null for job outputs.</summary>
        public string TaskId { get; }

        /// <summary>The kind text as stored, e.g. <c>TaskOutput</c> or a custom kind.</summary>
        public string Kind { get; }

        /// <summary>Everything after the kind's '/', verbatim.</summary>
        public string Path { get; }

        public OutputScope Scope { get; }
    }
}
