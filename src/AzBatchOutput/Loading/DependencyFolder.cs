namespace AzBatchOutput.Loading
{
    /// <summary>The module's dependencies/ folder: the engine and the Azure SDK assemblies it was built against.</summary>
    internal static class DependencyFolder
    {
        public const string EngineAssemblyName = "AzBatchOutput.Engine";

        public static string Path { get; } = System.IO.Path.Combine(
            System.IO.Path.GetDirectoryName(typeof(DependencyFolder).Assembly.Location) ?? ".",
            "dependencies");

        public static string FileFor(string assemblyName) => System.IO.Path.Combine(Path, assemblyName + ".dll");
    }
}
