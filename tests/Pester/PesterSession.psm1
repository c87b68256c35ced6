# What every Pester file here shares (through PesterSession.ps1): a real Azurite, the module from out/AzBatchOutput
# connected to it with a new job, and child pwsh processes for what a Batch node runs as its own process.

$repo = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
$manifest = Join-Path $repo 'out/AzBatchOutput/AzBatchOutput.psd1'
Import-Module (Join-Path $repo 'tools/azurite/Azurite.psm1')

# Starts Azurite, imports the module into the caller's session, connects it and makes a job: Server, JobId,
# ModuleManifest (the path a child pwsh imports) and Repo.
function Start-PesterSession {
    $server = Start-LocalAzurite
    Import-Module $manifest -Force -Global
    Connect-BatchOutputStorage -ConnectionString $server.ConnectionString | Out-Null
    $jobId = "Pester_Job-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    Initialize-BatchJobOutputStorage -JobId $jobId | Out-Null
    [pscustomobject]@{ Server = $server; JobId = $jobId; ModuleManifest = (Resolve-Path $manifest).Path; Repo = $repo }
}

function Stop-PesterSession([Parameter(Mandatory)] $Session) {
    Stop-LocalAzurite -Server $Session.Server
}

# Starts a command line in a new pwsh process, as a task's command line runs on a node, with its stdout and stderr
# redirected. The environment is this process's plus -Environment.
function Start-ChildPwsh {
    param([Parameter(Mandatory)] [string] $Command, [Parameter(Mandatory)] [string] $WorkingDirectory, [hashtable] $Environment = @{})
    $start = [System.Diagnostics.ProcessStartInfo]::new([Environment]::ProcessPath)
    # pwsh installed as a .NET tool runs as 'dotnet pwsh.dll'; a native pwsh runs as itself.
    if ([System.IO.Path]::GetFileNameWithoutExtension([Environment]::ProcessPath) -eq 'dotnet') {
        $start.ArgumentList.Add((Join-Path $PSHOME 'pwsh.dll'))
    }
    foreach ($argument in '-NoLogo', '-NoProfile', '-NonInteractive', '-Command', $Command) { $start.ArgumentList.Add($argument) }
    $start.WorkingDirectory = $WorkingDirectory
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $start.Environment['POWERSHELL_TELEMETRY_OPTOUT'] = '1'
    $start.Environment['NO_COLOR'] = '1'
    foreach ($name in $Environment.Keys) { $start.Environment[$name] = $Environment[$name] }
    [System.Diagnostics.Process]::Start($start)
}

# Runs a command line in a new pwsh process to its end: its exit code and what it wrote to stdout and stderr.
function Invoke-ChildPwsh {
    param([Parameter(Mandatory)] [string] $Command, [Parameter(Mandatory)] [string] $WorkingDirectory, [hashtable] $Environment = @{})
    $process = Start-ChildPwsh -Command $Command -WorkingDirectory $WorkingDirectory -Environment $Environment
    $stderr = $process.StandardError.ReadToEndAsync()
    $stdout = $process.StandardOutput.ReadToEnd()
    if (-not $process.WaitForExit(120000)) { $process.Kill($true); throw "pwsh -c '$Command' did not end within 2 minutes." }
    [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout; Errors = $stderr.Result }
}

Export-ModuleMember -Function Start-PesterSession, Stop-PesterSession, Start-ChildPwsh, Invoke-ChildPwsh
