using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;

namespace AzBatchOutput.Conventions
{
    /// <summary>
    /// The category an output is filed under (the <c>$Kind</c> folder). The kind text is case-sensitive in storage, so the
    /// predefined kinds are canonicalised: the portal shows only <c>TaskOutput</c> and <c>TaskLog</c>, never <c>taskoutput</c>.
    /// </summary>
    public sealed class OutputKind : IEquatable<OutputKind>
    {
        public static readonly OutputKind TaskOutput = new OutputKind("TaskOutput", OutputScope.Task, true);
        public static readonly OutputKind TaskPreview = new OutputKind("TaskPreview", OutputScope.Task, true);
        public static readonly OutputKind TaskLog = new OutputKind("TaskLog", OutputScope.Task, true);
        public static readonly OutputKind TaskIntermediate = new OutputKind("TaskIntermediate", OutputScope.Task, true);
        public static readonly OutputKind JobOutput = new OutputKind("JobOutput", OutputScope.Job, true);
        public static readonly OutputKind JobPreview = new OutputKind("JobPreview", OutputScope.Job, true);

        // Read-only wrappers so a caller cannot swap a predefined kind out of the shared lists.
        private static readonly IReadOnlyList<OutputKind> TaskKinds =
            new ReadOnlyCollection<OutputKind>(new[] { TaskOutput, TaskPreview, TaskLog, TaskIntermediate });

        private static readonly IReadOnlyList<OutputKind> JobKinds =
            new ReadOnlyCollection<OutputKind>(new[] { JobOutput, JobPreview });

        private OutputKind(string name, OutputScope scope, bool isPredefined)
        {
            Name = name;
            Scope = scope;
            IsPredefined = isPredefined;
        }

        /// <summary>The text as stored in the blob name, e.g. <c>TaskOutput</c> or a custom <c>Renders</c>.</summary>
        public string Name { get; }

        public OutputScope Scope { get; }

        public bool IsPredefined { get; }

        public static IReadOnlyList<OutputKind> Predefined(OutputScope scope) => scope == OutputScope.Job ? JobKinds : TaskKinds;

        public static OutputKind Parse(string text, OutputScope scope)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                throw Invalid(text, "A kind cannot be empty.");
            }

            var own = FindPredefined(Predefined(scope), text);
            if (own != null)
            {
                return own;
            }

            // "JobOutput" on a task would file the output where the portal never looks for task files; say so
            // rather than silently storing a custom task kind with a job kind's name.
            var otherScope = scope == OutputScope.Job ? OutputScope.Task : OutputScope.Job;
            var other = FindPredefined(Predefined(otherScope), text);
            if (other != null)
            {
                throw new BatchOutputException("KindScopeMismatch", FailureCategory.InvalidArgument,
                    $"'{other.Name}' is a {ScopeWord(otherScope)} kind; {ScopeWord(scope)} kinds are {ListNames(scope)} or a custom kind.", text);
            }

            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];

                // '/' and '\' would split the kind into folders, '$' would blur the "$Kind" marker that readers rely on.
                if (c == '/' || c == '\\' || c == '$' || char.IsControl(c))
                {
                    throw Invalid(text, $"The kind {MessageText.Quote(text)} contains {MessageText.Describe(c)} at position {i + 1}, which is not allowed in a kind.");
                }
            }

            return new OutputKind(text, scope, false);
        }

        public override string ToString() => Name;

        public bool Equals(OutputKind other) =>
            !(other is null) && Scope == other.Scope && string.Equals(Name, other.Name, StringComparison.Ordinal);

        public override bool Equals(object obj) => Equals(obj as OutputKind);

        public override int GetHashCode() => (StringComparer.Ordinal.GetHashCode(Name) * 397) ^ (int)Scope;

        public static bool operator ==(OutputKind left, OutputKind right) => left is null ? right is null : left.Equals(right);

        public static bool operator !=(OutputKind left, OutputKind right) => !(left == right);

        private static OutputKind FindPredefined(IReadOnlyList<OutputKind> kinds, string text)
        {
            foreach (var kind in kinds)
            {
                if (string.Equals(kind.Name, text, StringComparison.OrdinalIgnoreCase))
                {
                    return kind;
                }
            }

            return null;
        }

        private static BatchOutputException Invalid(string text, string problem) =>
            new BatchOutputException("InvalidKind", FailureCategory.InvalidArgument,
                problem + " A custom kind may be any text without '/', '\\', '$' or control characters.", text);

        private static string ScopeWord(OutputScope scope) => scope == OutputScope.Job ? "job" : "task";

        private static string ListNames(OutputScope scope)
        {
            var kinds = Predefined(scope);
            var names = new string[kinds.Count];
            for (var i = 0; i < kinds.Count; i++)
            {
                names[i] = kinds[i].Name;
            }

            return string.Join(", ", names);
        }
    }
}
