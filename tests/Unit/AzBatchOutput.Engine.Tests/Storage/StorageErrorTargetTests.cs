using System;
using AzBatchOutput.Storage;
using Azure;
using Xunit;

namespace AzBatchOutput.Engine.Tests.Storage
{
    /// <summary>The message names a file as a sentence does; the error's target is the bare path or blob name a script can reuse.</summary>
    public class StorageErrorTargetTests
    {
        [Fact]
        public void TheTargetIsTheBarePathWhileTheMessageQuotesIt()
        {
            var refused = new RequestFailedException(404, "not found", "ContainerNotFound", null);

            var error = StorageErrors.Translate(refused, "save", "'/data/a.txt' as 't1/$TaskOutput/a.txt'", null, default, "/data/a.txt");

            Assert.Equal("JobContainerNotFound", error.ErrorId);
            Assert.Equal("/data/a.txt", error.Target);
            Assert.Contains("Could not save '/data/a.txt' as 't1/$TaskOutput/a.txt'", error.Message);
        }

        [Fact]
        public void WithoutATargetObjectTheDescriptionIsTheTarget()
        {
            var error = StorageErrors.Translate(new RequestFailedException(404, "not found", "BlobNotFound", null), "download", "the report's files", null);

            Assert.Equal("the report's files", error.Target);
        }

        [Fact]
        public void AnErrorAlreadyExplainedKeepsItsOwnTarget()
        {
            var known = new BatchOutputException("LocalFileChanged", FailureCategory.ReadError, "changed", "/data/log.txt");

            Assert.Same(known, StorageErrors.Translate(known, "save", "'x'", null, default, "other"));
        }
    }
}
