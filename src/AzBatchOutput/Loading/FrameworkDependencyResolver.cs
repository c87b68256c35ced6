using System;
using System.IO;
using System.Reflection;

namespace AzBatchOutput.Loading
{
    /// <summary>
    /// Windows PowerShell 5.1 (.NET Framework) has no load contexts: resolve what the engine needs from
    /// dependencies/ when the normal probe fails. Untested here (no Windows PowerShell on the build machines).
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
            var name = new AssemblyName(args.Name).Name;
            var path = Path.Combine(_folder, name + ".dll");
            return File.Exists(path) ? Assembly.LoadFrom(path) : null;
        }
    }
}
