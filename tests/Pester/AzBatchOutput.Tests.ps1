#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Journeys in a real pwsh, with its Utility and Management cmdlets, its formatting and its tab completion, which
# the xunit tests' engine (Core cmdlets only) lacks; and task command lines run as their own pwsh processes, as a
# Batch node runs them. scripts/test.sh installs pwsh and Pester from NuGet and runs this after `dotnet build`.
# The module is imported from out/AzBatchOutput, never from bin/.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot '../../tools/azurite/Azurite.psm1') -Force
    $script:Server = Start-LocalAzurite
    Import-Module (Join-Path $PSScriptRoot '../../out/AzBatchOutput/AzBatchOutput.psd1') -Force
    Connect-BatchOutputStorage -ConnectionString $Server.ConnectionString | Out-Null
    $script:JobId = "Pester_Job-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    Initialize-BatchJobOutputStorage -JobId $JobId | Out-Null
    $script:ModuleManifest = (Resolve-Path (Join-Path $PSScriptRoot '../../out/AzBatchOutput/AzBatchOutput.psd1')).Path

    # Starts a command line in a new pwsh process, as a task's command line runs on a node, with its stdout and
    # stderr redirected. The environment is this process's plus -Environment.
    function script:Start-ChildPwsh {
        param([string] $Command, [hashtable] $Environment = @{}, [string] $WorkingDirectory = $TestDrive)
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
    function script:Invoke-ChildPwsh {
        param([string] $Command, [hashtable] $Environment = @{}, [string] $WorkingDirectory = $TestDrive)
        $process = Start-ChildPwsh -Command $Command -Environment $Environment -WorkingDirectory $WorkingDirectory
        $stderr = $process.StandardError.ReadToEndAsync()
        $stdout = $process.StandardOutput.ReadToEnd()
        if (-not $process.WaitForExit(120000)) { $process.Kill($true); throw "pwsh -c '$Command' did not end within 2 minutes." }
        [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout; Errors = $stderr.Result }
    }
}

AfterAll {
    Stop-LocalAzurite -Server $Server
}

Describe 'Module' {
    It 'exports the cmdlets, each with a synopsis and an example' {
        $commands = Get-Command -Module AzBatchOutput
        $commands.Name | Should -Contain 'Save-BatchTaskOutput'
        foreach ($command in $commands) {
            $help = Get-Help $command.Name -Full
            $help.Synopsis | Should -Not -BeNullOrEmpty -Because $command.Name
            @($help.Examples.Example).Count | Should -BeGreaterOrEqual 2 -Because $command.Name
        }
    }
}

Describe 'Conventions' {
    It 'names the container <Container> for job <JobId>' -ForEach @(
        @{ JobId = 'MyTerrificJob'; Container = 'job-myterrificjob' }
        @{ JobId = 'my_job-bob'; Container = 'job-my-job-bob-e04620bc2add214df74e158ba60d24273a0e0927' }
        @{ JobId = 'job:my-job-1'; Container = 'job-job-my-job-1-fdddfdd04eab0771edb90374860d2736481d162d' }
    ) {
        (Initialize-BatchJobOutputStorage -JobId $JobId).ContainerName | Should -Be $Container
    }

    It 'refuses a job ID Batch would refuse' {
        { Initialize-BatchJobOutputStorage -JobId 'bad job' -ErrorAction Stop } | Should -Throw -ErrorId 'InvalidJobId,AzBatchOutput.Cmdlets.InitializeBatchJobOutputStorageCommand'
    }
}

Describe 'Saving and finding outputs' {
    BeforeAll {
        $script:Work = Join-Path $TestDrive 'work'
        New-Item -ItemType Directory -Path (Join-Path $Work 'frames') -Force | Out-Null
        Set-Content -Path (Join-Path $Work 'frames/f1.txt') -Value 'frame one'
        Set-Content -Path (Join-Path $Work 'stdout.txt') -Value 'log line'
    }

    It 'saves <Kind> and reads it back byte for byte' -ForEach @(
        @{ Kind = 'TaskOutput' }, @{ Kind = 'TaskPreview' }, @{ Kind = 'TaskLog' }, @{ Kind = 'TaskIntermediate' }, @{ Kind = 'Custom1' }
    ) {
        $saved = Save-BatchTaskOutput -JobId $JobId -TaskId 'task-1' -Kind $Kind -Path (Join-Path $Work 'stdout.txt')
        $saved.BlobName | Should -Be "task-1/`$$Kind/stdout.txt"
        $destination = Join-Path $TestDrive "dl-$Kind"
        Get-BatchTaskOutput -JobId $JobId -TaskId 'task-1' -Kind $Kind -Destination $destination | Out-Null
        (Get-FileHash (Join-Path $destination "task-1/$Kind/stdout.txt")).Hash | Should -Be (Get-FileHash (Join-Path $Work 'stdout.txt')).Hash
    }

    It 'saves a folder recursively and pipes FileInfo objects' {
        Save-BatchTaskOutput -JobId $JobId -TaskId 'task-2' -Path (Join-Path $Work 'frames') | Out-Null
        Get-ChildItem $Work -File | Save-BatchTaskOutput -JobId $JobId -TaskId 'task-2' -Kind TaskLog | Out-Null
        (Get-BatchTaskOutput -JobId $JobId -TaskId 'task-2').BlobName | Sort-Object | Should -Be @('task-2/$TaskLog/stdout.txt', 'task-2/$TaskOutput/f1.txt')
    }

    It 'takes an Az.Batch-shaped task from the pipeline' {
        $task = [pscustomobject]@{ Id = 'task-2'; Url = "https://acct.westus.batch.azure.com/jobs/$JobId/tasks/task-2" }
        ($task | Get-BatchTaskOutput -Kind TaskLog).Path | Should -Be 'stdout.txt'
    }

    It 'saves job outputs and removes piped outputs' {
        Save-BatchJobOutput -JobId $JobId -Path (Join-Path $Work 'stdout.txt') -DestinationPath 'out/merged.txt' | Out-Null
        (Get-BatchJobOutput -JobId $JobId).BlobName | Should -Be '$JobOutput/out/merged.txt'
        Get-BatchJobOutput -JobId $JobId | Remove-BatchOutput -Confirm:$false
        Get-BatchJobOutput -JobId $JobId | Should -BeNullOrEmpty
    }

    It 'changes nothing with -WhatIf' {
        Remove-BatchJobOutputStorage -JobId $JobId -WhatIf
        Get-BatchJobOutputStorage -JobId $JobId | Should -Not -BeNullOrEmpty
    }
}

Describe 'A task with only the default SAS' {
    It 'saves but cannot list' {
        $sas = New-BatchJobOutputSas -JobId $JobId
        $sas.Permissions | Should -Be 'acw'
        $task = Connect-BatchOutputStorage -ContainerUrl $sas.Url
        $file = Join-Path $TestDrive 'sas.txt'; Set-Content $file 'x'
        (Save-BatchTaskOutput -JobId $JobId -TaskId 't9' -Path $file -Context $task).BlobName | Should -Be 't9/$TaskOutput/sas.txt'
        { Get-BatchTaskOutput -JobId $JobId -Context $task -ErrorAction Stop } | Should -Throw -ErrorId 'StoragePermissionDenied,AzBatchOutput.Cmdlets.GetBatchTaskOutputCommand'
        Connect-BatchOutputStorage -ConnectionString $Server.ConnectionString | Out-Null
    }
}

Describe 'Downloaded files in the pipeline' {
    BeforeAll {
        $script:Frames = Join-Path $TestDrive 'render'
        New-Item -ItemType Directory -Path $Frames -Force | Out-Null
        Set-Content -LiteralPath (Join-Path $Frames 'frame[1].txt') -Value 'first frame'
        Set-Content -LiteralPath (Join-Path $Frames 'frame2.txt') -Value 'second frame'
        Get-ChildItem -LiteralPath $Frames -File | Save-BatchTaskOutput -JobId $JobId -TaskId 'render-1' | Out-Null
    }

    It 'pipes into Get-FileHash and Remove-Item, a name with [ ] included' {
        $destination = Join-Path $TestDrive 'dl-hash'
        $files = Get-BatchTaskOutput -JobId $JobId -TaskId 'render-1' -Destination $destination
        $hashes = $files | Get-FileHash
        $hashes.Count | Should -Be 2
        $expected = Get-FileHash -LiteralPath (Join-Path $Frames 'frame[1].txt')
        ($hashes | Where-Object Path -like '*frame`[1`].txt').Hash | Should -Be $expected.Hash

        $files | Remove-Item
        @(Get-ChildItem -LiteralPath (Join-Path $destination 'render-1/TaskOutput')).Count | Should -Be 0
    }

    It 'shows each file with its size and full path' {
        $destination = Join-Path $TestDrive 'dl-show'
        $table = Get-BatchTaskOutput -JobId $JobId -TaskId 'render-1' -Destination $destination | Out-String -Width 250
        $table | Should -Match 'LastWriteTime\s+Size\s+FullName'
        $table | Should -Match ('12 B\s+' + [regex]::Escape((Join-Path $destination 'render-1/TaskOutput/frame[1].txt')))
        $table | Should -Match ('13 B\s+' + [regex]::Escape((Join-Path $destination 'render-1/TaskOutput/frame2.txt')))
    }

    It 'tells -Path from -LiteralPath for a name with [ ]' {
        { Save-BatchTaskOutput -JobId $JobId -TaskId 'render-2' -Path (Join-Path $Frames 'frame[1].txt') -ErrorAction Stop } |
            Should -Throw -ErrorId 'NoFilesMatched,AzBatchOutput.Cmdlets.SaveBatchTaskOutputCommand' -ExpectedMessage '*-LiteralPath*'
        (Save-BatchTaskOutput -JobId $JobId -TaskId 'render-2' -LiteralPath (Join-Path $Frames 'frame[1].txt')).BlobName | Should -Be 'render-2/$TaskOutput/frame[1].txt'
    }
}

Describe 'At the prompt' {
    It 'shows listed outputs as a table grouped by task' {
        $table = Get-BatchTaskOutput -JobId $JobId -TaskId 'render-1' | Out-String -Width 200
        $table | Should -Match "Output of: Job $JobId  Task render-1"
        $table | Should -Match 'TaskOutput\s+12 B\s+\S+ \S+\s+frame\[1\]\.txt'
    }

    It 'completes <Parameter>' -ForEach @(
        @{ Parameter = '-JobId'; Line = 'Get-BatchTaskOutput -JobId Pester_'; Expected = { $JobId } }
        @{ Parameter = '-TaskId'; Line = 'Get-BatchTaskOutput -JobId {0} -TaskId render-'; Expected = { 'render-1' } }
        @{ Parameter = '-Kind'; Line = 'Save-BatchTaskOutput -Kind TaskP'; Expected = { 'TaskPreview' } }
    ) {
        $inputScript = $Line -f $JobId
        $completions = (TabExpansion2 -inputScript $inputScript -cursorColumn $inputScript.Length).CompletionMatches.CompletionText
        $completions | Should -Contain (& $Expected)
    }

    It 'reports a mistake in one line of what to fix, with no stack trace' {
        $run = Invoke-ChildPwsh "Import-Module '$ModuleManifest'; Get-BatchTaskOutput -JobId 'bad job'"
        $run.ExitCode | Should -Be 1
        $run.Errors | Should -Match "The job ID 'bad job' contains ' '"
        $run.Errors | Should -Not -Match '\bat AzBatchOutput\.|\bat System\.|Exception'
    }

    It 'keeps the account key out of verbose and debug output and out of errors' {
        $key = ($Server.ConnectionString -split 'AccountKey=')[1].Split(';')[0]
        $run = Invoke-ChildPwsh ("Import-Module '$ModuleManifest'; " +
            "Connect-BatchOutputStorage -ConnectionString `$env:TEST_CS -Verbose -Debug; " +
            "Get-BatchTaskOutput -JobId no-such-job -Verbose -Debug") -Environment @{ TEST_CS = $Server.ConnectionString }
        $run.Output | Should -Match 'VERBOSE: .*devstoreaccount1'
        $run.Errors | Should -Match 'does not exist'
        "$($run.Output)$($run.Errors)" | Should -Not -Match ([regex]::Escape($key))
    }
}

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
        $run = Invoke-ChildPwsh -Environment $environment -Command (
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
        $run = Invoke-ChildPwsh -Command $Track -Environment $environment
        $run.ExitCode | Should -Be 0
        Get-SavedLog 'tracked-exit' | Should -Be @('first line', 'last line')
    }

    It 'holds every line when pwsh is stopped with SIGTERM' -Skip:$IsWindows {
        $environment = $Node.Clone(); $environment['AZ_BATCH_TASK_ID'] = 'tracked-sigterm'
        $process = Start-ChildPwsh -Command "$Track; 'tracking'; Start-Sleep -Seconds 120" -Environment $environment
        $process.StandardOutput.ReadLine() | Should -Be 'tracking'
        & /bin/kill -TERM $process.Id
        $process.WaitForExit(30000) | Should -BeTrue -Because 'pwsh ends on SIGTERM'
        Get-SavedLog 'tracked-sigterm' | Should -Be @('first line', 'last line')
    }
}

Describe 'The demo (scripts/demo.sh runs demo/demo.ps1)' {
    It 'runs to the end against this Azurite, downloading every output and writing the report' {
        $demo = Join-Path $PSScriptRoot '../../demo/demo.ps1'
        $run = Invoke-ChildPwsh -Command "& '$demo' -ConnectionString `$env:TEST_CS" -Environment @{ TEST_CS = $Server.ConnectionString }
        $run.Errors | Should -BeNullOrEmpty
        $run.ExitCode | Should -Be 0
        $run.Output | Should -Match '12 files downloaded'
        $run.Output | Should -Match 'frame-003/TaskPreview/thumb\.png'
        $run.Output | Should -Match 'report\.html \(\d+ bytes, self-contained\)'
    }
}
