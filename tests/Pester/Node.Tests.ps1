#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# What a Batch compute node runs: task command lines and tracked logs in their own pwsh processes, and the
# demo.
# In a real pwsh, which the xunit tests' engine (Core cmdlets only) is not: scripts/test.sh installs pwsh and Pester
# from NuGet and runs tests/Pester after `dotnet build`. The module is imported from out/AzBatchOutput.

BeforeAll { . (Join-Path $PSScriptRoot 'PesterSession.ps1') }

AfterAll { Stop-PesterSession -Session $Session }

Describe 'On a compute node: a task command line in its own pwsh' {
    BeforeAll {
        $script:Node = @{
            AZ_BATCH_JOB_ID             = $JobId
            AZBATCHOUTPUT_CONTAINER_URL = (New-BatchJobOutputSas -JobId $JobId).Url
        }
    }

    It 'ends pwsh with the command''s exit code <Code> and saves outputs only on success' -ForEach @(
        @{ Code = 0; TaskId = 'node-ok' }
        @{ Code = 3; TaskId = 'node-fails' }
    ) {
        $work = Join-Path $TestDrive $TaskId
        New-Item -ItemType Directory -Path (Join-Path $work 'out') -Force | Out-Null
        Set-Content -Path (Join-Path $work 'out/result.txt') -Value 'result'
        $environment = $Node.Clone(); $environment['AZ_BATCH_TASK_ID'] = $TaskId
        $run = Invoke-ChildPwsh -WorkingDirectory $work -Environment $environment -Command (
            "Import-Module '$ModuleManifest'; Invoke-BatchTaskCommand -FilePath /bin/sh -ArgumentList '-c', 'echo rendering; echo warn >&2; exit $Code' -OutputPath out")

        $run.ExitCode | Should -Be $Code
        $run.Output | Should -Match 'rendering'
        $saved = Get-BatchTaskOutput -JobId $JobId -TaskId $TaskId
        ($saved | Where-Object Kind -eq 'TaskLog').Path | Sort-Object | Should -Be @('stderr.txt', 'stdout.txt')
        $log = Join-Path $TestDrive "$TaskId-logs"
        Get-BatchTaskOutput -JobId $JobId -TaskId $TaskId -Kind TaskLog -Destination $log | Out-Null
        Get-Content (Join-Path $log "$TaskId/TaskLog/stdout.txt") | Should -Be 'rendering'
        Get-Content (Join-Path $log "$TaskId/TaskLog/stderr.txt") | Should -Be 'warn'
        $outputs = @($saved | Where-Object Kind -eq 'TaskOutput').Path
        if ($Code -eq 0) { $outputs | Should -Be @('result.txt') } else { $outputs | Should -BeNullOrEmpty }
    }

    It 'saves a script block''s Write-Host lines and warnings in stdout.txt, and still shows them' {
        $environment = $Node.Clone(); $environment['AZ_BATCH_TASK_ID'] = 'node-script'
        $run = Invoke-ChildPwsh -WorkingDirectory $TestDrive -Environment $environment -Command (
            "Import-Module '$ModuleManifest'; Invoke-BatchTaskCommand -ScriptBlock { 'result 42'; Write-Host 'rendering frame 7'; " +
            "Write-Warning 'disk almost full'; Write-Verbose 'hidden'; Write-Information 'hidden too'; Write-Error 'frame 8 failed' }")
        $run.ExitCode | Should -Be 1
        $run.Output | Should -Match 'rendering frame 7'
        $run.Output | Should -Match 'WARNING: disk almost full'
        $log = Join-Path $TestDrive 'node-script-logs'
        Get-BatchTaskOutput -JobId $JobId -TaskId 'node-script' -Kind TaskLog -Destination $log | Out-Null
        Get-Content (Join-Path $log 'node-script/TaskLog/stdout.txt') | Should -Be @('result 42', 'rendering frame 7', 'WARNING: disk almost full')
        Get-Content (Join-Path $log 'node-script/TaskLog/stderr.txt') | Should -Be @('frame 8 failed')
    }

    It 'stops the program and what it started on Ctrl+C (SIGINT), and still saves its logs' -Skip:(-not $IsLinux) {
        $environment = $Node.Clone(); $environment['AZ_BATCH_TASK_ID'] = 'node-interrupted'
        $work = Join-Path $TestDrive 'node-interrupted'
        New-Item -ItemType Directory -Path $work -Force | Out-Null
        # The shell starts a long sleep of its own, says its process ID, and waits for it.
        $process = Start-ChildPwsh -WorkingDirectory $work -Environment $environment -Command (
            "Import-Module '$ModuleManifest'; Invoke-BatchTaskCommand -FilePath /bin/sh -ArgumentList '-c', 'sleep 300 & echo started `$!; wait'")
        $line = $process.StandardOutput.ReadLine()
        $line | Should -Match '^started \d+$'
        $sleeper = [int]($line -split ' ')[1]

        # A child inherits an ignored SIGINT (tests started with `cmd &` from a non-interactive shell) and could never stop.
        $sigIgn = Get-Content /proc/self/status | Where-Object { $_ -like 'SigIgn:*' } | Select-Object -First 1
        $ignored = [Convert]::ToUInt64(($sigIgn -replace '^SigIgn:\s*'), 16)
        ($ignored -band 2) | Should -Be 0 -Because 'SIGINT must not be ignored in this process tree: run the tests in the foreground'
        & /bin/kill -INT $process.Id
        $process.WaitForExit(30000) | Should -BeTrue -Because 'pwsh ends on Ctrl+C'
        $process.ExitCode | Should -Not -Be 0
        # Killed after its parent, the sleep is reparented; where init does not reap (a container), it stays a
        # zombie (state Z) in /proc: stopped all the same.
        $stat = "/proc/$sleeper/stat"
        foreach ($look in 1..20) {
            $running = (Test-Path $stat) -and ((Get-Content -Raw $stat -ErrorAction SilentlyContinue) -match '^\d+ \(.*\) [^Z] ')
            if (-not $running) { break }
            Start-Sleep -Milliseconds 100
        }
        $running | Should -BeFalse -Because 'the program''s own child is stopped too'
        $log = Join-Path $TestDrive 'interrupted-logs'
        Get-BatchTaskOutput -JobId $JobId -TaskId 'node-interrupted' -Kind TaskLog -Destination $log | Out-Null
        Get-Content (Join-Path $log 'node-interrupted/TaskLog/stdout.txt') | Should -Match '^started \d+$'
    }
}

Describe 'A tracked log when its pwsh ends' {
    BeforeAll {
        $script:Node = @{ AZ_BATCH_JOB_ID = $JobId; AZBATCHOUTPUT_CONTAINER_URL = (New-BatchJobOutputSas -JobId $JobId).Url }
        # A flush interval far longer than the test: only the final flush can have saved the last line.
        $script:Track = "Import-Module '$ModuleManifest'; Set-Content log.txt 'first line'; " +
            "Start-BatchTaskOutputTracking -Path log.txt -FlushInterval 00:10:00 | Out-Null; Add-Content log.txt 'last line'"

        function script:Get-SavedLog([string] $TaskId) {
            $folder = Join-Path $TestDrive "saved-$TaskId"
            Get-BatchTaskOutput -JobId $JobId -TaskId $TaskId -Kind TaskLog -Destination $folder | Out-Null
            Get-Content -LiteralPath (Join-Path $folder "$TaskId/TaskLog/log.txt")
        }
    }

    It 'holds every line when pwsh -c ends by itself' {
        $environment = $Node.Clone(); $environment['AZ_BATCH_TASK_ID'] = 'tracked-exit'
        $run = Invoke-ChildPwsh -WorkingDirectory $TestDrive -Command $Track -Environment $environment
        $run.ExitCode | Should -Be 0
        Get-SavedLog 'tracked-exit' | Should -Be @('first line', 'last line')
    }

    It 'holds every line when pwsh is stopped with SIGTERM' -Skip:$IsWindows {
        $environment = $Node.Clone(); $environment['AZ_BATCH_TASK_ID'] = 'tracked-sigterm'
        $process = Start-ChildPwsh -WorkingDirectory $TestDrive -Command "$Track; 'tracking'; Start-Sleep -Seconds 120" -Environment $environment
        $process.StandardOutput.ReadLine() | Should -Be 'tracking'
        & /bin/kill -TERM $process.Id
        $process.WaitForExit(30000) | Should -BeTrue -Because 'pwsh ends on SIGTERM'
        Get-SavedLog 'tracked-sigterm' | Should -Be @('first line', 'last line')
    }
}

Describe 'The demo (scripts/demo.sh runs demo/demo.ps1)' {
    It 'runs to the end against this Azurite, downloading every output and writing the report' {
        $demo = Join-Path $PSScriptRoot '../../demo/demo.ps1'
        $run = Invoke-ChildPwsh -WorkingDirectory $TestDrive -Command "& '$demo' -ConnectionString `$env:TEST_CS" -Environment @{ TEST_CS = $Server.ConnectionString }
        $run.Errors | Should -BeNullOrEmpty
        $run.ExitCode | Should -Be 0
        $run.Output | Should -Match '12 files downloaded'
        $run.Output | Should -Match 'frame-003/TaskPreview/thumb\.png'
        $run.Output | Should -Match 'report\.html \(\d+ bytes, self-contained\)'
    }
}
