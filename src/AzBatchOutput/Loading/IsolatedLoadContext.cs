using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.Loader;

namespace AzBatchOutput.Loading
{
    /// <summary>
    /// PowerShell 7: a private load context for the engine and its Azure SDK assemblies. The default context only
    /// ever asks it for the engine; everything the engine needs then resolves here first, so an older Azure.Core
    /// loaded by Az.Accounts is never used by this module, and ours never replaces theirs.
    /// </summary>
    internal sealed class IsolatedLoadContext : AssemblyLoadContext
    {
        private static IsolatedLoadContext _instance;
        private readonly string _folder;
        private readonly Dictionary<string, string> _platformAssemblies;
        private readonly ConcurrentDictionary<string, Version> _versions = new ConcurrentDictionary<string, Version>(StringComparer.Ordinal);

        private IsolatedLoadContext(string folder)
        {
            _folder = folder;
            _platformAssemblies = ReadPlatformAssemblies();
        }

        public static void Install(string folder)
        {
            _instance = new IsolatedLoadContext(folder);
            Default.Resolving += ResolveEngineFromDefault;
        }

        protected override Assembly Load(AssemblyName assemblyName)
        {
            var path = Path.Combine(_folder, assemblyName.Name + ".dll");
            var inFolder = File.Exists(path);
            if (_platformAssemblies.TryGetValue(assemblyName.Name, out var platformPath) &&
                !ServeInsteadOfRuntime(assemblyName.Version, VersionOf(platformPath), inFolder ? VersionOf(path) : null))
            {
                return null;
            }

            return inFolder ? LoadFromAssemblyPath(path) : null;
        }

        /// <summary>
        /// Whether a framework assembly (System.Text.Json, System.Memory, ...) comes from dependencies/ rather than the
        /// runtime. The runtime's own copy serves whenever it is at least the version asked for, so that types such as
        /// Span&lt;T&gt; never exist twice. Only a request the runtime cannot meet (the Azure SDK asks for System.Text.Json
        /// 10.0, while PowerShell 7.4's .NET 8 has 8.0, and would refuse the load) is served here, privately, and only
        /// by a file of that version or later.
        /// </summary>
        internal static bool ServeInsteadOfRuntime(Version requested, Version runtimeHas, Version folderHas) =>
            requested != null && runtimeHas != null && runtimeHas < requested && folderHas != null && folderHas >= requested;

        private Version VersionOf(string path) => _versions.GetOrAdd(path, p =>
        {
            try
            {
                return AssemblyName.GetAssemblyName(p).Version;
            }
            catch (Exception ex) when (ex is IOException || ex is BadImageFormatException || ex is UnauthorizedAccessException)
            {
                return null;
            }
        });

        private static Assembly ResolveEngineFromDefault(AssemblyLoadContext context, AssemblyName name) =>
            string.Equals(name.Name, DependencyFolder.EngineAssemblyName, StringComparison.Ordinal)
                ? _instance.LoadFromAssemblyName(name)
                : null;

        // The shared framework's own assemblies (name to path): those in the runtime's folder. A host's other trusted
        // assemblies (a test host's or an app's own Azure.Core, say) are deliberately not counted: ours must win over them.
        private static Dictionary<string, string> ReadPlatformAssemblies()
        {
            var assemblies = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var runtimeFolder = Path.GetDirectoryName(typeof(object).Assembly.Location);
            var list = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty;
            foreach (var path in list.Split(Path.PathSeparator))
            {
                if (path.Length > 0 && string.Equals(Path.GetDirectoryName(path), runtimeFolder, StringComparison.Ordinal))
                {
                    assemblies[Path.GetFileNameWithoutExtension(path)] = path;
                }
            }

            return assemblies;
        }
    }
}
