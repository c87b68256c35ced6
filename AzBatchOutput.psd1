@{
    RootModule           = 'AzBatchOutput.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5b0f4f1e-7d0a-4c57-9a52-2f1f6f0c8e3a'
    Author               = 'AzBatchOutput contributors'
    CompanyName          = 'AzBatchOutput'
    Copyright            = '(c) AzBatchOutput contributors. MIT License.'
    Description          = 'Persist Azure Batch job and task output to Azure Blob Storage under the Azure Batch File Conventions, and find, download and show it again by job, task and kind.'
    PowerShellVersion    = '5.1'
    CompatiblePSEditions = @('Core', 'Desktop')
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = @('AzBatchOutput.format.ps1xml')
    TypesToProcess       = @('AzBatchOutput.types.ps1xml')
    CmdletsToExport      = @(
        'Connect-BatchOutputStorage'
        'Initialize-BatchJobOutputStorage'
        'Get-BatchJobOutputStorage'
        'Remove-BatchJobOutputStorage'
        'Save-BatchTaskOutput'
        'Save-BatchJobOutput'
        'Get-BatchTaskOutput'
        'Get-BatchJobOutput'
        'Receive-BatchOutput'
        'Remove-BatchOutput'
        'New-BatchJobOutputSas'
        'New-BatchTaskOutputFile'
        'Invoke-BatchTaskCommand'
        'Start-BatchTaskOutputTracking'
        'Stop-BatchTaskOutputTracking'
        'Export-BatchJobOutputReport'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('Azure', 'Batch', 'Storage', 'Blob', 'Output', 'Conventions', 'HPC')
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ReleaseNotes = 'See CHANGELOG.md.'
        }
    }
}
