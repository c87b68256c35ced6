#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# Saving, finding and downloading outputs at the prompt: tables, completion, piping into Utility and
# Management cmdlets, errors and secrets as a user sees them.
# In a real pwsh, which the xunit tests' engine (Core cmdlets only) is not: scripts/test.sh installs pwsh and Pester
# from NuGet and runs tests/Pester after `dotnet build`. The module is imported from out/AzBatchOutput.

BeforeAll { . (Join-Path $PSScriptRoot 'PesterSession.ps1') }

AfterAll { Stop-PesterSession -Session $Session }

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
        $run = Invoke-ChildPwsh -WorkingDirectory $TestDrive "Import-Module '$ModuleManifest'; Get-BatchTaskOutput -JobId 'bad job'"
        $run.ExitCode | Should -Be 1
        $run.Errors | Should -Match "The job ID 'bad job' contains ' '"
        $run.Errors | Should -Not -Match '\bat AzBatchOutput\.|\bat System\.|Exception'
    }

    It 'keeps the account key out of verbose and debug output and out of errors' {
        $key = ($Server.ConnectionString -split 'AccountKey=')[1].Split(';')[0]
        $run = Invoke-ChildPwsh -WorkingDirectory $TestDrive ("Import-Module '$ModuleManifest'; " +
            "Connect-BatchOutputStorage -ConnectionString `$env:TEST_CS -Verbose -Debug; " +
            "Get-BatchTaskOutput -JobId no-such-job -Verbose -Debug") -Environment @{ TEST_CS = $Server.ConnectionString }
        $run.Output | Should -Match 'VERBOSE: .*devstoreaccount1'
        $run.Errors | Should -Match 'does not exist'
        "$($run.Output)$($run.Errors)" | Should -Not -Match ([regex]::Escape($key))
    }
}
