using System;
using System.Net.Http;
using System.Net.Sockets;
using AzBatchOutput.Storage;
using Azure;
using Xunit;

namespace AzBatchOutput.Engine.Tests.Storage
{
    /// <summary>Only DNS's definite "no such host" skips the retries; a lookup that timed out, and every other fault, is retried.</summary>
    public class UnknownHostRetryPolicyTests
    {
        private static Exception AsTheSdkThrowsIt(SocketError error) =>
            new RequestFailedException("the request failed", new HttpRequestException("sending failed", new SocketException((int)error)));

        [Fact]
        public void AHostDnsDoesNotKnowIsUnknownAtAnyDepth()
        {
            Assert.True(UnknownHostRetryPolicy.IsUnknownHost(AsTheSdkThrowsIt(SocketError.HostNotFound)));
            Assert.True(UnknownHostRetryPolicy.IsUnknownHost(new SocketException((int)SocketError.HostNotFound)));
        }

        [Theory]
        [InlineData(SocketError.TryAgain)]
        [InlineData(SocketError.ConnectionRefused)]
        [InlineData(SocketError.ConnectionReset)]
        [InlineData(SocketError.TimedOut)]
        [InlineData(SocketError.NoData)]
        public void OtherSocketFaultsAreStillRetried(SocketError error)
        {
            Assert.False(UnknownHostRetryPolicy.IsUnknownHost(AsTheSdkThrowsIt(error)));
        }

        [Fact]
        public void NoExceptionOrAnotherKindIsNotAnUnknownHost()
        {
            Assert.False(UnknownHostRetryPolicy.IsUnknownHost(null));
            Assert.False(UnknownHostRetryPolicy.IsUnknownHost(new RequestFailedException(503, "Server busy")));
            Assert.False(UnknownHostRetryPolicy.IsUnknownHost(new OperationCanceledException()));
        }
    }
}
