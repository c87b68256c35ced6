using System;
using System.Linq;
using System.Management.Automation;
using AzBatchOutput.Module.Tests.Infrastructure;
using Xunit;

namespace AzBatchOutput.Module.Tests
{
    /// <summary>A task's SAS: least privilege by default, bounded, and every refusal a clear error.</summary>
    public class SasTests
    {
        private static (ModuleSession Admin, string JobId) AdminWithJob()
        {
            var admin = ModuleSession.Start();
            var jobId = TestStorage.NewJobId("Sas");
            admin.InitializeJob(jobId);
            admin.Folder.WriteRandomFile("admin.txt", 10);
            admin.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t0 -Path admin.txt | Out-Null", ("JobId", jobId)).ThrowIfFailed();
            return (admin, jobId);
        }

        [Fact]
        public void TheDefaultSasSavesButCannotListReadOrDelete()
        {
            var (admin, jobId) = AdminWithJob();
            using (admin)
            {
                var sas = admin.Run("New-BatchJobOutputSas -JobId $JobId").ThrowIfFailed().Output.Single();
                Assert.Equal("acw", sas.Str("Permissions"));
                Assert.Equal("Service", sas.Str("SignedWith"));
                var expires = (DateTimeOffset)sas.Prop("ExpiresOn");
                Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromDays(6.99), TimeSpan.FromDays(7.01));
                Assert.DoesNotContain("sig=", sas.BaseObject.ToString());

                using var task = ModuleSession.Start(connect: false);
                task.Run("Connect-BatchOutputStorage -ContainerUrl $Url | Out-Null", ("Url", sas.Str("Url"))).ThrowIfFailed();
                task.Folder.WriteRandomFile("result.txt", 99);
                var saved = task.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path result.txt", ("JobId", jobId)).ThrowIfFailed().Output.Single();
                Assert.Equal("t1/$TaskOutput/result.txt", saved.Str("BlobName"));

                AssertRefused(task.Run("Get-BatchTaskOutput -JobId $JobId"), "list");
                task.SetVariable("Listed", admin.Run("Get-BatchTaskOutput -JobId $JobId -TaskId t0").ThrowIfFailed().Output.Single().BaseObject);
                AssertRefused(task.Run("$Listed | Receive-BatchOutput -Destination dl -Context (Connect-BatchOutputStorage -ContainerUrl $Url)"), "download");
                AssertRefused(task.Run("$Listed | Remove-BatchOutput -Context (Connect-BatchOutputStorage -ContainerUrl $Url)"), "remove");
                Assert.Equal(2, admin.Run("Get-BatchTaskOutput -JobId $JobId").ThrowIfFailed().Output.Count);
                Assert.False(System.IO.Directory.Exists(task.Folder.Combine("dl", "t0")) && System.IO.Directory.GetFiles(task.Folder.Combine("dl", "t0"), "*", System.IO.SearchOption.AllDirectories).Length > 0);
            }
        }

        private static void AssertRefused(PSResult result, string action)
        {
            var error = result.SingleError();
            Assert.StartsWith("StoragePermissionDenied,", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.PermissionDenied, error.CategoryInfo.Category);
            Assert.Contains(action, error.ToString());
            Assert.Contains("-Permission", error.ToString());
            Assert.DoesNotContain("sig=", error.ToString());
            Assert.Null(error.Exception.InnerException);
        }

        [Fact]
        public void ExpiryTimeTakesADateTimeOffsetAsTheSameInstant()
        {
            var (admin, jobId) = AdminWithJob();
            using (admin)
            {
                // Two hours from now written in UTC+05:30, as Az.Storage's own -ExpiryTime values come.
                var wanted = new DateTimeOffset(DateTime.UtcNow.AddHours(2).Ticks / TimeSpan.TicksPerSecond * TimeSpan.TicksPerSecond, TimeSpan.Zero);
                var result = admin.Run("New-BatchJobOutputSas -JobId $JobId -ExpiryTime $Expiry",
                    ("Expiry", wanted.ToOffset(TimeSpan.FromMinutes(330)))).ThrowIfFailed().Output.Single();
                Assert.Equal(wanted, (DateTimeOffset)result.Prop("ExpiresOn"));
                Assert.Contains("se=" + Uri.EscapeDataString(wanted.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)), result.Str("Url"));
            }
        }

        [Fact]
        public void PermissionChoosesExactlyWhatTheSasAllows()
        {
            var (admin, jobId) = AdminWithJob();
            using (admin)
            {
                var sas = admin.Run("New-BatchJobOutputSas -JobId $JobId -Permission lr -ExpiryTime ([DateTime]::UtcNow.AddHours(2))").ThrowIfFailed().Output.Single();
                Assert.Equal("rl", sas.Str("Permissions"));
                using var reader = ModuleSession.Start(connect: false);
                reader.Run("Connect-BatchOutputStorage -ContainerUrl $Url | Out-Null", ("Url", sas.Str("Url"))).ThrowIfFailed();
                Assert.Single(reader.Run("Get-BatchTaskOutput -JobId $JobId", ("JobId", jobId)).ThrowIfFailed().Output);
                reader.Folder.WriteRandomFile("x.txt", 1);
                var error = reader.Run("Save-BatchTaskOutput -JobId $JobId -TaskId t1 -Path x.txt").SingleError();
                Assert.StartsWith("StoragePermissionDenied,", error.FullyQualifiedErrorId);
            }
        }

        [Theory]
        [InlineData("New-BatchJobOutputSas -JobId $JobId -Permission rwx", "InvalidSasPermission", "'x'")]
        [InlineData("New-BatchJobOutputSas -JobId $JobId -ExpiryTime ([DateTime]::UtcNow.AddDays(30))", "InvalidSasExpiry", "7 days")]
        [InlineData("New-BatchJobOutputSas -JobId $JobId -ExpiryTime ([DateTime]::UtcNow.AddMinutes(-1))", "InvalidSasExpiry", "past")]
        public void BadSasRequestsAreRefused(string script, string errorId, string named)
        {
            using var session = ModuleSession.Start();
            var error = session.Run(script, ("JobId", TestStorage.NewJobId())).SingleError();
            Assert.StartsWith(errorId + ",", error.FullyQualifiedErrorId);
            Assert.Equal(ErrorCategory.InvalidArgument, error.CategoryInfo.Category);
            Assert.Contains(named, error.ToString());
        }

        [Fact]
        public void ASasContextCannotSignAnother()
        {
            var (admin, jobId) = AdminWithJob();
            using (admin)
            {
                var url = admin.Run("(New-BatchJobOutputSas -JobId $JobId).Url").ThrowIfFailed().Output.Single().ToString();
                using var task = ModuleSession.Start(connect: false);
                task.Run("Connect-BatchOutputStorage -ContainerUrl $Url | Out-Null", ("Url", url)).ThrowIfFailed();
                var error = task.Run("New-BatchJobOutputSas -JobId $JobId", ("JobId", jobId)).SingleError();
                Assert.StartsWith("CannotIssueSas,", error.FullyQualifiedErrorId);
                Assert.Equal(ErrorCategory.InvalidOperation, error.CategoryInfo.Category);
            }
        }
    }
}
