using System;
using System.Linq;
using System.Text;
using Azure.Storage.Sas;

namespace AzBatchOutput.Storage
{
    /// <summary>SAS permission letters: parsing the user's text, and the least a task needs.</summary>
    public static class SasPermissions
    {
        /// <summary>What a task needs to save and track: create, write, add. No read, list or delete.</summary>
        public const string TaskDefault = "acw";

        // The service's canonical order; only the container-level permissions that make sense for job output.
        private const string Allowed = "racwdl";

        /// <summary>Validates and orders letters such as "lr" or "racwdl"; throws InvalidSasPermission otherwise.</summary>
        public static string Normalize(string text)
        {
            var letters = (text ?? string.Empty).Trim().ToLowerInvariant();
            var bad = letters.FirstOrDefault(c => Allowed.IndexOf(c) < 0);
            if (letters.Length == 0 || bad != default(char))
            {
                throw new BatchOutputException("InvalidSasPermission", FailureCategory.InvalidArgument,
                    $"-Permission '{text}' is not a set of SAS permission letters{(bad != default(char) ? $" ('{bad}' is not one)" : string.Empty)}. " +
                    "Use letters from 'racwdl': r=read, a=add, c=create, w=write, d=delete, l=list; a task needs 'acw'.", text);
            }

            var ordered = new StringBuilder();
            foreach (var c in Allowed.Where(c => letters.IndexOf(c) >= 0))
            {
                ordered.Append(c);
            }

            return ordered.ToString();
        }

        internal static BlobContainerSasPermissions ToContainerPermissions(string letters)
        {
            BlobContainerSasPermissions permissions = 0;
            foreach (var c in letters)
            {
                switch (c)
                {
                    case 'r': permissions |= BlobContainerSasPermissions.Read; break;
                    case 'a': permissions |= BlobContainerSasPermissions.Add; break;
                    case 'c': permissions |= BlobContainerSasPermissions.Create; break;
                    case 'w': permissions |= BlobContainerSasPermissions.Write; break;
                    case 'd': permissions |= BlobContainerSasPermissions.Delete; break;
                    case 'l': permissions |= BlobContainerSasPermissions.List; break;
                }
            }

            return permissions;
        }
    }
}
