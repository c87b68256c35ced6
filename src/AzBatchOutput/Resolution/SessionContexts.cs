using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;

namespace AzBatchOutput.Resolution
{
    /// <summary>
    /// The context chosen by Connect-BatchOutputStorage, kept per runspace: several runspaces in one process
    /// (hosts, ForEach-Object -Parallel, tests) each keep their own choice.
    /// </summary>
    internal static class SessionContexts
    {
        private static readonly ConditionalWeakTable<Runspace, Holder> ByRunspace = new ConditionalWeakTable<Runspace, Holder>();

        public static BatchOutputStorageContext Current
        {
            get
            {
                var runspace = Runspace.DefaultRunspace;
                return runspace != null && ByRunspace.TryGetValue(runspace, out var holder) ? holder.Context : null;
            }

            set
            {
                var runspace = Runspace.DefaultRunspace;
                if (runspace != null)
                {
                    ByRunspace.GetOrCreateValue(runspace).Context = value;
                }
            }
        }

        private sealed class Holder
        {
            public BatchOutputStorageContext Context;
        }
    }
}
