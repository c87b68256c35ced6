using System;
using System.Management.Automation;
using System.Security.Cryptography;
using System.Text;
using AzBatchOutput.Storage;

namespace AzBatchOutput.AzContext
{
    /// <summary>
    /// The last place a call looks for storage: the account chosen in the current Az context with Az.Storage's
    /// Set-AzCurrentStorageAccount (what Az.Storage's own cmdlets use when given no -Context), reached with the Az
    /// login's Entra ID tokens. Runs on the pipeline thread, like everything that talks to Az.Accounts.
    /// </summary>
    internal static class AzCurrentStorage
    {
        public const string Source = "current Az context";

        private static readonly object Gate = new object();
        private static string _fingerprint;
        private static BatchOutputStorageContext _context;

        /// <returns>The context, or null when Az.Accounts is not available or nobody is signed in.</returns>
        public static BatchOutputStorageContext TryResolve(PSCmdlet cmdlet)
        {
            var azContext = AzAccounts.TryGetContext(cmdlet);
            if (azContext == null)
            {
                return null;
            }

            var current = AzAccounts.CurrentStorageAccountOf(azContext);
            if (string.IsNullOrWhiteSpace(current))
            {
                throw new BatchOutputException("NoStorageConfigured", FailureCategory.InvalidOperation,
                    "You are signed in to Azure, but no storage account is chosen for Batch output. Run " +
                    "Set-AzCurrentStorageAccount -ResourceGroupName <group> -Name <account> (Az.Storage) or " +
                    "Connect-BatchOutputStorage -StorageAccountName <account>, or pass -Context.");
            }

            var suffix = AzAccounts.StorageEndpointSuffixOf(azContext);
            // The value holds the account key: remember only its hash, to reuse one context (and its connections).
            var fingerprint = Fingerprint(current + "\n" + suffix);
            lock (Gate)
            {
                if (string.Equals(fingerprint, _fingerprint, StringComparison.Ordinal))
                {
                    return _context;
                }
            }

            var context = StorageContexts.FromAzCurrentStorageAccount(current, new AzLoginTokenSource(), suffix, Source);
            AzAccounts.GetStorageToken(cmdlet); // a login that cannot give a storage token fails here, clearly
            cmdlet.WriteVerbose($"Batch output storage from the {Source} (Set-AzCurrentStorageAccount), with the Az login: {context}.");
            lock (Gate)
            {
                _fingerprint = fingerprint;
                _context = context;
            }

            return context;
        }

        private static string Fingerprint(string text)
        {
            using (var sha = SHA256.Create())
            {
                return Convert.ToBase64String(sha.ComputeHash(Encoding.UTF8.GetBytes(text)));
            }
        }
    }
}
