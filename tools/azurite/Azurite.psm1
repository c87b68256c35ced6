# Starts and stops a real Azurite for the demo and the Pester suites: the blob service only, in memory, no
# telemetry, on a free loopback port. Installs it from this folder's committed lockfile first (npm ci) when
# scripts/test.sh or scripts/demo.sh has not already. parent-watchdog.js ends Azurite when this process ends,
# however it ends, as it does for the xunit launcher.

function Start-LocalAzurite {
    [CmdletBinding()]
    param()
    $azuriteDir = $PSScriptRoot
    $main = Join-Path $azuriteDir 'node_modules/azurite/dist/src/blob/main.js'
    if (-not (Test-Path $main)) {
        Push-Location $azuriteDir
        try { npm ci --no-audit --no-fund --loglevel=error | Out-Null } finally { Pop-Location }
        if ($LASTEXITCODE -ne 0) { throw "npm ci in $azuriteDir failed ($LASTEXITCODE): Azurite cannot be installed." }
    }

    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
    $start = [System.Diagnostics.ProcessStartInfo]::new('node')
    foreach ($argument in @('--require', (Join-Path $azuriteDir 'parent-watchdog.js'), $main,
            '--blobHost', '127.0.0.1', '--blobPort', $port, '--inMemoryPersistence', '--disableTelemetry',
            '--skipApiVersionCheck', '--loose', '--silent')) {
        $start.ArgumentList.Add([string] $argument)
    }
    # stdin stays open as a pipe for the watchdog; stdout and stderr are read to their end in the background, so
    # Azurite never blocks on a full pipe and its words are at hand if it fails to start.
    $start.RedirectStandardInput = $true
    $start.RedirectStandardOutput = $true
    $start.RedirectStandardError = $true
    $process = [System.Diagnostics.Process]::Start($start)
    $stdout = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()

    $deadline = [DateTime]::UtcNow.AddSeconds(30)
    while ($true) {
        try {
            $client = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $port); $client.Dispose(); break
        } catch {
            if ($process.HasExited -or [DateTime]::UtcNow -gt $deadline) {
                if (-not $process.HasExited) { $process.Kill($true) }
                $null = $process.WaitForExit(5000)
                throw "Azurite did not start on port $port. It wrote: $($stdout.Result) $($stderr.Result)"
            }
            Start-Sleep -Milliseconds 200
        }
    }

    # Azurite's well-known development account and key (public, in its documentation): not a secret.
    $key = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
    $endpoint = "http://127.0.0.1:$port/devstoreaccount1"
    [pscustomobject]@{
        Process          = $process
        BlobEndpoint     = $endpoint
        ConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=$endpoint"
    }
}

function Stop-LocalAzurite {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Server)
    if (-not $Server.Process.HasExited) {
        $Server.Process.Kill($true)
        $null = $Server.Process.WaitForExit(5000)
    }
}

Export-ModuleMember -Function Start-LocalAzurite, Stop-LocalAzurite
