using System;
using AzBatchOutput.Storage;

namespace AzBatchOutput.AzContext
{
    /// <summary>
    /// A Batch account's linked auto-storage account, from Az.Batch's BatchAccountContext (Get-AzBatchAccount) or
    /// anything with AutoStorageProperties.StorageAccountId: where the portal looks for a job's outputs.
    /// </summary>
    internal static class BatchAccountStorage
    {
        public static string LinkedStorageAccountName(object batchContext)
        {
            var batchAccount = AzObjects.Text(batchContext, "AccountName");
            var storageId = AzObjects.Text(AzObjects.Property(batchContext, "AutoStorageProperties"), "StorageAccountId");
            if (string.IsNullOrWhiteSpace(storageId))
            {
                throw batchAccount == null
                    ? new BatchOutputException("NoLinkedStorageAccount", FailureCategory.ObjectNotFound,
                        "The -BatchContext given names neither a Batch account (AccountName) nor its linked storage account " +
                        "(AutoStorageProperties.StorageAccountId). Pass the context from Get-AzBatchAccount, or connect to a storage account directly.", "BatchContext")
                    : new BatchOutputException("NoLinkedStorageAccount", FailureCategory.ObjectNotFound,
                        $"Batch account '{batchAccount}' has no linked (auto-storage) account. Link one in the portal (Batch account > Storage account) " +
                        "or with Set-AzBatchAccount -AutoStorageAccountId, or connect to a storage account directly.", batchAccount);
            }

            const string marker = "/storageAccounts/";
            var at = storageId.LastIndexOf(marker, StringComparison.OrdinalIgnoreCase);
            var name = at < 0 ? null : storageId.Substring(at + marker.Length).Trim('/');
            if (string.IsNullOrEmpty(name) || name.IndexOf('/') >= 0)
            {
                throw new BatchOutputException("InvalidLinkedStorageAccount", FailureCategory.InvalidData,
                    $"The linked storage account ID of {(batchAccount == null ? "the -BatchContext given" : $"Batch account '{batchAccount}'")} is not a storage account resource ID: '{storageId}'. " +
                    "Check the account's auto-storage setting in the Azure portal, or connect with -StorageAccountName.", batchAccount ?? storageId);
            }

            return name;
        }
    }
}
