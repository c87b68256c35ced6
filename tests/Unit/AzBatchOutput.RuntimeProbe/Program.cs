using System;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;

namespace AzBatchOutput.RuntimeProbe;

/// <summary>
/// <c>AzBatchOutput.RuntimeProbe MODULE_FOLDER CONNECTION_STRING</c>: installs the module's load context as its import
/// would, then, through the engine and the Azure SDK it loads, creates a job's container, saves a blob, reads it back
/// and parses JSON with the SDK's System.Text.Json. Prints what it loaded from where; exit code 0 when all went through.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        var moduleFolder = args[0];
        var connectionString = args[1];
        Console.WriteLine($"runtime={Environment.Version}");

        var cmdlets = Assembly.LoadFrom(Path.Combine(moduleFolder, "AzBatchOutput.dll"));
        var folder = (string)cmdlets.GetType("AzBatchOutput.Loading.DependencyFolder", throwOnError: true)
            .GetProperty("Path").GetValue(null);
        cmdlets.GetType("AzBatchOutput.Loading.IsolatedLoadContext", throwOnError: true).GetMethod("Install").Invoke(null, new object[] { folder });

        // As the cmdlets assembly does: the default context asks for the engine, and the module's context answers.
        var engine = Assembly.Load(new AssemblyName("AzBatchOutput.Engine"));
        var context = AssemblyLoadContext.GetLoadContext(engine);
        var container = (string)engine.GetType("AzBatchOutput.Conventions.ContainerNaming", throwOnError: true)
            .GetMethod("GetContainerName").Invoke(null, new object[] { "RuntimeProbe-" + Guid.NewGuid().ToString("N").Substring(0, 8) });

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
        containerClient.Delete();
        Console.WriteLine($"container={container} frames={frames}");

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
}
