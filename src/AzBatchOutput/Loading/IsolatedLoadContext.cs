using System;
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
        private readonly HashSet<string> _platformAssemblies;

        private IsolatedLoadContext(string folder)
        {
            _folder = folder;
            _platformAssemblies = ReadPlatformAssemblyNames();
        }

        public static void Install(string folder)
        {
            _instance = new IsolatedLoadContext(folder);
            Default.Resolving += ResolveEngineFromDefault;
        }

        protected override Assembly Load(AssemblyName assemblyName)
        {
            // Framework assemblies (System.Memory, System.Text.Json, ...) must be the runtime's own, or types such as
            // Span<T> would exist twice; only what the runtime lacks comes from dependencies/.
            if (_platformAssemblies.Contains(assemblyName.Name))
            {
                return null;
            }

            var path = Path.Combine(_folder, assemblyName.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
        }

        private static Assembly ResolveEngineFromDefault(AssemblyLoadContext context, AssemblyName name) =>
            string.Equals(name.Name, DependencyFolder.EngineAssemblyName, StringComparison.Ordinal)
                ? _instance.LoadFromAssemblyName(name)
                : null;

        // The shared framework's own assemblies: those in the runtime's folder. A host's other trusted assemblies
        // (a test host's or an app's own Azure.Core, say) are deliberately not counted: ours must win over them.
        private static HashSet<string> ReadPlatformAssemblyNames()
        {
            var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var runtimeFolder = Path.GetDirectoryName(typeof(object).Assembly.Location);
            var list = AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") as string ?? string.Empty;
            foreach (var path in list.Split(Path.PathSeparator))
            {
                if (path.Length > 0 && string.Equals(Path.GetDirectoryName(path), runtimeFolder, StringComparison.Ordinal))
                {
                    names.Add(Path.GetFileNameWithoutExtension(path));
                }
            }

            return names;
        }
    }
}
