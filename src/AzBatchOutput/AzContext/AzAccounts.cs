using System;
using System.Linq;
using System.Management.Automation;
using System.Security;
using AzBatchOutput.Credentials;
using AzBatchOutput.Pipeline;

namespace AzBatchOutput.AzContext
{
    /// <summary>
    /// Talks to Az.Accounts in the caller's session, on the pipeline thread only: Get-AzAccessToken for storage
    /// tokens (Token is a string before Az.Accounts 5.0 and a SecureString from 5.0 on) and Get-AzContext for the
    /// cloud's storage endpoint suffix and the storage account Set-AzCurrentStorageAccount chose.
    /// </summary>
    internal static class AzAccounts
    {
        public const string StorageResource = "https://storage.azure.com/";

        public static AccessTokenInfo GetStorageToken(PSCmdlet cmdlet)
        {
            RequireCommand(cmdlet, "Get-AzAccessToken");
            PSObject result;
            try
            {
                result = cmdlet.InvokeCommand.InvokeScript($"Get-AzAccessToken -ResourceUrl '{StorageResource}' -ErrorAction Stop").LastOrDefault();
            }
            catch (RuntimeException error)
            {
                throw new BatchOutputException("AzLoginRequired", FailureCategory.AuthenticationError,
                    $"Get-AzAccessToken could not get a token for Azure Storage ({FirstLine(error.Message)}). Run Connect-AzAccount, then try again.");
            }

            var token = result?.Properties["Token"]?.Value;
            var text = token is SecureString secure ? SecureStrings.Unprotect(secure)
                : (token as PSObject)?.BaseObject is SecureString wrapped ? SecureStrings.Unprotect(wrapped)
                : token?.ToString();
            if (string.IsNullOrEmpty(text))
            {
                throw new BatchOutputException("AzLoginRequired", FailureCategory.AuthenticationError,
                    "Get-AzAccessToken returned no token for Azure Storage. Run Connect-AzAccount, then try again.");
            }

            return new AccessTokenInfo(text, ReadExpiry(result.Properties["ExpiresOn"]?.Value));
        }

        /// <summary>The current Az environment's storage suffix (core.windows.net, core.chinacloudapi.cn, ...), or null without one.</summary>
        public static string GetStorageEndpointSuffix(PSCmdlet cmdlet)
        {
            RequireCommand(cmdlet, "Get-AzContext");
            PSObject context;
            try
            {
                context = cmdlet.InvokeCommand.InvokeScript("Get-AzContext").LastOrDefault();
            }
            catch (RuntimeException)
            {
                context = null; // a broken Az session (an expired or cleared context cache): the same advice as none
            }

            if (context == null || context.BaseObject == null)
            {
                throw new BatchOutputException("AzLoginRequired", FailureCategory.AuthenticationError,
                    "There is no Az context in this session. Run Connect-AzAccount (and Set-AzContext for the right subscription), then try again.");
            }

            return StorageEndpointSuffixOf(context);
        }

        /// <summary>The current Az context, or null when Az.Accounts is not available or nobody is signed in.</summary>
        public static PSObject TryGetContext(PSCmdlet cmdlet)
        {
            if (!HasCommand(cmdlet, "Get-AzContext"))
            {
                return null;
            }

            try
            {
                var context = cmdlet.InvokeCommand.InvokeScript("Get-AzContext").LastOrDefault();
                return context?.BaseObject == null ? null : context;
            }
            catch (RuntimeException)
            {
                return null;
            }
        }

        public static string StorageEndpointSuffixOf(PSObject context)
        {
            var suffix = AzObjects.Text(AzObjects.Property(context, "Environment"), "StorageEndpointSuffix");
            return string.IsNullOrWhiteSpace(suffix) ? null : suffix.Trim().TrimStart('.');
        }

        /// <summary>
        /// What Az.Storage's Set-AzCurrentStorageAccount chose: PSAzureSubscription.CurrentStorageAccount, the
        /// account's connection string (with its key) or a bare account name. A secret: never show it.
        /// </summary>
        public static string CurrentStorageAccountOf(PSObject context) =>
            AzObjects.Text(AzObjects.Property(context, "Subscription"), "CurrentStorageAccount");

        private static bool HasCommand(PSCmdlet cmdlet, string name) =>
            cmdlet.InvokeCommand.GetCommand(name, CommandTypes.Cmdlet | CommandTypes.Function | CommandTypes.Alias) != null;

        private static void RequireCommand(PSCmdlet cmdlet, string name)
        {
            if (!HasCommand(cmdlet, name))
            {
                throw new BatchOutputException("AzAccountsNotLoaded", FailureCategory.ObjectNotFound,
                    $"{name} is not available: the Az.Accounts module is not installed or not imported. " +
                    "Run Install-Module Az.Accounts and Connect-AzAccount, or connect with -ConnectionString, -StorageAccountKey or -ContainerUrl instead.");
            }
        }

        private static DateTimeOffset ReadExpiry(object value)
        {
            switch (value is PSObject wrapped ? wrapped.BaseObject : value)
            {
                case DateTimeOffset offset:
                    return offset;
                case DateTime time:
                    return new DateTimeOffset(time.ToUniversalTime(), TimeSpan.Zero);
                default:
                    return DateTimeOffset.UtcNow.AddMinutes(5); // unknown: ask again soon rather than use a dead token
            }
        }

        private static string FirstLine(string text)
        {
            var cut = (text ?? string.Empty).IndexOfAny(new[] { '\r', '\n' });
            return cut < 0 ? text : text.Substring(0, cut);
        }
    }
}
