#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The module as pwsh sees it: its commands and help, and the conventions its names follow.
# In a real pwsh, which the xunit tests' engine (Core cmdlets only) is not: scripts/test.sh installs pwsh and Pester
# from NuGet and runs tests/Pester after `dotnet build`. The module is imported from out/AzBatchOutput.

BeforeAll { . (Join-Path $PSScriptRoot 'PesterSession.ps1') }

AfterAll { Stop-PesterSession -Session $Session }

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

Describe 'Formatting' {
    It 'shows a task command''s duration <Duration> as <Expected>' -ForEach @(
        @{ Duration = [timespan] '00:00:00.5'; Expected = '00:00:00.5' }
        @{ Duration = [timespan] '01:15:00'; Expected = '01:15:00.0' }
        @{ Duration = [timespan] '1.02:30:00'; Expected = '26:30:00.0' }
        @{ Duration = [timespan] '7.02:00:00'; Expected = '170:00:00.0' }
    ) {
        # A Batch task may run for days; the table must not drop them (hh alone showed 26.5 hours as 02:30:00.0).
        $result = [pscustomobject]@{ TaskId = 'long-run'; ExitCode = 0; Duration = $Duration; Outputs = @(); UploadCondition = 'TaskSuccess'; Command = 'render.sh' }
        $result.PSObject.TypeNames.Insert(0, 'AzBatchOutput.TaskCommandResult')
        $row = ($result | Out-String -Width 200) -split "`n" | Where-Object { $_ -match 'long-run' }
        $row | Should -Match ([regex]::Escape(" $Expected "))
    }
}
