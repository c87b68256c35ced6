using System;
using System.IO;
using System.Linq;
using AzBatchOutput.TestSupport;

namespace AzBatchOutput.Benchmarks
{
    internal static class Program
    {
        private static int Main(string[] args)
        {
            if (args.Length > 0 && args[0] == "--child")
            {
                return ChildMain.Run();
            }

            if (args.Contains("--help") || args.Contains("-h"))
            {
                Options.PrintUsage();
                return 0;
            }

            Options options;
            try
            {
                options = Options.Parse(args, RepoPaths.Root);
            }
            catch (ArgumentException ex)
            {
                Console.Error.WriteLine("error: " + ex.Message);
                return 2;
            }

            var commandLine = "bash benchmarks/run.sh" + (args.Length > 0 ? " " + string.Join(" ", args) : string.Empty);
            Console.WriteLine($"AzBatchOutput benchmark ({(options.Quick ? "quick" : "full")}): cases {string.Join("", options.Cases.OrderBy(c => c))}, module {options.ModuleFolder}");
            using var bench = new Bench(options, RepoPaths.Root);
            try
            {
                bench.Run();
            }
            catch (Exception ex)
            {
                Console.Error.WriteLine("error: the benchmark could not run: " + ex);
                return 1;
            }

            Report.PrintConsole(bench);
            Report.WriteMarkdown(bench, options, commandLine);
            Console.WriteLine();
            Console.WriteLine($"Wrote {Path.GetRelativePath(Directory.GetCurrentDirectory(), options.ResultsPath)}");
            return bench.CaseErrors.Count == 0 && bench.Measurements.All(m => m.Ok) ? 0 : 1;
        }
    }
}
