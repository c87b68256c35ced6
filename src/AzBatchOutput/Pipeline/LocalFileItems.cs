using System.IO;
using System.Management.Automation;

namespace AzBatchOutput.Pipeline
{
    /// <summary>
    /// A file the module wrote, handed out as PowerShell's FileSystem provider hands out its items: the FileInfo with
    /// PSPath, PSParentPath, PSChildName, PSIsContainer and PSProvider. With PSPath it binds to -LiteralPath when piped
    /// to Get-FileHash, Copy-Item or Remove-Item, so a name such as 'frame[1].png' is taken as it is, not as a wildcard.
    /// Its first type name selects the LocalFile view (time, size, full path): the provider's own Unix view reads a
    /// stat that only the provider can make, and would show blank columns. Asking the provider for each item instead costs
    /// about 250 µs a file on the pipeline thread, half a second of a 2,000-file download.
    /// </summary>
    internal static class LocalFileItems
    {
        internal const string TypeName = "AzBatchOutput.LocalFile";

        private const string ProviderPrefix = @"Microsoft.PowerShell.Core\FileSystem::";

        /// <summary>The item for <paramref name="file"/>; <paramref name="fileSystem"/> may be null (then no PSProvider).</summary>
        public static PSObject From(FileInfo file, ProviderInfo fileSystem)
        {
            var item = new PSObject(file);
            item.TypeNames.Insert(0, TypeName);
            item.Properties.Add(new PSNoteProperty("PSPath", ProviderPrefix + file.FullName));
            item.Properties.Add(new PSNoteProperty("PSParentPath", ProviderPrefix + file.DirectoryName));
            item.Properties.Add(new PSNoteProperty("PSChildName", file.Name));
            item.Properties.Add(new PSNoteProperty("PSIsContainer", false));
            if (fileSystem != null)
            {
                item.Properties.Add(new PSNoteProperty("PSProvider", fileSystem));
            }

            return item;
        }

        /// <summary>The session's FileSystem provider, or null where the session has none (a restricted runspace).</summary>
        public static ProviderInfo FileSystemOf(Cmdlet cmdlet)
        {
            try
            {
                return (cmdlet as PSCmdlet)?.SessionState.Provider.GetOne("FileSystem");
            }
            catch (ProviderNotFoundException)
            {
                return null;
            }
        }
    }
}
