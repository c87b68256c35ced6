using System;
using System.Threading;
using System.Threading.Tasks;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Azure.Storage.Sas;
using AzBatchOutput.Conventions;

namespace AzBatchOutput.Storage
{
    /// <summary>
    /// Issues SAS URLs: a job container SAS for tasks (least privilege by default, bounded expiry), and short-lived
    /// read links for single outputs. Signed with the account key, or with a user-delegation key under Entra ID.
    /// </summary>
    public static class SasIssuer
    {
        public static readonly TimeSpan DefaultLifetime = TimeSpan.FromDays(7);

        /// <summary>The service's own limit for user-delegation SAS, used for both kinds so a task's URL never outlives a week's job by much.</summary>
        public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(7);

        // Allows for clock skew between this machine and the storage service.
        private static readonly TimeSpan StartBackdate = TimeSpan.FromMinutes(5);

        public static async Task<JobOutputSas> IssueContainerSasAsync(
            BatchOutputStorageContext context, string jobId, DateTimeOffset? expiresOn, string permissions, CancellationToken cancellationToken)
        {
            var containerName = ContainerNaming.GetContainerName(jobId);
            var letters = SasPermissions.Normalize(permissions ?? SasPermissions.TaskDefault);
            var expiry = CheckExpiry(expiresOn ?? DateTimeOffset.UtcNow.Add(DefaultLifetime));
            var container = ContainerFor(context, containerName);
            var builder = new BlobSasBuilder(SasPermissions.ToContainerPermissions(letters), expiry)
            {
                BlobContainerName = containerName,
                Resource = "c",
                StartsOn = DateTimeOffset.UtcNow - StartBackdate,
                Protocol = ProtocolFor(context),
            };
            var (uri, signedWith) = await SignAsync(context, container, builder, cancellationToken).ConfigureAwait(false);
            return new JobOutputSas
            {
                JobId = jobId,
                ContainerName = containerName,
                Url = uri.ToString(),
                ExpiresOn = expiry,
                Permissions = letters,
                SignedWith = signedWith,
            };
        }

        /// <summary>A read-only link to one output, valid until <paramref name="expiresOn"/>.</summary>
        public static async Task<Uri> GetBlobReadUriAsync(
            BatchOutputStorageContext context, string containerName, string blobName, DateTimeOffset expiresOn, CancellationToken cancellationToken)
        {
            var container = ContainerFor(context, containerName);
            var builder = new BlobSasBuilder(BlobSasPermissions.Read, CheckExpiry(expiresOn))
            {
                BlobContainerName = containerName,
                BlobName = blobName,
                Resource = "b",
                StartsOn = DateTimeOffset.UtcNow - StartBackdate,
                Protocol = ProtocolFor(context),
            };
            var (uri, _) = await SignAsync(context, container, builder, cancellationToken).ConfigureAwait(false);
            return uri;
        }

        private static BlobContainerClient ContainerFor(BatchOutputStorageContext context, string containerName)
        {
            if (context.IsContainerScoped)
            {
                throw new BatchOutputException("CannotIssueSas", FailureCategory.InvalidOperation,
                    $"The storage context is itself a SAS for container '{context.ContainerName}' and cannot sign another. " +
                    "Connect with an account key, a connection string with a key, or an Entra ID login to issue SAS URLs.", containerName);
            }

            return context.GetServiceClient().GetBlobContainerClient(containerName);
        }

        private static async Task<(Uri Uri, string SignedWith)> SignAsync(
            BatchOutputStorageContext context, BlobContainerClient container, BlobSasBuilder builder, CancellationToken cancellationToken)
        {
            if (container.CanGenerateSasUri)
            {
                return (builder.BlobName == null ? container.GenerateSasUri(builder) : container.GetBlobClient(builder.BlobName).GenerateSasUri(builder), "Service");
            }

            if (context.Authentication != StorageAuthentication.EntraId)
            {
                throw new BatchOutputException("CannotIssueSas", FailureCategory.InvalidOperation,
                    $"Storage account '{context.StorageAccountName}' was connected with a SAS, which cannot sign another. " +
                    "Connect with an account key or an Entra ID login to issue SAS URLs.", context.StorageAccountName);
            }

            try
            {
                var service = context.GetServiceClient();
                var key = await DelegationKeyFor(context, builder.ExpiresOn, cancellationToken).ConfigureAwait(false);
                var query = builder.ToSasQueryParameters(key, service.AccountName).ToString();
                var target = builder.BlobName == null ? container.Uri : container.GetBlobClient(builder.BlobName).Uri;
                return (new UriBuilder(target) { Query = query }.Uri, "UserDelegation");
            }
            catch (Exception ex) when (!(ex is BatchOutputException))
            {
                throw StorageErrors.Translate(ex, "get a user delegation key for", $"container '{container.Name}'", context, targetObject: container.Name);
            }
        }

        /// <summary>
        /// One user-delegation key serves many SAS (a report's links, say): reuse the context's key while it outlives
        /// the SAS, else ask for one valid at least an hour (the service's own limit is 7 days).
        /// </summary>
        private static async Task<UserDelegationKey> DelegationKeyFor(BatchOutputStorageContext context, DateTimeOffset sasExpiry, CancellationToken cancellationToken)
        {
            var holder = DelegationKeys.GetOrCreateValue(context);
            var cached = holder.Key;
            if (cached != null && cached.SignedExpiresOn >= sasExpiry && cached.SignedStartsOn <= DateTimeOffset.UtcNow)
            {
                return cached;
            }

            var now = DateTimeOffset.UtcNow;
            var keyExpiry = sasExpiry > now.AddHours(1) ? sasExpiry : now.AddHours(1);
            if (keyExpiry > now + MaxLifetime)
            {
                keyExpiry = now + MaxLifetime;
            }

            var fresh = await context.GetServiceClient().GetUserDelegationKeyAsync(now - StartBackdate, keyExpiry, cancellationToken).ConfigureAwait(false);
            holder.Key = fresh.Value;
            return fresh.Value;
        }

        private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<BatchOutputStorageContext, DelegationKeyHolder> DelegationKeys =
            new System.Runtime.CompilerServices.ConditionalWeakTable<BatchOutputStorageContext, DelegationKeyHolder>();

        private sealed class DelegationKeyHolder
        {
            public volatile UserDelegationKey Key;
        }

        private static DateTimeOffset CheckExpiry(DateTimeOffset expiresOn)
        {
            var now = DateTimeOffset.UtcNow;
            if (expiresOn <= now)
            {
                throw new BatchOutputException("InvalidSasExpiry", FailureCategory.InvalidArgument,
                    $"-ExpiryTime {expiresOn:u} is in the past. Give a time within the next {MaxLifetime.TotalDays:0} days.", expiresOn);
            }

            if (expiresOn > now + MaxLifetime + TimeSpan.FromMinutes(1))
            {
                throw new BatchOutputException("InvalidSasExpiry", FailureCategory.InvalidArgument,
                    $"-ExpiryTime {expiresOn:u} is more than {MaxLifetime.TotalDays:0} days away. A task's SAS should be short-lived: " +
                    "issue a new one for a longer job (the service limits user-delegation SAS to 7 days).", expiresOn);
            }

            // "7 days" typed a moment ago is a little more than 7 days from now: held to the limit, so that a
            // user-delegation SAS never claims to outlive its key (whose own limit is 7 days from when it is asked for).
            // Whole seconds, as the SAS writes it ('se'), so the expiry reported is the one the SAS holds.
            var held = expiresOn > now + MaxLifetime ? now + MaxLifetime : expiresOn;
            return new DateTimeOffset(held.UtcTicks - (held.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        }

        private static SasProtocol ProtocolFor(BatchOutputStorageContext context) =>
            context.BlobEndpoint.Scheme == Uri.UriSchemeHttps ? SasProtocol.Https : SasProtocol.HttpsAndHttp;
    }
}
