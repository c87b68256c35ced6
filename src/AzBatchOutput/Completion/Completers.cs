using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using AzBatchOutput.Conventions;
using AzBatchOutput.Storage;

namespace AzBatchOutput.Completion
{
    /// <summary>-JobId: the jobs whose output containers exist in the account.</summary>
    public sealed class JobIdCompleter : StorageCompleter
    {
        protected override IEnumerable<string> Candidates(string commandName, IDictionary fakeBoundParameters)
        {
            var context = StorageOf(fakeBoundParameters);
            return WithinTimeLimit(ct => OutputDirectory.ListJobIdsAsync(context, Limit, ct));
        }
    }

    /// <summary>-TaskId: the task folders in the job's container (needs -JobId on the command line).</summary>
    public sealed class TaskIdCompleter : StorageCompleter
    {
        protected override IEnumerable<string> Candidates(string commandName, IDictionary fakeBoundParameters)
        {
            var jobId = Text(fakeBoundParameters, "JobId");
            if (string.IsNullOrEmpty(jobId) || !BatchIds.IsValidJobId(jobId))
            {
                return null;
            }

            var context = StorageOf(fakeBoundParameters);
            return WithinTimeLimit(ct => OutputDirectory.ListTaskIdsAsync(context, jobId, Limit, ct));
        }
    }

    /// <summary>-Kind: the predefined kinds of the command's scope, then custom kinds the job already uses.</summary>
    public sealed class KindCompleter : StorageCompleter
    {
        protected override IEnumerable<string> Candidates(string commandName, IDictionary fakeBoundParameters)
        {
            var scope = commandName != null && commandName.IndexOf("JobOutput", System.StringComparison.OrdinalIgnoreCase) >= 0 &&
                        commandName.IndexOf("Report", System.StringComparison.OrdinalIgnoreCase) < 0
                ? OutputScope.Job
                : OutputScope.Task;
            var kinds = OutputKind.Predefined(scope).Select(k => k.Name).ToList();
            var jobId = Text(fakeBoundParameters, "JobId");
            if (!string.IsNullOrEmpty(jobId) && BatchIds.IsValidJobId(jobId))
            {
                try
                {
                    var context = StorageOf(fakeBoundParameters);
                    var used = WithinTimeLimit(ct => OutputDirectory.ListKindsAsync(context, jobId, Text(fakeBoundParameters, "TaskId"), scope, 5000, ct));
                    kinds.AddRange(used ?? Enumerable.Empty<string>());
                }
                catch (Exception ex) when (ex is BatchOutputException || ex is AggregateException)
                {
                    // no storage, no container, no answer: the predefined kinds are still worth offering
                }
            }

            return kinds;
        }
    }
}
