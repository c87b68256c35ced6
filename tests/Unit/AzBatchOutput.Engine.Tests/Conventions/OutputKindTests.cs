using System;
using System.Collections.Generic;
using System.Linq;
using AzBatchOutput.Conventions;
using Xunit;
using static AzBatchOutput.Engine.Tests.Conventions.ConventionsAssert;

namespace AzBatchOutput.Engine.Tests.Conventions
{
    public class OutputKindTests
    {
        [Fact]
        public void Predefined_task_kinds()
        {
            var kinds = OutputKind.Predefined(OutputScope.Task);
            Assert.Equal(new[] { "TaskOutput", "TaskPreview", "TaskLog", "TaskIntermediate" }, kinds.Select(k => k.Name));
            Assert.All(kinds, k => Assert.Equal(OutputScope.Task, k.Scope));
            Assert.All(kinds, k => Assert.True(k.IsPredefined));
            Assert.Equal(new[] { OutputKind.TaskOutput, OutputKind.TaskPreview, OutputKind.TaskLog, OutputKind.TaskIntermediate }, kinds);
        }

        [Fact]
        public void Predefined_job_kinds()
        {
            var kinds = OutputKind.Predefined(OutputScope.Job);
            Assert.Equal(new[] { "JobOutput", "JobPreview" }, kinds.Select(k => k.Name));
            Assert.All(kinds, k => Assert.Equal(OutputScope.Job, k.Scope));
            Assert.All(kinds, k => Assert.True(k.IsPredefined));
            Assert.Equal(new[] { OutputKind.JobOutput, OutputKind.JobPreview }, kinds);
        }

        [Fact]
        public void Predefined_lists_cannot_be_changed_by_a_caller()
        {
            var list = (IList<OutputKind>)OutputKind.Predefined(OutputScope.Task);
            Assert.Throws<NotSupportedException>(() => list[0] = OutputKind.JobOutput);
            Assert.Equal("TaskOutput", OutputKind.Predefined(OutputScope.Task)[0].Name);
        }

        [Theory]
        [InlineData("TaskOutput", "TaskOutput")]
        [InlineData("taskoutput", "TaskOutput")]
        [InlineData("TASKOUTPUT", "TaskOutput")]
        [InlineData("TaskPreview", "TaskPreview")]
        [InlineData("taskpreview", "TaskPreview")]
        [InlineData("TaskLog", "TaskLog")]
        [InlineData("tasklog", "TaskLog")]
        [InlineData("tAsKlOg", "TaskLog")]
        [InlineData("TaskIntermediate", "TaskIntermediate")]
        [InlineData("taskINTERMEDIATE", "TaskIntermediate")]
        public void Task_kinds_are_matched_case_insensitively_and_canonicalised(string text, string canonical)
        {
            var kind = OutputKind.Parse(text, OutputScope.Task);
            Assert.Equal(canonical, kind.Name);
            Assert.Equal(canonical, kind.ToString());
            Assert.True(kind.IsPredefined);
            Assert.Equal(OutputScope.Task, kind.Scope);
            Assert.Same(OutputKind.Predefined(OutputScope.Task).Single(k => k.Name == canonical), kind);
        }

        [Theory]
        [InlineData("JobOutput", "JobOutput")]
        [InlineData("joboutput", "JobOutput")]
        [InlineData("JOBPREVIEW", "JobPreview")]
        [InlineData("jobPreview", "JobPreview")]
        public void Job_kinds_are_matched_case_insensitively_and_canonicalised(string text, string canonical)
        {
            var kind = OutputKind.Parse(text, OutputScope.Job);
            Assert.Equal(canonical, kind.Name);
            Assert.True(kind.IsPredefined);
            Assert.Equal(OutputScope.Job, kind.Scope);
            Assert.Same(OutputKind.Predefined(OutputScope.Job).Single(k => k.Name == canonical), kind);
        }

        [Theory]
        [InlineData("JobOutput")]
        [InlineData("joboutput")]
        [InlineData("JobPreview")]
        public void Job_kind_for_a_task_is_refused(string text)
        {
            var ex = Throws("KindScopeMismatch", () => OutputKind.Parse(text, OutputScope.Task));
            var canonical = OutputKind.Parse(text, OutputScope.Job).Name;
            Assert.Equal($"'{canonical}' is a job kind; task kinds are TaskOutput, TaskPreview, TaskLog, TaskIntermediate or a custom kind.", ex.Message);
            Assert.Equal(text, ex.Target);
        }

        [Theory]
        [InlineData("TaskOutput")]
        [InlineData("tasklog")]
        [InlineData("TaskPreview")]
        [InlineData("TaskIntermediate")]
        public void Task_kind_for_a_job_is_refused(string text)
        {
            var ex = Throws("KindScopeMismatch", () => OutputKind.Parse(text, OutputScope.Job));
            var canonical = OutputKind.Parse(text, OutputScope.Task).Name;
            Assert.Equal($"'{canonical}' is a task kind; job kinds are JobOutput, JobPreview or a custom kind.", ex.Message);
        }

        [Theory]
        [InlineData("Renders", OutputScope.Task)]
        [InlineData("renders", OutputScope.Task)]
        [InlineData("myKIND", OutputScope.Job)]
        [InlineData("TaskOutputX", OutputScope.Task)]   // not TaskOutput: only whole names are predefined
        [InlineData("Task Output", OutputScope.Task)]
        [InlineData("JobOutput2", OutputScope.Job)]
        [InlineData("Résultats", OutputScope.Job)]
        [InlineData("a+b%20c", OutputScope.Task)]
        [InlineData("a.b:c", OutputScope.Task)]
        public void Custom_kinds_are_kept_as_typed(string text, OutputScope scope)
        {
            var kind = OutputKind.Parse(text, scope);
            Assert.Equal(text, kind.Name);
            Assert.Equal(text, kind.ToString());
            Assert.False(kind.IsPredefined);
            Assert.Equal(scope, kind.Scope);
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData(" ")]
        [InlineData("\t ")]
        public void Empty_kinds_are_refused(string text)
        {
            Throws("InvalidKind", () => OutputKind.Parse(text, OutputScope.Task));
            Throws("InvalidKind", () => OutputKind.Parse(text, OutputScope.Job));
        }

        [Theory]
        [InlineData("a/b", "'/'")]
        [InlineData("a\\b", "'\\'")]
        [InlineData("$Renders", "'$'")]
        [InlineData("Ren$ders", "'$'")]
        [InlineData("Renders/", "'/'")]
        [InlineData("Ren\u0001ders", "\\u0001")]
        [InlineData("Renders\n", "\\u000a")]
        public void Custom_kinds_with_forbidden_characters_are_refused(string text, string named)
        {
            foreach (var scope in new[] { OutputScope.Task, OutputScope.Job })
            {
                var ex = Throws("InvalidKind", () => OutputKind.Parse(text, scope));
                Assert.Equal(text, ex.Target);
                Assert.Contains(named, ex.Message);
            }
        }

        [Fact]
        public void Equality_is_by_scope_and_exact_name()
        {
            var a = OutputKind.Parse("Renders", OutputScope.Task);
            var b = OutputKind.Parse("Renders", OutputScope.Task);
            Assert.NotSame(a, b);
            Assert.Equal(a, b);
            Assert.True(a.Equals((object)b));
            Assert.True(a == b);
            Assert.False(a != b);
            Assert.Equal(a.GetHashCode(), b.GetHashCode());

            Assert.NotEqual(a, OutputKind.Parse("renders", OutputScope.Task));
            Assert.NotEqual(a, OutputKind.Parse("Renders", OutputScope.Job));
            Assert.False(a.Equals(null));
            Assert.False(a == null);
            Assert.NotEqual(OutputKind.TaskOutput, OutputKind.TaskLog);
            Assert.Equal(OutputKind.TaskOutput, OutputKind.Parse("taskoutput", OutputScope.Task));
        }

        [Fact]
        public void Kinds_work_as_set_members()
        {
            var set = new HashSet<OutputKind>
            {
                OutputKind.Parse("Renders", OutputScope.Task),
                OutputKind.Parse("Renders", OutputScope.Task),
                OutputKind.Parse("Renders", OutputScope.Job),
                OutputKind.Parse("TASKLOG", OutputScope.Task),
                OutputKind.TaskLog,
            };
            Assert.Equal(3, set.Count);
        }
    }
}
