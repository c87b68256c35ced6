using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;

namespace AzBatchOutput.RuntimeProbe;

/// <summary>
/// <c>AzBatchOutput.RuntimeProbe MODULE_FOLDER CONNECTION_STRING [BUILD]</c>: installs the module's load context as its
/// import would (with the build of dependencies/ that this runtime loads, or BUILD's), then, through the engine and the
/// Azure SDK it loads, creates a job's container, saves a blob, reads it back, parses JSON with the SDK's
/// System.Text.Json and lists the job's outputs as Get-BatchTaskOutput does (an async listing of pages). Prints what it
/// loaded from where; exit code 0 when all went through.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        var moduleFolder = args[0];
        var connectionString = args[1];
        Console.WriteLine($"runtime={Environment.Version}");

        var cmdlets = Assembly.LoadFrom(Path.Combine(moduleFolder, "AzBatchOutput.dll"));
        var dependencies = cmdlets.GetType("AzBatchOutput.Loading.DependencyFolder", throwOnError: true);
        var folder = args.Length > 2
            ? Path.Combine((string)dependencies.GetProperty("Root", BindingFlags.Public | BindingFlags.Static).GetValue(null), args[2])
            : (string)dependencies.GetProperty("Path", BindingFlags.Public | BindingFlags.Static).GetValue(null);
        cmdlets.GetType("AzBatchOutput.Loading.IsolatedLoadContext", throwOnError: true).GetMethod("Install").Invoke(null, new object[] { folder });

        // As the cmdlets assembly does: the default context asks for the engine, and the module's context answers.
        var engine = Assembly.Load(new AssemblyName("AzBatchOutput.Engine"));
        var context = AssemblyLoadContext.GetLoadContext(engine);
        var jobId = "RuntimeProbe-" + Guid.NewGuid().ToString("N").Substring(0, 8);
        var container = (string)engine.GetType("AzBatchOutput.Conventions.ContainerNaming", throwOnError: true)
            .GetMethod("GetContainerName").Invoke(null, new object[] { jobId });

        var blobs = context.LoadFromAssemblyName(new AssemblyName("Azure.Storage.Blobs"));
        dynamic containerClient = Activator.CreateInstance(blobs.GetType("Azure.Storage.Blobs.BlobContainerClient", throwOnError: true), connectionString, container);
        containerClient.Create();
        var memoryData = context.LoadFromAssemblyName(new AssemblyName("System.Memory.Data"));
        var binaryData = memoryData.GetType("System.BinaryData", throwOnError: true);
        dynamic content = Activator.CreateInstance(binaryData, "{\"frames\":42}");
        dynamic blob = containerClient.GetBlobClient("t1/$TaskOutput/result.json");
        blob.Upload(content);
        dynamic downloaded = blob.DownloadContent().Value.Content;
        // BinaryData.ToObjectFromJson<T> runs System.Text.Json as the SDK has it.
        var parse = binaryData.GetMethods().Single(m => m.Name == "ToObjectFromJson" && m.GetParameters().Length == 1 &&
                                                        m.GetParameters()[0].ParameterType.Name == "JsonSerializerOptions");
        var parsed = parse.MakeGenericMethod(typeof(System.Collections.Generic.Dictionary<string, int>)).Invoke(downloaded, new object[] { null });
        var frames = ((System.Collections.Generic.Dictionary<string, int>)parsed)["frames"];
        var listed = ListOutputs(engine, connectionString, jobId);
        containerClient.Delete();
        Console.WriteLine($"container={container} frames={frames} listed={listed}");

        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies().OrderBy(a => a.GetName().Name, StringComparer.Ordinal))
        {
            var name = assembly.GetName();
            if (name.Name.StartsWith("Azure.", StringComparison.Ordinal) || name.Name.StartsWith("AzBatchOutput.Engine", StringComparison.Ordinal) ||
                name.Name == "System.Text.Json" || name.Name == "System.Diagnostics.DiagnosticSource" || name.Name == "System.Memory.Data")
            {
                var where = AssemblyLoadContext.GetLoadContext(assembly) == context ? "module" : "default";
                Console.WriteLine($"loaded {name.Name} {name.Version} {where} {assembly.Location}");
            }
        }

        return 0;
    }

    /// <summary>The engine's own listing (OutputCatalog.ListAsync, as Get-BatchTaskOutput runs it): the names it found.</summary>
    private static string ListOutputs(Assembly engine, string connectionString, string jobId)
    {
        var context = engine.GetType("AzBatchOutput.Storage.StorageContexts", throwOnError: true)
            .GetMethod("FromConnectionString").Invoke(null, new object[] { connectionString });
        var query = Activator.CreateInstance(engine.GetType("AzBatchOutput.Storage.OutputQuery", throwOnError: true));
        query.GetType().GetProperty("JobId").SetValue(query, jobId);
        var scope = query.GetType().GetProperty("Scope");
        scope.SetValue(query, Enum.Parse(scope.PropertyType, "Task"));
        var fileType = engine.GetType("AzBatchOutput.BatchOutputFile", throwOnError: true);
        var names = new System.Collections.Generic.List<string>();
        // Action<BatchOutputFile> bound to Add(object): a delegate may take a base type of its parameter's.
        var found = Delegate.CreateDelegate(typeof(Action<>).MakeGenericType(fileType), new Collector(fileType, names), typeof(Collector).GetMethod(nameof(Collector.Add)));
        var list = engine.GetType("AzBatchOutput.Storage.OutputCatalog", throwOnError: true).GetMethod("ListAsync");
        ((System.Threading.Tasks.Task)list.Invoke(null, new object[] { context, query, found, System.Threading.CancellationToken.None })).GetAwaiter().GetResult();
        return string.Join(",", names);
    }

    private sealed class Collector(Type fileType, System.Collections.Generic.List<string> names)
    {
        public void Add(object file) => names.Add(fileType.GetProperty("TaskId").GetValue(file) + "/" + fileType.GetProperty("Path").GetValue(file));
    }
}
