using System;
using System.Collections.Generic;
using System.Management.Automation;
using System.Management.Automation.Runspaces;
using AzBatchOutput.TestSupport;

namespace AzBatchOutput.Module.Tests.Infrastructure
{
    /// <summary>
    /// A real PowerShell 7 runspace with the built module imported from out/AzBatchOutput, as a user's session.
    /// </summary>
    public sealed class ModuleSession : IDisposable
    {
        private ModuleSession(Runspace runspace, TempFolder folder)
        {
            Runspace = runspace;
            Folder = folder;
        }

        public Runspace Runspace { get; }

        /// <summary>The session's current location: a fresh temporary folder.</summary>
        public TempFolder Folder { get; }

        static ModuleSession()
        {
            // The hosted engine reports usage telemetry unless told not to; tests make no network calls but to loopback.
            Environment.SetEnvironmentVariable("POWERSHELL_TELEMETRY_OPTOUT", "1");
        }

        /// <summary>A session with the module imported and, unless told otherwise, connected to Azurite.</summary>
        public static ModuleSession Start(bool connect = true)
        {
            var state = InitialSessionState.CreateDefault2();
            var runspace = RunspaceFactory.CreateRunspace(state);
            runspace.Open();
            var session = new ModuleSession(runspace, new TempFolder());
            session.SetVariable("ModulePath", RepoPaths.ModuleFolder);
            session.Run("Import-Module $ModulePath -ErrorAction Stop; $ExecutionContext.SessionState.Path.SetLocation($TestFolder) | Out-Null",
                ("TestFolder", session.Folder.Path)).ThrowIfFailed();
            if (connect)
            {
                session.SetVariable("ConnectionString", TestStorage.ConnectionString);
                session.Run("Connect-BatchOutputStorage -ConnectionString $ConnectionString | Out-Null").ThrowIfFailed();
            }

            return session;
        }

        public void SetVariable(string name, object value) => Runspace.SessionStateProxy.SetVariable(name, value);

        public PSResult Run(string script, params (string Name, object Value)[] variables)
        {
            foreach (var (name, value) in variables)
            {
                SetVariable(name, value);
            }

            using (var shell = PowerShell.Create())
            {
                shell.Runspace = Runspace;
                shell.AddScript(script);
                var result = new PSResult();
                try
                {
                    foreach (var item in shell.Invoke())
                    {
                        result.Output.Add(item);
                    }
                }
                catch (RuntimeException terminating)
                {
                    result.Terminating = terminating.ErrorRecord;
                }

                result.Errors.AddRange(shell.Streams.Error);
                result.Warnings.AddRange(shell.Streams.Warning);
                result.Verbose.AddRange(shell.Streams.Verbose);
                result.Debug.AddRange(shell.Streams.Debug);
                result.Progress.AddRange(shell.Streams.Progress);
                result.Information.AddRange(shell.Streams.Information);
                return result;
            }
        }

        public void Dispose()
        {
            Runspace.Dispose();
            Folder.Dispose();
        }
    }

    public sealed class PSResult
    {
        public List<PSObject> Output { get; } = new List<PSObject>();

        public List<ErrorRecord> Errors { get; } = new List<ErrorRecord>();

        public ErrorRecord Terminating { get; set; }

        public List<WarningRecord> Warnings { get; } = new List<WarningRecord>();

        public List<VerboseRecord> Verbose { get; } = new List<VerboseRecord>();

        public List<DebugRecord> Debug { get; } = new List<DebugRecord>();

        public List<ProgressRecord> Progress { get; } = new List<ProgressRecord>();

        public List<InformationRecord> Information { get; } = new List<InformationRecord>();

        /// <summary>Every error, non-terminating and terminating.</summary>
        public IEnumerable<ErrorRecord> AllErrors
        {
            get
            {
                foreach (var error in Errors)
                {
                    yield return error;
                }

                if (Terminating != null)
                {
                    yield return Terminating;
                }
            }
        }

        public PSResult ThrowIfFailed()
        {
            foreach (var error in AllErrors)
            {
                throw new InvalidOperationException($"PowerShell reported an error: {error.FullyQualifiedErrorId}: {error}\n{error.ScriptStackTrace}");
            }

            return this;
        }

        /// <summary>The one error this run had; fails when there is none or several.</summary>
        public ErrorRecord SingleError()
        {
            var all = new List<ErrorRecord>(AllErrors);
            if (all.Count != 1)
            {
                throw new InvalidOperationException($"Expected exactly one error, got {all.Count}: {string.Join(" | ", all.ConvertAll(e => e.FullyQualifiedErrorId + ": " + e))}");
            }

            return all[0];
        }
    }
}
