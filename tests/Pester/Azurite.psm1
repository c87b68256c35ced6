# Starts and stops a real Azurite for the Pester suites: in memory, no telemetry, on a free loopback port.
# Installs it from tools/azurite's committed lockfile first (npm ci), like the xunit fixture does.

function Start-TestAzurite {
    [CmdletBinding()]
    param()
    $repo = Resolve-Path (Join-Path $PSScriptRoot '../..')
    $azuriteDir = Join-Path $repo 'tools/azurite'
    $main = Join-Path $azuriteDir 'node_modules/azurite/dist/src/blob/main.js'
    if (-not (Test-Path $main)) {
        Push-Location $azuriteDir
        try { npm ci --no-audit --no-fund --loglevel=error | Out-Null } finally { Pop-Location }
        if ($LASTEXITCODE -ne 0) { throw "npm ci in $azuriteDir failed ($LASTEXITCODE): Azurite cannot be installed." }
    }

    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start(); $port = $listener.LocalEndpoint.Port; $listener.Stop()
    $log = Join-Path ([System.IO.Path]::GetTempPath()) "azurite-pester-$port.log"
    $process = Start-Process -FilePath node -PassThru -NoNewWindow -RedirectStandardOutput $log -ArgumentList @(
        $main, '--blobHost', '127.0.0.1', '--blobPort', $port, '--inMemoryPersistence', '--disableTelemetry', '--skipApiVersionCheck', '--loose')

    $endpoint = "http://127.0.0.1:$port/devstoreaccount1"
    $deadline = [DateTime]::UtcNow.AddSeconds(30)
    while ($true) {
        try {
            $client = [System.Net.Sockets.TcpClient]::new('127.0.0.1', $port); $client.Dispose(); break
        } catch {
            if ($process.HasExited -or [DateTime]::UtcNow -gt $deadline) {
                throw "Azurite did not start on port $port; its output: $(Get-Content $log -Raw -ErrorAction SilentlyContinue)"
            }
            Start-Sleep -Milliseconds 200
        }
    }

    $key = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
    [pscustomobject]@{
        Process          = $process
        BlobEndpoint     = $endpoint
        ConnectionString = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=$endpoint"
    }
}

function Stop-TestAzurite {
    [CmdletBinding()]
    param([Parameter(Mandatory)] $Server)
    if (-not $Server.Process.HasExited) { $Server.Process.Kill($true) }
}

Export-ModuleMember -Function Start-TestAzurite, Stop-TestAzurite
