using System;
using System.Collections.Generic;
using System.Linq;
using AzBatchOutput.Conventions;
using Xunit;
using static AzBatchOutput.Engine.Tests.Conventions.ConventionsAssert;

namespace AzBatchOutput.Engine.Tests.Conventions
{
    public class BlobNamingTests
    {
        public static IEnumerable<object[]> TaskKinds() =>
            OutputKind.Predefined(OutputScope.Task).Select(k => k.Name).Append("Renders").Select(n => new object[] { n });

        public static IEnumerable<object[]> JobKinds() =>
            OutputKind.Predefined(OutputScope.Job).Select(k => k.Name).Append("Summaries").Select(n => new object[] { n });

        [Fact]
        public void Examples_from_the_conventions()
        {
            Assert.Equal("$JobOutput/out/merged.txt", BlobNaming.GetBlobName(null, OutputKind.JobOutput, "out/merged.txt"));
            Assert.Equal("analysis-309/$TaskLog/analytics.log", BlobNaming.GetBlobName("analysis-309", OutputKind.TaskLog, "analytics.log"));
        }

        [Theory]
        [MemberData(nameof(TaskKinds))]
        public void Task_blob_names_for_every_kind_round_trip(string kindName)
        {
            var kind = OutputKind.Parse(kindName, OutputScope.Task);
            var name = BlobNaming.GetBlobName("task-7", kind, "out/a.txt");
            Assert.Equal("task-7/$" + kindName + "/out/a.txt", name);

            Assert.True(BlobNaming.TryParse(name, out var parsed));
            Assert.Equal(OutputScope.Task, parsed.Scope);
            Assert.Equal("task-7", parsed.TaskId);
            Assert.Equal(kindName, parsed.Kind);
            Assert.Equal("out/a.txt", parsed.Path);

            Assert.StartsWith(BlobNaming.GetKindPrefix("task-7", kind), name, StringComparison.Ordinal);
            Assert.StartsWith(BlobNaming.GetTaskPrefix("task-7"), name, StringComparison.Ordinal);
            Assert.False(name.StartsWith(BlobNaming.JobOutputsPrefix, StringComparison.Ordinal));
        }

        [Theory]
        [MemberData(nameof(JobKinds))]
        public void Job_blob_names_for_every_kind_round_trip(string kindName)
        {
            var kind = OutputKind.Parse(kindName, OutputScope.Job);
            foreach (var noTask in new[] { null, string.Empty })
            {
                var name = BlobNaming.GetBlobName(noTask, kind, "out/merged.txt");
                Assert.Equal("$" + kindName + "/out/merged.txt", name);

                Assert.True(BlobNaming.TryParse(name, out var parsed));
                Assert.Equal(OutputScope.Job, parsed.Scope);
                Assert.Null(parsed.TaskId);
                Assert.Equal(kindName, parsed.Kind);
                Assert.Equal("out/merged.txt", parsed.Path);

                Assert.StartsWith(BlobNaming.GetKindPrefix(noTask, kind), name, StringComparison.Ordinal);
                Assert.StartsWith(BlobNaming.JobOutputsPrefix, name, StringComparison.Ordinal);
            }
        }

        [Theory]
        [InlineData("a+b.txt")]
        [InlineData("a b.txt")]
        [InlineData("a%20b.txt")]
        [InlineData("100%.txt")]
        [InlineData("x%2Fy%2B.txt")]
        [InlineData("deep/er/Résumé データ+%.log")]
        [InlineData("sub/$odd/name.txt")]
        public void Paths_round_trip_verbatim_without_url_decoding(string path)
        {
            var name = BlobNaming.GetBlobName("t1", OutputKind.TaskOutput, path);
            Assert.Equal("t1/$TaskOutput/" + path, name);
            Assert.True(BlobNaming.TryParse(name, out var parsed));
            Assert.Equal(path, parsed.Path);

            var jobName = BlobNaming.GetBlobName(null, OutputKind.JobOutput, path);
            Assert.True(BlobNaming.TryParse(jobName, out var jobParsed));
            Assert.Equal(path, jobParsed.Path);
        }

        [Fact]
        public void Task_id_and_custom_kind_go_in_verbatim()
        {
            var kind = OutputKind.Parse("MyRenders", OutputScope.Task);
            Assert.Equal("Task_01-A/$MyRenders/f.png", BlobNaming.GetBlobName("Task_01-A", kind, "f.png"));
        }

        [Fact]
        public void Predefined_kinds_are_stored_canonical_whatever_the_user_typed()
        {
            var kind = OutputKind.Parse("taskoutput", OutputScope.Task);
            Assert.Equal("t1/$TaskOutput/a.txt", BlobNaming.GetBlobName("t1", kind, "a.txt"));
        }

        [Theory]
        [InlineData("out\\a.txt", "t1/$TaskOutput/out/a.txt")]
        [InlineData("./a.txt", "t1/$TaskOutput/a.txt")]
        [InlineData("a/../b.txt", "t1/$TaskOutput/b.txt")]
        [InlineData("a//b.txt", "t1/$TaskOutput/a/b.txt")]
        public void The_path_is_normalised(string path, string expected)
        {
            Assert.Equal(expected, BlobNaming.GetBlobName("t1", OutputKind.TaskOutput, path));
        }

        [Theory]
        [InlineData("../x")]
        [InlineData("..\\..\\x")]
        [InlineData("/x")]
        [InlineData("C:\\x")]
        [InlineData("")]
        [InlineData(null)]
        public void Bad_paths_are_refused(string path)
        {
            var ex = Throws("InvalidOutputPath", () => BlobNaming.GetBlobName("t1", OutputKind.TaskOutput, path));
            Assert.Equal(path, ex.Target);
            Throws("InvalidOutputPath", () => BlobNaming.GetBlobName(null, OutputKind.JobOutput, path));
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        public void Task_kind_without_a_task_is_refused(string taskId)
        {
            var ex = Throws("KindScopeMismatch", () => BlobNaming.GetBlobName(taskId, OutputKind.TaskOutput, "a.txt"));
            Assert.Contains("TaskOutput", ex.Message);
            Throws("KindScopeMismatch", () => BlobNaming.GetKindPrefix(taskId, OutputKind.TaskLog));
        }

        [Fact]
        public void Job_kind_with_a_task_is_refused()
        {
            var ex = Throws("KindScopeMismatch", () => BlobNaming.GetBlobName("t1", OutputKind.JobOutput, "a.txt"));
            Assert.Contains("JobOutput", ex.Message);
            Throws("KindScopeMismatch", () => BlobNaming.GetKindPrefix("t1", OutputKind.Parse("Custom", OutputScope.Job)));
        }

        [Theory]
        [InlineData("bad id")]
        [InlineData("a:b")]
        [InlineData("t/1")]
        public void Invalid_task_ids_are_refused(string taskId)
        {
            var ex = Throws("InvalidTaskId", () => BlobNaming.GetBlobName(taskId, OutputKind.TaskOutput, "a.txt"));
            Assert.Equal(taskId, ex.Target);
            Throws("InvalidTaskId", () => BlobNaming.GetKindPrefix(taskId, OutputKind.TaskOutput));
            Throws("InvalidTaskId", () => BlobNaming.GetTaskPrefix(taskId));
        }

        [Fact]
        public void Task_prefix_needs_a_task()
        {
            Throws("InvalidTaskId", () => BlobNaming.GetTaskPrefix(null));
            Throws("InvalidTaskId", () => BlobNaming.GetTaskPrefix(""));
        }

        [Fact]
        public void Null_kind_is_a_programming_error()
        {
            Assert.Throws<ArgumentNullException>(() => BlobNaming.GetBlobName("t1", null, "a.txt"));
            Assert.Throws<ArgumentNullException>(() => BlobNaming.GetKindPrefix("t1", null));
        }

        [Fact]
        public void Blob_name_of_1024_characters_is_allowed_and_1025_is_not()
        {
            const string folder = "t1/$TaskOutput/";
            Assert.Equal(1024, BlobNaming.MaxBlobNameLength);
            var fits = new string('a', 1024 - folder.Length);
            Assert.Equal(1024, BlobNaming.GetBlobName("t1", OutputKind.TaskOutput, fits).Length);

            var tooLong = fits + "b";
            var ex = Throws("BlobNameTooLong", () => BlobNaming.GetBlobName("t1", OutputKind.TaskOutput, tooLong));
            Assert.Contains("1025", ex.Message);
            Assert.Contains("1024", ex.Message);
        }

        [Fact]
        public void Length_is_checked_after_normalisation()
        {
            const string folder = "$JobOutput/";
            var fits = new string('a', 1024 - folder.Length);
            Assert.Equal(1024, BlobNaming.GetBlobName(null, OutputKind.JobOutput, "./" + fits).Length);
            Throws("BlobNameTooLong", () => BlobNaming.GetBlobName(null, OutputKind.JobOutput, "x/" + fits));
        }

        [Fact]
        public void Kind_prefixes_end_with_a_slash()
        {
            Assert.Equal("t1/$TaskOutput/", BlobNaming.GetKindPrefix("t1", OutputKind.TaskOutput));
            Assert.Equal("t1/$TaskPreview/", BlobNaming.GetKindPrefix("t1", OutputKind.TaskPreview));
            Assert.Equal("t1/$TaskLog/", BlobNaming.GetKindPrefix("t1", OutputKind.TaskLog));
            Assert.Equal("t1/$TaskIntermediate/", BlobNaming.GetKindPrefix("t1", OutputKind.TaskIntermediate));
            Assert.Equal("t1/$Renders/", BlobNaming.GetKindPrefix("t1", OutputKind.Parse("Renders", OutputScope.Task)));
            Assert.Equal("$JobOutput/", BlobNaming.GetKindPrefix(null, OutputKind.JobOutput));
            Assert.Equal("$JobPreview/", BlobNaming.GetKindPrefix("", OutputKind.JobPreview));
            Assert.Equal("$Summaries/", BlobNaming.GetKindPrefix(null, OutputKind.Parse("Summaries", OutputScope.Job)));
        }

        [Fact]
        public void Kind_prefix_does_not_match_a_custom_kind_that_extends_its_name()
        {
            var custom = BlobNaming.GetBlobName("task1", OutputKind.Parse("TaskOutputX", OutputScope.Task), "a.txt");
            Assert.Equal("task1/$TaskOutputX/a.txt", custom);
            Assert.False(custom.StartsWith(BlobNaming.GetKindPrefix("task1", OutputKind.TaskOutput), StringComparison.Ordinal));

            var customJob = BlobNaming.GetBlobName(null, OutputKind.Parse("JobOutputOld", OutputScope.Job), "a.txt");
            Assert.False(customJob.StartsWith(BlobNaming.GetKindPrefix(null, OutputKind.JobOutput), StringComparison.Ordinal));
        }

        [Fact]
        public void Task_prefix_covers_every_kind_of_one_task_only()
        {
            Assert.Equal("t1/$", BlobNaming.GetTaskPrefix("t1"));
            Assert.Equal("$", BlobNaming.JobOutputsPrefix);

            var prefix = BlobNaming.GetTaskPrefix("t1");
            Assert.StartsWith(prefix, BlobNaming.GetBlobName("t1", OutputKind.TaskLog, "a.txt"), StringComparison.Ordinal);
            Assert.False(BlobNaming.GetBlobName("t10", OutputKind.TaskLog, "a.txt").StartsWith(prefix, StringComparison.Ordinal));
        }

        [Theory]
        [InlineData("t1/$taskoutput/a.txt", "t1", "taskoutput", "a.txt")]        // no canonicalisation when reading
        [InlineData("T_1/$TaskOutput/a/b/c.txt", "T_1", "TaskOutput", "a/b/c.txt")]
        [InlineData("t1/$TaskOutput/a/$b/c", "t1", "TaskOutput", "a/$b/c")]
        [InlineData("t1/$TaskOutput/dir/", "t1", "TaskOutput", "dir/")]           // verbatim, even when odd
        [InlineData("t1/$TaskOutput/../x", "t1", "TaskOutput", "../x")]           // judged later by TryGetSafeRelativePath
        [InlineData("t1/$Kind With Space/a", "t1", "Kind With Space", "a")]
        [InlineData("job:x/$TaskOutput/a", "job:x", "TaskOutput", "a")]           // not this module's to validate when reading
        public void TryParse_task_names(string blobName, string taskId, string kind, string path)
        {
            Assert.True(BlobNaming.TryParse(blobName, out var parsed));
            Assert.Equal(OutputScope.Task, parsed.Scope);
            Assert.Equal(taskId, parsed.TaskId);
            Assert.Equal(kind, parsed.Kind);
            Assert.Equal(path, parsed.Path);
        }

        [Theory]
        [InlineData("$JobOutput/a.txt", "JobOutput", "a.txt")]
        [InlineData("$joboutput/a+b.txt", "joboutput", "a+b.txt")]
        [InlineData("$JobPreview/x/y z%41.png", "JobPreview", "x/y z%41.png")]
        [InlineData("$Custom/$x/y", "Custom", "$x/y")]
        public void TryParse_job_names(string blobName, string kind, string path)
        {
            Assert.True(BlobNaming.TryParse(blobName, out var parsed));
            Assert.Equal(OutputScope.Job, parsed.Scope);
            Assert.Null(parsed.TaskId);
            Assert.Equal(kind, parsed.Kind);
            Assert.Equal(path, parsed.Path);
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        [InlineData("t1")]
        [InlineData("t1/")]
        [InlineData("t1/a.txt")]                 // no "/$": not a conventions name
        [InlineData("t1/TaskOutput/a.txt")]
        [InlineData("/$TaskOutput/a.txt")]       // empty task part
        [InlineData("t1/$/a.txt")]               // empty kind
        [InlineData("t1/$")]
        [InlineData("t1/$TaskOutput")]           // no '/' after the kind
        [InlineData("t1/$TaskOutput/")]          // empty path
        [InlineData("a/b/$TaskOutput/x")]        // a task ID cannot hold '/'
        [InlineData("$")]
        [InlineData("$JobOutput")]               // no '/' after the kind
        [InlineData("$JobOutput/")]              // empty path
        [InlineData("$/a.txt")]                  // empty kind
        [InlineData("$$")]
        [InlineData("readme.txt")]
        public void TryParse_refuses_names_outside_the_conventions(string blobName)
        {
            Assert.False(BlobNaming.TryParse(blobName, out var parsed));
            Assert.Null(parsed);
        }
    }
}
