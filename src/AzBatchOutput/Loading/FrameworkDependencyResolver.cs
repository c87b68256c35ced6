using System;
using System.IO;
using System.Reflection;

namespace AzBatchOutput.Loading
{
    /// <summary>
    /// Windows PowerShell 5.1 (.NET Framework) has no load contexts: resolve what the engine needs from
    /// dependencies/ when the normal probe fails. AssemblyResolve is process-wide, so it answers only this module's
    /// own requests, and only with a version at least the one asked for: Az.Accounts or Az.Storage, whose own
    /// versions differ, must not be handed ours. Untested on .NET Framework (no Windows PowerShell on the build machines).
    /// </summary>
    internal static class FrameworkDependencyResolver
    {
        private static string _folder;

        public static void Install(string folder)
        {
            _folder = folder;
            AppDomain.CurrentDomain.AssemblyResolve += Resolve;
        }

        private static Assembly Resolve(object sender, ResolveEventArgs args)
        {
            var requested = new AssemblyName(args.Name);
            var path = Path.Combine(_folder, requested.Name + ".dll");
            if (!File.Exists(path))
            {
                return null;
            }

            // A load by name (reflection) has no requesting assembly, and one made in memory has no location: both are
            // served, as before.
            var requesting = args.RequestingAssembly == null ? null : args.RequestingAssembly.Location;
            var offered = AssemblyName.GetAssemblyName(path).Version;
            return ShouldServe(requesting, _folder, typeof(FrameworkDependencyResolver).Assembly.Location, requested.Version, offered)
                ? Assembly.LoadFrom(path)
                : null;
        }

        /// <summary>
        /// Whether a request for an assembly in <paramref name="folder"/> is this module's to answer: it comes from the
        /// module (its cmdlets assembly, or an assembly in the folder) or from a load by name, and the file's version is
        /// at least the one asked for (as a binding redirect would unify it).
        /// </summary>
        internal static bool ShouldServe(string requestingLocation, string folder, string cmdletsLocation, Version requested, Version offered)
        {
            if (!string.IsNullOrEmpty(requestingLocation))
            {
                var inFolder = Path.GetFullPath(requestingLocation).StartsWith(
                    Path.GetFullPath(folder).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, StringComparison.OrdinalIgnoreCase);
                var isCmdlets = string.Equals(Path.GetFullPath(requestingLocation), Path.GetFullPath(cmdletsLocation), StringComparison.OrdinalIgnoreCase);
                if (!inFolder && !isCmdlets)
                {
                    return false;
                }
            }

            return requested == null || (offered != null && offered >= requested);
        }
    }
}
