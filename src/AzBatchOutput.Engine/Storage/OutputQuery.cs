using System;
using System.Collections.Generic;
using AzBatchOutput.Conventions;

namespace AzBatchOutput.Storage
{
    /// <summary>Which outputs of a job to list: a scope, optionally one task, some kinds and a path filter.</summary>
    public sealed class OutputQuery
    {
        public string JobId { get; set; }

        public OutputScope Scope { get; set; }

        /// <summary>One task, or null for every task of the job (task scope only).</summary>
        public string TaskId { get; set; }

        /// <summary>Kinds to keep; null or empty keeps every kind, custom ones included.</summary>
        public IReadOnlyList<OutputKind> Kinds { get; set; }

        /// <summary>Keeps a file by its relative path; null keeps all.</summary>
        public Func<string, bool> PathFilter { get; set; }
    }
}
