using System;
using AzBatchOutput.Conventions;
using Xunit;
using static AzBatchOutput.Engine.Tests.Conventions.ConventionsAssert;

namespace AzBatchOutput.Engine.Tests.Conventions
{
    public class BatchIdsTests
    {
        [Theory]
        [InlineData("a")]
        [InlineData("Z")]
        [InlineData("0")]
        [InlineData("job-1")]
        [InlineData("My_Job-2")]
        [InlineData("-")]
        [InlineData("_")]
        [InlineData(":")]
        [InlineData("MySchedule:job-1")]
        [InlineData("job:my-job-1")]
        public void Valid_job_ids(string jobId)
        {
            Assert.True(BatchIds.IsValidJobId(jobId));
            Assert.Same(jobId, BatchIds.ValidateJobId(jobId));
        }

        [Fact]
        public void Job_id_of_64_characters_is_valid_and_65_is_not()
        {
            Assert.True(BatchIds.IsValidJobId(new string('J', 64)));
            Assert.False(BatchIds.IsValidJobId(new string('J', 65)));
            var ex = Throws("InvalidJobId", () => BatchIds.ValidateJobId(new string('J', 65)));
            Assert.Contains(new string('J', 65), ex.Message);
            Assert.Contains("65", ex.Message);
            Assert.Contains("64", ex.Message);
        }

        [Fact]
        public void Job_id_with_colon_may_reach_200_characters()
        {
            var id200 = "s:" + new string('j', 198);
            Assert.True(BatchIds.IsValidJobId(id200));
            Assert.Same(id200, BatchIds.ValidateJobId(id200));

            var id201 = id200 + "j";
            Assert.False(BatchIds.IsValidJobId(id201));
            var ex = Throws("InvalidJobId", () => BatchIds.ValidateJobId(id201));
            Assert.Contains("201", ex.Message);
            Assert.Contains("200", ex.Message);
        }

        [Theory]
        [InlineData("my job", ' ', 3)]
        [InlineData("job.1", '.', 4)]
        [InlineData("jöb", 'ö', 2)]
        [InlineData("job/1", '/', 4)]
        [InlineData("job$", '$', 4)]
        [InlineData("１job", '１', 1)] // full-width digit: a digit to char.IsDigit, not to Batch
        [InlineData("é", 'é', 1)]
        public void Job_id_with_a_bad_character_names_it_and_its_position(string jobId, char bad, int position)
        {
            Assert.False(BatchIds.IsValidJobId(jobId));
            var ex = Throws("InvalidJobId", () => BatchIds.ValidateJobId(jobId));
            Assert.Equal(jobId, ex.Target);
            Assert.Contains("'" + jobId + "'", ex.Message);
            Assert.Contains("'" + bad + "'", ex.Message);
            Assert.Contains("position " + position, ex.Message);
            Assert.Contains("letters, digits", ex.Message); // says what is allowed
        }

        [Fact]
        public void Control_character_in_a_job_id_is_shown_escaped()
        {
            var ex = Throws("InvalidJobId", () => BatchIds.ValidateJobId("a\tb"));
            Assert.DoesNotContain("\t", ex.Message);
            Assert.Contains("\\u0009", ex.Message);
            Assert.Contains("position 2", ex.Message);
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        public void Empty_job_id_is_refused(string jobId)
        {
            Assert.False(BatchIds.IsValidJobId(jobId));
            var ex = Throws("InvalidJobId", () => BatchIds.ValidateJobId(jobId));
            Assert.Contains("empty", ex.Message);
            Assert.Equal(jobId, ex.Target);
        }

        [Theory]
        [InlineData("t")]
        [InlineData("task-1")]
        [InlineData("Task_01")]
        [InlineData("-")]
        [InlineData("analysis-309")]
        public void Valid_task_ids(string taskId)
        {
            Assert.True(BatchIds.IsValidTaskId(taskId));
            Assert.Same(taskId, BatchIds.ValidateTaskId(taskId));
        }

        [Fact]
        public void Task_id_of_64_characters_is_valid_and_65_is_not()
        {
            Assert.True(BatchIds.IsValidTaskId(new string('t', 64)));
            Assert.False(BatchIds.IsValidTaskId(new string('t', 65)));
            var ex = Throws("InvalidTaskId", () => BatchIds.ValidateTaskId(new string('t', 65)));
            Assert.Contains(new string('t', 65), ex.Message);
            Assert.Contains("65", ex.Message);
            Assert.Contains("64", ex.Message);
        }

        [Theory]
        [InlineData("a:b", ':', 2)]        // ':' is only for scheduled job IDs
        [InlineData("task 1", ' ', 5)]
        [InlineData("t/1", '/', 2)]
        [InlineData("$t", '$', 1)]
        [InlineData("t.1", '.', 2)]
        public void Task_id_with_a_bad_character_names_it_and_its_position(string taskId, char bad, int position)
        {
            Assert.False(BatchIds.IsValidTaskId(taskId));
            var ex = Throws("InvalidTaskId", () => BatchIds.ValidateTaskId(taskId));
            Assert.Equal(taskId, ex.Target);
            Assert.Contains("'" + taskId + "'", ex.Message);
            Assert.Contains("'" + bad + "'", ex.Message);
            Assert.Contains("position " + position, ex.Message);
            Assert.Contains("letters, digits", ex.Message);
        }

        [Theory]
        [InlineData(null)]
        [InlineData("")]
        public void Empty_task_id_is_refused(string taskId)
        {
            Assert.False(BatchIds.IsValidTaskId(taskId));
            var ex = Throws("InvalidTaskId", () => BatchIds.ValidateTaskId(taskId));
            Assert.Contains("empty", ex.Message);
        }
    }
}
