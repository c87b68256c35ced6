using AzBatchOutput.Storage;
using Xunit;

namespace AzBatchOutput.Engine.Tests.Storage
{
    /// <summary>An account-wide context keeps the client of the container it was last asked for, and only that one.</summary>
    public class ContainerClientTests
    {
        private const string Key = "a2V5a2V5a2V5a2V5";

        [Fact]
        public void EachRequestGetsTheContainerItNamedWhateverWasAskedBefore()
        {
            var context = StorageContexts.FromAccountKey("acct", Key);

            var first = context.GetContainerClient("job-a");
            Assert.Same(first, context.GetContainerClient("job-a"));
            Assert.Equal("job-b", context.GetContainerClient("job-b").Name);
            Assert.Equal("job-a", context.GetContainerClient("job-a").Name);
            Assert.Equal("https://acct.blob.core.windows.net/job-a", context.GetContainerClient("job-a").Uri.AbsoluteUri);
        }
    }
}
