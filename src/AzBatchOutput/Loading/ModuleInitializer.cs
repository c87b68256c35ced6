using System.Management.Automation;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AzBatchOutput.Loading
{
    /// <summary>
    /// Runs when the module is imported, before any cmdlet touches the engine, and arranges for the engine and its
    /// Azure SDK dependencies to load from the module's dependencies/ folder without clashing with the versions
    /// that Az.Accounts or Az.Storage have already loaded in the same session.
    /// </summary>
    public sealed class ModuleInitializer : IModuleAssemblyInitializer, IModuleAssemblyCleanup
    {
        private static readonly object Gate = new object();
        private static int _imports;

        internal static bool IsNetFramework => RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework");

        public void OnImport()
        {
            lock (Gate)
            {
                if (_imports++ > 0)
                {
                    return; // several runspaces may import the module; the process needs one resolver
                }

                if (IsNetFramework)
                {
                    InstallForWindowsPowerShell();
                }
                else
                {
                    InstallForPowerShell7();
                }
            }
        }

        // Separate, never-inlined methods: the JIT of OnImport must not load AssemblyLoadContext on .NET Framework.
        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void InstallForPowerShell7() => IsolatedLoadContext.Install(DependencyFolder.Path);

        [MethodImpl(MethodImplOptions.NoInlining)]
        private static void InstallForWindowsPowerShell() => FrameworkDependencyResolver.Install(DependencyFolder.Path);

        public void OnRemove(PSModuleInfo module)
        {
            // The engine assembly cannot be unloaded from a running process, and other runspaces may still use it:
            // the resolver stays installed so a later Import-Module keeps working.
        }
    }
}
