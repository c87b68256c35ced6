using System;
using System.IO;

namespace AzBatchOutput.TestSupport
{
    /// <summary>Well-known folders of the repository, found from the running assembly's location.</summary>
    public static class RepoPaths
    {
        /// <summary>Set this environment variable to point tests at a repository root explicitly.</summary>
        public const string RootEnvironmentVariable = "AZBATCHOUTPUT_REPO_ROOT";

        private static readonly Lazy<string> root = new Lazy<string>(FindRoot);

        /// <summary>
        /// The repository root: the nearest folder above <see cref="AppContext.BaseDirectory"/> that holds
        /// <c>AzBatchOutput.psd1</c> or <c>tools/azurite/package.json</c>.
        /// </summary>
        public static string Root => root.Value;

        /// <summary>The importable module folder that building src/AzBatchOutput assembles.</summary>
        public static string ModuleFolder => Path.Combine(Root, "out", "AzBatchOutput");

        /// <summary>The folder whose package.json and package-lock.json pin Azurite.</summary>
        public static string AzuriteToolFolder => Path.Combine(Root, "tools", "azurite");

        private static string FindRoot()
        {
            string fromEnvironment = Environment.GetEnvironmentVariable(RootEnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(fromEnvironment))
            {
                if (!IsRoot(fromEnvironment))
                {
                    throw new InvalidOperationException(
                        $"{RootEnvironmentVariable} is '{fromEnvironment}', which holds neither AzBatchOutput.psd1 nor tools/azurite/package.json.");
                }
                return Path.GetFullPath(fromEnvironment);
            }

            foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
            {
                for (DirectoryInfo dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
                {
                    if (IsRoot(dir.FullName))
                    {
                        return dir.FullName;
                    }
                }
            }

            throw new InvalidOperationException(
                $"Cannot find the AzBatchOutput repository root above '{AppContext.BaseDirectory}': no folder there holds " +
                $"AzBatchOutput.psd1 or tools/azurite/package.json. Set {RootEnvironmentVariable} to the repository root.");
        }

        private static bool IsRoot(string dir)
        {
            if (File.Exists(Path.Combine(dir, "tools", "azurite", "package.json")))
            {
                return true;
            }

            // The assembled module folder out/AzBatchOutput holds a copy of the manifest: that is not the root.
            DirectoryInfo info = new DirectoryInfo(dir);
            bool isModuleCopy = string.Equals(info.Name, "AzBatchOutput", StringComparison.OrdinalIgnoreCase) &&
                                info.Parent != null &&
                                string.Equals(info.Parent.Name, "out", StringComparison.OrdinalIgnoreCase);
            return !isModuleCopy && File.Exists(Path.Combine(dir, "AzBatchOutput.psd1"));
        }
    }
}
