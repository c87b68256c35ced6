using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;

namespace AzBatchOutput.Module.Tests.Infrastructure
{
    public static class Scalars
    {
        public static object Prop(this PSObject item, string name) => item.Properties[name]?.Value;

        public static string Str(this PSObject item, string name) => item.Prop(name)?.ToString();

        public static List<string> Strs(this IEnumerable<PSObject> items, string name) => items.Select(i => i.Str(name)).ToList();

        /// <summary>Initializes a job's container through the module and returns its name.</summary>
        public static string InitializeJob(this ModuleSession session, string jobId) =>
            (string)session.Run("(Initialize-BatchJobOutputStorage -JobId $JobId).ContainerName", ("JobId", jobId)).ThrowIfFailed().Output.Single().BaseObject;
    }
}
