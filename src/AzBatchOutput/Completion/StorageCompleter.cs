using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using System.Management.Automation.Language;
using System.Threading;
using System.Threading.Tasks;
using AzBatchOutput.AzContext;
using AzBatchOutput.Resolution;

namespace AzBatchOutput.Completion
{
    /// <summary>
    /// Shared by the completers: finds the storage the command line would use, asks the engine with a time limit,
    /// and turns answers into completion results. Any failure (no storage, no network, no permission) completes
    /// nothing rather than printing an error in the middle of someone's typing.
    /// </summary>
    public abstract class StorageCompleter : IArgumentCompleter
    {
        /// <summary>Long enough for a storage account across a continent, short enough not to freeze the prompt.</summary>
        protected static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(3);

        protected const int Limit = 500;

        public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete, CommandAst commandAst, IDictionary fakeBoundParameters)
        {
            var typed = (wordToComplete ?? string.Empty).Trim('\'', '"');
            IEnumerable<string> candidates;
            try
            {
                candidates = Candidates(commandName, fakeBoundParameters) ?? Enumerable.Empty<string>();
            }
            catch (Exception)
            {
                return Enumerable.Empty<CompletionResult>(); // silent by design: see the class comment
            }

            return candidates
                .Where(c => c.StartsWith(typed, StringComparison.OrdinalIgnoreCase))
                .Distinct(StringComparer.Ordinal)
                .OrderBy(c => c, StringComparer.OrdinalIgnoreCase)
                .Select(c => new CompletionResult(Quote(c), c, CompletionResultType.ParameterValue, c))
                .ToList();
        }

        protected abstract IEnumerable<string> Candidates(string commandName, IDictionary fakeBoundParameters);

        protected static BatchOutputStorageContext StorageOf(IDictionary fakeBoundParameters)
        {
            var given = fakeBoundParameters?["Context"];
            if (given != null)
            {
                var value = given is PSObject wrapped ? wrapped.BaseObject : given;
                return value as BatchOutputStorageContext ?? (AzStorageContextConverter.IsAzureStorageContext(given) ? AzStorageContextConverter.Convert(given) : null);
            }

            return StorageResolver.Resolve(null);
        }

        protected static string Text(IDictionary fakeBoundParameters, string name)
        {
            var value = fakeBoundParameters?[name];
            return (value is PSObject wrapped ? wrapped.BaseObject : value)?.ToString();
        }

        /// <summary>Runs engine work off the pipeline thread and gives up after <see cref="TimeLimit"/>.</summary>
        protected static T WithinTimeLimit<T>(Func<CancellationToken, Task<T>> work) where T : class
        {
            using (var timeout = new CancellationTokenSource(TimeLimit))
            {
                var task = Task.Run(() => work(timeout.Token), timeout.Token);
                return task.Wait(TimeLimit) && task.Status == TaskStatus.RanToCompletion ? task.Result : null;
            }
        }

        private static string Quote(string value) =>
            value.IndexOfAny(new[] { ' ', '$', '\'', '"', '`', ';', '(', ')', '{', '}', ',', '&', '|', '@', '#' }) >= 0
                ? "'" + value.Replace("'", "''") + "'"
                : value;
    }
}
