using AzBatchOutput.Report;
using Xunit;

namespace AzBatchOutput.Engine.Tests.Report
{
    /// <summary>A report's default file name is a file name on any system the page may be copied to; a path no system takes is a clear error.</summary>
    public class ReportFileNameTests
    {
        [Theory]
        [InlineData("render-2026-11", "render-2026-11.html")]
        [InlineData("schedule:job-1", "schedule_job-1.html")]
        [InlineData("con", "con_.html")]
        [InlineData("NUL", "NUL_.html")]
        [InlineData("com1", "com1_.html")]
        [InlineData("console", "console.html")]
        [InlineData("aux-job", "aux-job.html")]
        public void TheJobIdBecomesASafeFileName(string jobId, string expected)
        {
            Assert.Equal(expected, ReportWriter.DefaultFileName(jobId));
        }

        [Fact]
        public void APathTheSystemRefusesIsALocalFileErrorNotARawException()
        {
            var path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "bad\0name.html");

            var error = Assert.Throws<BatchOutputException>(() => ReportWriter.Write(path, "<html></html>"));

            Assert.Equal("LocalFileError", error.ErrorId);
            Assert.Equal(FailureCategory.WriteError, error.Category);
            Assert.Equal(path, error.Target);
            Assert.StartsWith("Could not write the report to '", error.Message);
        }
    }
}
