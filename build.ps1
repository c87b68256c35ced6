<#
.SYNOPSIS
    Builds, tests, packages and demonstrates AzBatchOutput: a thin layer over dotnet for people with pwsh.
.DESCRIPTION
    Build   : dotnet build; the importable module is assembled in out/AzBatchOutput.
    Test    : scripts/test.sh (xunit against a real Azurite, then the Pester 5 suites in tests/Pester).
    Package : copies out/AzBatchOutput to out/package/AzBatchOutput/<version> ready for Publish-Module or a zip.
    Demo    : builds the module and runs demo/demo.ps1, a job's lifecycle against an Azurite it starts.
.EXAMPLE
    ./build.ps1 -Task Build, Test
#>
[CmdletBinding()]
param(
    [ValidateSet('Build', 'Test', 'Package', 'Demo')]
    [string[]] $Task = @('Build'),

    [ValidateSet('Debug', 'Release')]
    [string] $Configuration = 'Release'
)

$ErrorActionPreference = 'Stop'
Set-StrictMode -Version Latest
Push-Location $PSScriptRoot
try {
    foreach ($step in $Task) {
        switch ($step) {
            'Build' {
                dotnet build AzBatchOutput.sln -c $Configuration -nologo
                if ($LASTEXITCODE) { throw "dotnet build failed ($LASTEXITCODE)." }
                Write-Host "Module assembled in $(Join-Path $PSScriptRoot 'out/AzBatchOutput')"
            }
            'Test' {
                $env:CONFIGURATION = $Configuration
                bash scripts/test.sh
                if ($LASTEXITCODE) { throw "Tests failed ($LASTEXITCODE)." }
            }
            'Package' {
                $manifest = Import-PowerShellDataFile AzBatchOutput.psd1
                $target = Join-Path $PSScriptRoot "out/package/AzBatchOutput/$($manifest.ModuleVersion)"
                if (Test-Path $target) { Remove-Item $target -Recurse -Force }
                New-Item -ItemType Directory -Path $target -Force | Out-Null
                Copy-Item -Path (Join-Path $PSScriptRoot 'out/AzBatchOutput/*') -Destination $target -Recurse
                Test-ModuleManifest (Join-Path $target 'AzBatchOutput.psd1') | Out-Null
                Write-Host "Packaged in $target"
            }
            'Demo' {
                dotnet build src/AzBatchOutput/AzBatchOutput.csproj -c $Configuration -nologo
                if ($LASTEXITCODE) { throw "dotnet build failed ($LASTEXITCODE)." }
                & (Join-Path $PSScriptRoot 'demo/demo.ps1')
            }
        }
    }
}
finally {
    Pop-Location
}
