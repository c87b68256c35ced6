#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The same journeys as the xunit module tests, for machines with pwsh: build first (dotnet build), then
# Invoke-Pester tests/Pester. The module is imported from out/AzBatchOutput, never from bin/.

BeforeAll {
    Import-Module (Join-Path $PSScriptRoot 'Azurite.psm1') -Force
    $script:Server = Start-TestAzurite
    Import-Module (Join-Path $PSScriptRoot '../../out/AzBatchOutput/AzBatchOutput.psd1') -Force
    Connect-BatchOutputStorage -ConnectionString $Server.ConnectionString | Out-Null
    $script:JobId = "Pester_Job-$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    Initialize-BatchJobOutputStorage -JobId $JobId | Out-Null
}

AfterAll {
    Stop-TestAzurite -Server $Server
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
