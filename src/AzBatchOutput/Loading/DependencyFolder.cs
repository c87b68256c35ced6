using System;

namespace AzBatchOutput.Loading
{
    /// <summary>
    /// The module's dependencies/ folder: the engine and the Azure SDK assemblies it was built against, in two builds.
    /// dependencies/ itself holds the netstandard2.0 build, for Windows PowerShell 5.1 and PowerShell 7.2 and 7.3
    /// (.NET 6 and 7); dependencies/net8.0/ holds the .NET 8 build of the same engine and SDK, for PowerShell 7.4 and
    /// later, where the SDK's .NET 8 code (its HTTP transport, its header handling) costs less CPU per request.
    /// </summary>
    internal static class DependencyFolder
    {
        public const string EngineAssemblyName = "AzBatchOutput.Engine";

        /// <summary>The sub-folder of the .NET 8 build.</summary>
        public const string Net8SubFolder = "net8.0";

        /// <summary>
        /// Set to <c>netstandard2.0</c> before Import-Module to load the netstandard2.0 build on PowerShell 7.4 or later
        /// too: a way round a fault met only in the .NET 8 build. Any other value, or none, leaves the choice by runtime.
        /// </summary>
        public const string BuildVariable = "AZBATCHOUTPUT_DEPENDENCIES";

        public const string NetStandardBuild = "netstandard2.0";

        public static string Path { get; } = System.IO.Path.Combine(
            System.IO.Path.GetDirectoryName(typeof(DependencyFolder).Assembly.Location) ?? ".",
            "dependencies");

        /// <summary>The folder a PowerShell 7 process loads the engine from: the .NET 8 build where the runtime runs it.</summary>
        public static string ForThisRuntime() =>
            ForRuntime(Path, Environment.Version, Environment.GetEnvironmentVariable(BuildVariable), System.IO.Directory.Exists);

        internal static string ForRuntime(string folder, Version runtime, string requestedBuild, Func<string, bool> exists)
        {
            var net8 = System.IO.Path.Combine(folder, Net8SubFolder);
            var wantsNetStandard = string.Equals(requestedBuild?.Trim(), NetStandardBuild, StringComparison.OrdinalIgnoreCase);
            return runtime.Major >= 8 && !wantsNetStandard && exists(net8) ? net8 : folder;
        }
    }
}
