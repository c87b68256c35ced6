using System;

namespace AzBatchOutput.Loading
{
    /// <summary>
    /// The module's dependencies/ folder: the engine and the Azure SDK assemblies it was built against, in two builds.
    /// net8.0 serves PowerShell 7.4 and later (.NET 8 and later): the Azure SDK's own builds for that runtime, which
    /// allocate less (209 against 333 MiB to save 2,000 files of 64 KiB) and use the runtime's IAsyncEnumerable.
    /// netstandard2.0 serves Windows PowerShell 5.1 (.NET Framework) and PowerShell 7.0 to 7.3 (.NET Core 3.1 to 7).
    /// The two sets must never mix: an engine of one build calling the SDK of the other fails at its first listing.
    /// </summary>
    internal static class DependencyFolder
    {
        public const string EngineAssemblyName = "AzBatchOutput.Engine";

        /// <summary>The folder holding both builds.</summary>
        public static string Root { get; } = System.IO.Path.Combine(
            System.IO.Path.GetDirectoryName(typeof(DependencyFolder).Assembly.Location) ?? ".",
            "dependencies");

        /// <summary>The build this process loads.</summary>
        public static string Path { get; } = System.IO.Path.Combine(Root, BuildFor(Environment.Version));

        /// <summary>Which build a runtime of this version loads (.NET Framework reports 4.0).</summary>
        internal static string BuildFor(Version runtime) => runtime.Major >= 8 ? "net8.0" : "netstandard2.0";
    }
}
