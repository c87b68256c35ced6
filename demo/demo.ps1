<#
.SYNOPSIS
    AzBatchOutput demo: a render job's outputs saved by its tasks, then found, downloaded and reported again.
.DESCRIPTION
    Runs in pwsh 7 with the module built in out/AzBatchOutput (scripts/demo.sh installs pwsh, builds the module and
    runs this). Without -ConnectionString it starts a local Azurite (tools/azurite) and stops it at the end. Results
    go to Out-Host as each step ends, so that they show up under their headings.
.PARAMETER ConnectionString
    The storage account to use instead of a local Azurite. In your own session, Connect-BatchOutputStorage to your
    storage account (-AccountName ..., or after Connect-AzAccount) and run the steps below.
#>
param([string] $ConnectionString)

$ErrorActionPreference = 'Stop'
$jobId = 'render-2026-11'
$work = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), "azbatchoutput-demo-$PID")
$downloadFolder = [System.IO.Path]::Combine($work, 'downloaded')
$repo = Split-Path -Parent $PSScriptRoot
Import-Module (Join-Path $repo 'out/AzBatchOutput/AzBatchOutput.psd1')
$azurite = $null
$thumbnail = [Convert]::FromBase64String(
    'iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEklEQVR42mP438MgF3WCAUIBACizBZe24nOrAAAAAElFTkSuQmCC')

try {
    if (-not $ConnectionString) {
        Import-Module (Join-Path $repo 'tools/azurite/Azurite.psm1')
        Write-Host 'Starting Azurite (local Azure Storage emulator)...'
        $azurite = Start-LocalAzurite
        Write-Host "Azurite blob service: $($azurite.BlobEndpoint)"
        $ConnectionString = $azurite.ConnectionString
    }

    Write-Host "`n== Connect to storage and create the job's output container" -ForegroundColor Cyan
    $null = Connect-BatchOutputStorage -ConnectionString $ConnectionString
    Initialize-BatchJobOutputStorage -JobId $jobId | Out-Host

    Write-Host "`n== Three tasks save their results, a preview and their log" -ForegroundColor Cyan
    $saved = foreach ($taskId in 'frame-001', 'frame-002', 'frame-003') {
        # What a task leaves behind: a folder of results, a thumbnail, its stdout.
        $taskFolder = [System.IO.Path]::Combine($work, $taskId)
        $results = [System.IO.Directory]::CreateDirectory([System.IO.Path]::Combine($taskFolder, 'results', 'passes')).Parent.FullName
        [System.IO.File]::WriteAllText([System.IO.Path]::Combine($results, "$taskId.exr"), "pixels of $taskId")
        [System.IO.File]::WriteAllText([System.IO.Path]::Combine($results, 'passes', 'depth.exr'), "depth of $taskId")
        $thumb = [System.IO.Path]::Combine($taskFolder, 'thumb.png')
        [System.IO.File]::WriteAllBytes($thumb, $thumbnail)
        $log = [System.IO.Path]::Combine($taskFolder, 'stdout.txt')
        [System.IO.File]::WriteAllText($log, "rendering $taskId`nsamples: 256`ndone in 42 s`n")

        Save-BatchTaskOutput -JobId $jobId -TaskId $taskId -Kind TaskOutput -Path $results
        Save-BatchTaskOutput -JobId $jobId -TaskId $taskId -Kind TaskPreview -Path $thumb
        Save-BatchTaskOutput -JobId $jobId -TaskId $taskId -Kind TaskLog -Path $log
        Write-Host "  $taskId saved"
    }
    Write-Host "  $(@($saved).Count) task files uploaded"

    Write-Host "`n== The job saves its summary" -ForegroundColor Cyan
    $summary = [System.IO.Path]::Combine($work, 'summary.csv')
    [System.IO.File]::WriteAllText($summary, "task,seconds`nframe-001,42`nframe-002,40`nframe-003,45`n")
    Save-BatchJobOutput -JobId $jobId -Kind JobOutput -Path $summary | Out-Host

    Write-Host "`n== Every task's outputs" -ForegroundColor Cyan
    Get-BatchTaskOutput -JobId $jobId | Out-Host

    Write-Host "`n== The log of frame-002" -ForegroundColor Cyan
    Get-BatchTaskOutput -JobId $jobId -TaskId frame-002 -Kind TaskLog | Out-Host

    Write-Host "`n== The job's own outputs" -ForegroundColor Cyan
    Get-BatchJobOutput -JobId $jobId | Out-Host

    Write-Host "`n== Download every task's outputs to $downloadFolder" -ForegroundColor Cyan
    $downloaded = Get-BatchTaskOutput -JobId $jobId -Destination $downloadFolder
    Write-Host "  $(@($downloaded).Count) files downloaded:"
    $files = [System.IO.Directory]::GetFiles($downloadFolder, '*', [System.IO.SearchOption]::AllDirectories)
    [Array]::Sort($files)
    $files | ForEach-Object { '  ' + $_.Substring($downloadFolder.Length + 1) }

    Write-Host "`n== A report of the job to open in a browser" -ForegroundColor Cyan
    $reportPath = [System.IO.Path]::Combine([System.IO.Path]::GetTempPath(), "$jobId-report.html")
    $report = Export-BatchJobOutputReport -JobId $jobId -Path $reportPath -IncludePreviews -PassThru
    Write-Host "  $($report.FullName) ($($report.Length) bytes, self-contained)"
}
finally {
    if ([System.IO.Directory]::Exists($work)) { [System.IO.Directory]::Delete($work, $true) }
    if ($azurite) { Write-Host 'Stopping Azurite.'; Stop-LocalAzurite -Server $azurite }
}
