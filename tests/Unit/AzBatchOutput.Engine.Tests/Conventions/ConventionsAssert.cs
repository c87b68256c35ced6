using System;
using System.Security.Cryptography;
using System.Text;
using AzBatchOutput;
using Xunit;

namespace AzBatchOutput.Engine.Tests.Conventions
{
    /// <summary>Helpers shared by the conventions tests.</summary>
    internal static class ConventionsAssert
    {
        /// <summary>
        /// SHA-1 of the UTF-8 bytes as lower-case hex, by a different route than the engine (one-shot HashData and
        /// Convert.ToHexStringLower) so a slip in the engine's own hex formatting cannot hide.
        /// </summary>
        public static string Sha1Hex(string text) => Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(text)));

        public static BatchOutputException Throws(string errorId, Action action)
        {
            var ex = Assert.Throws<BatchOutputException>(action);
            Assert.Equal(errorId, ex.ErrorId);
            Assert.Equal(FailureCategory.InvalidArgument, ex.Category);
            Assert.False(string.IsNullOrWhiteSpace(ex.Message));
            return ex;
        }

        public static BatchOutputException Throws(string errorId, Func<object> func) => Throws(errorId, () => { func(); });
    }
}
