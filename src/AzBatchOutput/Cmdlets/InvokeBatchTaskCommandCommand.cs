using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Management.Automation;
using AzBatchOutput.Conventions;
using AzBatchOutput.Pipeline;
using AzBatchOutput.Resolution;
using AzBatchOutput.Storage;
using AzBatchOutput.TaskCommand;
using AzBatchOutput.Tracking;

namespace AzBatchOutput.Cmdlets
{
    /// <summary>
    /// Runs a task's work (a program or a script block) with its stdout and stderr tracked as TaskLog while it runs,
    /// then saves its outputs by exit code, as Batch's OutputFiles would but from the node, and hands the exit code on.
    /// </summary>
    [Cmdlet(VerbsLifecycle.Invoke, "BatchTaskCommand", DefaultParameterSetName = NativeSet, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(TaskCommandResult))]
    public sealed class InvokeBatchTaskCommandCommand : BatchOutputCmdlet
    {
        private const string NativeSet = "FilePath";
        private const string ScriptSet = "ScriptBlock";

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = NativeSet)]
        [ValidateNotNullOrEmpty]
        public string FilePath { get; set; }

        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ScriptSet)]
        [ValidateNotNull]
        public ScriptBlock ScriptBlock { get; set; }

        /// <summary>Arguments for the program (each passed as one argument) or the script block.</summary>
        [Parameter(Position = 1)]
        [Alias("Args")]
        public object[] ArgumentList { get; set; }

        /// <summary>Files, wildcards or folders to save as TaskOutput when the condition holds.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] OutputPath { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] PreviewPath { get; set; }

        [Parameter]
        [ValidateNotNullOrEmpty]
        public string[] IntermediatePath { get; set; }

        /// <summary>When the outputs are saved: TaskSuccess (exit code 0), TaskFailure, or TaskCompletion (always). Logs are always saved.</summary>
        [Parameter]
        [ValidateSet("TaskSuccess", "TaskFailure", "TaskCompletion", IgnoreCase = true)]
        public string UploadCondition { get; set; } = "TaskSuccess";

        /// <summary>Where stdout.txt and stderr.txt are written; the current folder by default.</summary>
        [Parameter]
        [ValidateNotNullOrEmpty]
        public string LogDirectory { get; set; }

        [Parameter]
        [SecondsOrTimeSpan]
        [ValidateSecondsRange(1, 24 * 60 * 60)]
        public TimeSpan FlushInterval { get; set; } = TimeSpan.FromSeconds(5);

        /// <summary>Defaults to AZ_BATCH_JOB_ID on a Batch node.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(Completion.JobIdCompleter))]
        public string JobId { get; set; }

        /// <summary>Defaults to AZ_BATCH_TASK_ID on a Batch node.</summary>
        [Parameter]
        [ArgumentCompleter(typeof(Completion.TaskIdCompleter))]
        public string TaskId { get; set; }

        /// <summary>Keeps a `pwsh -c` session open instead of ending it with the command's exit code.</summary>
        [Parameter]
        public SwitchParameter NoExit { get; set; }

        protected override void EndProcessing()
        {
            TaskCommandResult result;
            try
            {
                result = Run();
            }
            catch (BatchOutputException error)
            {
                ThrowTerminatingError(ErrorRecords.From(error));
                return;
            }

            if (result == null)
            {
                return; // -WhatIf: nothing ran
            }

            WriteObject(result);
            SessionState.PSVariable.Set(new PSVariable("global:LASTEXITCODE", result.ExitCode));
            if (result.ExitCode != 0)
            {
                WriteError(ErrorRecords.Create("TaskCommandFailed", ErrorCategory.NotSpecified,
                    $"'{result.Command}' exited with code {result.ExitCode}; its logs are saved as TaskLog ({TaskLogFiles.OutputName}, {TaskLogFiles.ErrorName}).", result.Command));
            }

            if (!NoExit && EndsProcess.IsOneShotPowerShell())
            {
                // `pwsh -c "Invoke-BatchTaskCommand ..."`: Batch judges the task by the process's exit code, so hand it on.
                Host.SetShouldExit(result.ExitCode);
            }
        }

        private TaskCommandResult Run()
        {
            var jobId = BatchIdentity.ResolveJobId(JobId, null, fromEnvironment: true);
            var taskId = BatchIdentity.ResolveTaskId(TaskId, fromEnvironment: true);
            var condition = (Batch.UploadCondition)Enum.Parse(typeof(Batch.UploadCondition), UploadCondition, ignoreCase: true);
            var context = ResolveContext();
            var workingDirectory = SessionState.Path.CurrentFileSystemLocation.ProviderPath;
            var logFolder = LogDirectory == null ? workingDirectory : GetUnresolvedProviderPathFromPSPath(LogDirectory);
            var command = ParameterSetName == ScriptSet ? "{" + Shorten(ScriptBlock.ToString()) + "}" : FilePath;
            var arguments = (ArgumentList ?? new object[0]).Select(a => LanguagePrimitives.ConvertTo<string>(a)).ToArray();
            var onWindows = System.IO.Path.DirectorySeparatorChar == '\\';
            var program = ParameterSetName == NativeSet
                ? Batch.ProgramLocation.Resolve(FilePath, workingDirectory, onWindows, Environment.GetEnvironmentVariable("PATHEXT"))
                : null;
            var batchFile = program != null && Batch.CommandLineArguments.IsBatchFile(program, onWindows);
            var unsafeArgument = batchFile ? Batch.CommandLineArguments.FindArgumentCmdWouldExpand(FilePath, arguments) : null;
            if (unsafeArgument != null)
            {
                throw unsafeArgument;
            }

            if (!ShouldProcess($"task '{taskId}' of job '{jobId}'",
                    $"Run {command}, writing {TaskLogFiles.OutputName} and {TaskLogFiles.ErrorName} in '{logFolder}' and replacing its TaskLog blobs, then save its outputs ({UploadCondition})"))
            {
                return null;
            }

            var clock = Stopwatch.StartNew();

            int exitCode;
            IReadOnlyList<TaskOutputTracker> trackers;
            using (var logs = new TaskLogFiles(logFolder))
            {
                trackers = StartLogTrackers(context, jobId, taskId, logs);
                try
                {
                    WriteVerbose($"Running {command} in '{workingDirectory}'; logs in '{logFolder}'.");
                    exitCode = ParameterSetName == ScriptSet
                        ? ScriptBlockRunner.Run(ScriptBlock, ArgumentList, ShowsInformation(), logs)
                        : NativeCommandRunner.Run(program, arguments, batchFile,
                            workingDirectory, logs, echo: Host.Name == "ConsoleHost", StopToken);
                }
                finally
                {
                    logs.Output.Flush();
                    logs.Error.Flush();
                    StopTrackers(trackers);
                }
            }

            var saveOutputs = condition == Batch.UploadCondition.TaskCompletion || (exitCode == 0) == (condition == Batch.UploadCondition.TaskSuccess);
            var outputs = saveOutputs ? SaveOutputs(context, jobId, taskId) : new BatchOutputFile[0];
            WriteVerbose($"{command} exited with code {exitCode}; outputs {(saveOutputs ? "saved" : "not saved")} ({UploadCondition}).");
            return new TaskCommandResult
            {
                JobId = jobId,
                TaskId = taskId,
                Command = command,
                ExitCode = exitCode,
                Duration = clock.Elapsed,
                UploadCondition = condition.ToString(),
                OutputsSaved = saveOutputs,
                StandardOutputPath = System.IO.Path.Combine(logFolder, TaskLogFiles.OutputName),
                StandardErrorPath = System.IO.Path.Combine(logFolder, TaskLogFiles.ErrorName),
                Logs = trackers,
                Outputs = outputs,
            };
        }

        private IReadOnlyList<TaskOutputTracker> StartLogTrackers(BatchOutputStorageContext context, string jobId, string taskId, TaskLogFiles logs)
        {
            var owner = RunspaceTrackers.Current;
            var started = new List<TaskOutputTracker>();
            try
            {
                foreach (var (localPath, name) in new[] { (logs.OutputPath, TaskLogFiles.OutputName), (logs.ErrorPath, TaskLogFiles.ErrorName) })
                {
                    var request = new TrackingRequest
                    {
                        Context = context, JobId = jobId, TaskId = taskId, Kind = OutputKind.TaskLog, Path = name, LocalPath = localPath,
                        FlushInterval = FlushInterval, Events = owner, Owner = owner,
                    };
                    started.Add(RunOperation((sink, ct) => OutputTracking.StartAsync(request, ct)));
                }
            }
            catch
            {
                // stderr's tracker failed to start: stdout's must not go on without its command.
                OutputTracking.StopWithin(started, TrackingDefaults.ShutdownFlushTimeout);
                throw;
            }

            TrackingWarnings.WritePending(this);
            return started;
        }

        private void StopTrackers(IReadOnlyList<TaskOutputTracker> trackers)
        {
            if (StopToken.IsCancellationRequested)
            {
                // Ctrl+C: the pipeline is stopping and takes no more work or output, but the logs written so far still get
                // their final flush, bounded as at process exit, so that no tracker outlives the command.
                OutputTracking.StopWithin(trackers, TrackingDefaults.ShutdownFlushTimeout);
                return;
            }

            // The log files are complete once the command has ended: no grace period is needed before the final flush.
            RunOperation((sink, ct) => OutputTracking.StopAsync(trackers, TimeSpan.Zero, ct));
            TrackingWarnings.WritePending(this);
            foreach (var tracker in trackers.Where(t => t.State == TrackerState.Failed))
            {
                WriteError(ErrorRecords.From(tracker.GetLastError() ?? new BatchOutputException("TrackingFailed", FailureCategory.WriteError,
                    $"The final flush of '{tracker.LocalPath}' to '{tracker.BlobName}' failed.", tracker.LocalPath)));
            }
        }

        private IReadOnlyList<BatchOutputFile> SaveOutputs(BatchOutputStorageContext context, string jobId, string taskId)
        {
            var items = new List<UploadItem>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var (paths, kind) in new[] { (OutputPath, OutputKind.TaskOutput), (PreviewPath, OutputKind.TaskPreview), (IntermediatePath, OutputKind.TaskIntermediate) })
            {
                foreach (var path in paths ?? new string[0])
                {
                    try
                    {
                        foreach (var file in LocalPaths.Resolve(this, path))
                        {
                            var blobName = BlobNaming.GetBlobName(taskId, kind, file.RelativePath);
                            if (seen.Add(blobName))
                            {
                                items.Add(new UploadItem(file.FullPath, taskId, kind.Name, NormalizedPath(file.RelativePath), blobName, file.Length));
                            }
                        }
                    }
                    catch (BatchOutputException missing) when (missing.ErrorId == "NoFilesMatched" || missing.ErrorId == "PathNotFound")
                    {
                        // A command may legitimately leave no output of a kind; say so without failing the task.
                        WriteWarning($"{kind.Name}: {missing.Message}");
                    }
                }
            }

            if (items.Count == 0)
            {
                return new BatchOutputFile[0];
            }

            CollectingSink<BatchOutputFile> collected = null;
            RunOperation((sink, ct) =>
            {
                collected = new CollectingSink<BatchOutputFile>(sink);
                return OutputUploader.UploadAsync(context, jobId, ContainerNaming.GetContainerName(jobId), items, BoundedParallelDefaults.Files, collected, ct);
            });
            return collected.Items;
        }

        /// <summary>Whether this command shows Write-Information's messages: -InformationAction, else $InformationPreference.</summary>
        private bool ShowsInformation()
        {
            var preference = MyInvocation.BoundParameters.TryGetValue("InformationAction", out var given) ? given : GetVariableValue("InformationPreference");
            return LanguagePrimitives.TryConvertTo<ActionPreference>(preference, out var value) && value == ActionPreference.Continue;
        }

        private static string NormalizedPath(string relativePath) => Conventions.OutputPath.Normalize(relativePath);

        private static string Shorten(string text)
        {
            var oneLine = text.Replace("\r", " ").Replace("\n", " ").Trim();
            return oneLine.Length <= 60 ? oneLine : oneLine.Substring(0, 57) + "...";
        }
    }
}
