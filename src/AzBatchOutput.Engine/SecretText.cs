using System.Text.RegularExpressions;

namespace AzBatchOutput
{
    /// <summary>Takes secrets out of text that is about to be shown: a URL's query, and the secret parts of connection strings and SAS tokens.</summary>
    internal static class SecretText
    {
        // Query strings of URLs, and key=value pairs of connection strings and SAS tokens that hold secrets.
        private static readonly Regex UrlQuery = new Regex(@"(https?://[^\s?'""]*)\?[^\s'""]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
        private static readonly Regex SecretPair = new Regex(@"\b(sig|AccountKey|SharedAccessSignature|skoid|sktid|skv)=[^;&\s'""]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

        public static string Scrub(string text) =>
            string.IsNullOrEmpty(text) ? text : SecretPair.Replace(UrlQuery.Replace(text, "$1?..."), "$1=...");
    }
}
