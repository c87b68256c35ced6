using System.Security.Cryptography;
using System.Text;

namespace AzBatchOutput.Conventions
{
    /// <summary>
    /// The conventions' job ID → container name mapping (conventions.md section 1). The portal, Batch Explorer and the
    /// .NET library compute the same name, so every step here must match them byte for byte.
    /// </summary>
    public static class ContainerNaming
    {
        private const string Prefix = "job-";

        /// <summary>Longest lower-cased ID used verbatim: "job-" plus 59 characters is 63, the container name limit.</summary>
        private const int MaxVerbatimLength = 59;

        /// <summary>How much readable text the hashed form keeps in front of the hash.</summary>
        private const int MaxReadableLength = 15;

        public static string GetContainerName(string jobId)
        {
            BatchIds.ValidateJobId(jobId);

            // Invariant lower-casing, not the current culture: a Turkish 'I' must not change the container.
            var lower = jobId.ToLowerInvariant();
            if (IsUsableVerbatim(lower))
            {
                return Prefix + lower;
            }

            // Lower-casing can merge distinct IDs ("Job_A" and "job_a") and the readable part loses characters, so a
            // hash of the whole lower-cased ID keeps different IDs in different containers.
            var readable = CollapseSeparators(lower).Trim('-');
            if (readable.Length > MaxReadableLength)
            {
                // Cutting can leave a '-' at the end, which would make "--" next to the hash's separator.
                readable = readable.Substring(0, MaxReadableLength).Trim('-');
            }
            else if (readable.Length == 0)
            {
                readable = "job";
            }

            return Prefix + readable + "-" + Sha1Hex(lower);
        }

        /// <summary>A valid container name as it stands: lower-case letters, digits and single inner dashes.</summary>
        private static bool IsUsableVerbatim(string lower)
        {
            if (lower.Length == 0 || lower.Length > MaxVerbatimLength)
            {
                return false;
            }

            if (!IsLowerAlphanumeric(lower[0]) || lower[lower.Length - 1] == '-')
            {
                return false;
            }

            for (var i = 1; i < lower.Length; i++)
            {
                var c = lower[i];
                if (c == '-')
                {
                    if (lower[i - 1] == '-')
                    {
                        return false;
                    }
                }
                else if (!IsLowerAlphanumeric(c))
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsLowerAlphanumeric(char c) => (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');

        private static bool IsSeparator(char c) => c == ':' || c == '_' || c == '-';

        /// <summary>Each run of ':', '_' and '-' (mixed too) becomes one '-', since container names allow only single dashes.</summary>
        private static string CollapseSeparators(string text)
        {
            var builder = new StringBuilder(text.Length);
            var inRun = false;
            foreach (var c in text)
            {
                if (IsSeparator(c))
                {
                    if (!inRun)
                    {
                        builder.Append('-');
                        inRun = true;
                    }
                }
                else
                {
                    builder.Append(c);
                    inRun = false;
                }
            }

            return builder.ToString();
        }

        private static string Sha1Hex(string text)
        {
            byte[] hash;
            using (var sha1 = SHA1.Create())
            {
                hash = sha1.ComputeHash(Encoding.UTF8.GetBytes(text));
            }

            const string digits = "0123456789abcdef";
            var chars = new char[hash.Length * 2];
            for (var i = 0; i < hash.Length; i++)
            {
                chars[2 * i] = digits[hash[i] >> 4];
                chars[(2 * i) + 1] = digits[hash[i] & 0xF];
            }

            return new string(chars);
        }
    }
}
