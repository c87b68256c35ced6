using System.IO;
using System.Management.Automation;

namespace AzBatchOutput.Pipeline
{
    /// <summary>
    /// A file the module wrote, handed out with the members PowerShell's FileSystem provider gives its items: PSPath,
    /// PSParentPath, PSChildName, PSIsContainer and PSProvider (AzBatchOutput.types.ps1xml, for the type name
    /// AzBatchOutput.LocalFile). With PSPath it binds to -LiteralPath when piped to Get-FileHash, Copy-Item or
    /// Remove-Item, so a name such as 'frame[1].png' is taken as it is, not as a wildcard. The same type name selects
    /// the LocalFile view (time, size, full path): the provider's own Unix view reads a stat that only the provider
    /// can make, and would show blank columns.
    /// The members are the type's, not each object's: five note properties on every object cost 7 to 20 µs a file on
    /// the pipeline thread, and asking the provider for each item about 250 µs.
    /// </summary>
    public static class LocalFileItems
    {
        internal const string TypeName = "AzBatchOutput.LocalFile";

        private const string ProviderPrefix = @"Microsoft.PowerShell.Core\FileSystem::";

        internal static PSObject From(FileInfo file)
        {
            var item = new PSObject(file);
            item.TypeNames.Insert(0, TypeName);
            return item;
        }

        public static string PSPath(PSObject item) => ProviderPrefix + FileOf(item).FullName;

        public static string PSParentPath(PSObject item) => ProviderPrefix + FileOf(item).DirectoryName;

        public static string PSChildName(PSObject item) => FileOf(item).Name;

        public static bool PSIsContainer(PSObject item) => false;

        private static FileInfo FileOf(PSObject item) => (FileInfo)item.BaseObject;
    }
}
