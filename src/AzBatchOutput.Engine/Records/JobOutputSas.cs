using System;

namespace AzBatchOutput
{
    /// <summary>
    /// A job container SAS URL to hand to tasks. <see cref="Url"/> holds the signature: the default view and
    /// <see cref="ToString"/> leave it out, so it is shown only when asked for by name.
    /// </summary>
    public sealed class JobOutputSas
    {
        public string JobId { get; set; }

        public string ContainerName { get; set; }

        /// <summary>The container URL with the SAS token: give it to tasks as AZBATCHOUTPUT_CONTAINER_URL.</summary>
        public string Url { get; set; }

        public DateTimeOffset ExpiresOn { get; set; }

        /// <summary>Permission letters in the service's order, e.g. "acw".</summary>
        public string Permissions { get; set; }

        /// <summary>"Service" (signed with the account key) or "UserDelegation" (signed with an Entra ID key).</summary>
        public string SignedWith { get; set; }

        public override string ToString() => $"SAS for {ContainerName} ({Permissions}, expires {ExpiresOn:u})";
    }
}
