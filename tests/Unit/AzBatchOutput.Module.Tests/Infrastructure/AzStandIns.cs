namespace AzBatchOutput.Module.Tests.Infrastructure
{
    /// <summary>
    /// Stand-ins for Az.Accounts, Az.Batch and Az.Storage in a test runspace: functions and objects with the same
    /// names, type names and properties as the real ones, so the module is driven exactly as in a user's session.
    /// </summary>
    public static class AzStandIns
    {
        /// <summary>
        /// Get-AzContext and Get-AzAccessToken like Az.Accounts'. $AzTokenAsSecureString chooses PSSecureAccessToken
        /// (5.0 and later) over PSAccessToken; $AzTokenLifetime is the ExpiresOn it reports; $NewAzToken makes the JWT.
        /// Every call is recorded in $AzTokenCalls with the thread it ran on. $AzCurrentStorageAccount is what
        /// Set-AzCurrentStorageAccount would have put in the subscription (the account's connection string, key included).
        /// </summary>
        public const string AzAccounts = @"
$global:AzTokenCalls = [System.Collections.Generic.List[object]]::new()
if ($null -eq $global:AzTokenLifetime) { $global:AzTokenLifetime = [TimeSpan]::FromHours(1) }
function global:Get-AzContext {
    [pscustomobject]@{
        PSTypeName   = 'Microsoft.Azure.Commands.Profile.Models.Core.PSAzureContext'
        Name         = 'Contoso (00000000-0000-0000-0000-000000000000) - user@contoso.com'
        Account      = [pscustomobject]@{ Id = 'user@contoso.com'; Type = 'User' }
        Tenant       = [pscustomobject]@{ Id = '72f988bf-0000-4000-8000-00000000a2b0' }
        Subscription = [pscustomobject]@{ Id = '00000000-0000-0000-0000-000000000000'; Name = 'Contoso'
            CurrentStorageAccount = $global:AzCurrentStorageAccount
            CurrentStorageAccountName = if ($global:AzCurrentStorageAccount -match 'AccountName=([^;]+)') { $Matches[1] } else { $global:AzCurrentStorageAccount } }
        Environment  = [pscustomobject]@{
            PSTypeName            = 'Microsoft.Azure.Commands.Profile.Models.PSAzureEnvironment'
            Name                  = 'AzureCloud'
            StorageEndpointSuffix = 'core.windows.net'
        }
    }
}
function global:Get-AzAccessToken {
    param([string] $ResourceUrl, [string] $TenantId, [switch] $AsSecureString)
    $jwt = $global:NewAzToken.Invoke()
    $global:AzTokenCalls.Add([pscustomobject]@{ Resource = $ResourceUrl; Thread = [System.Threading.Thread]::CurrentThread.ManagedThreadId })
    if ($global:AzTokenAsSecureString) {
        $secure = [System.Security.SecureString]::new()
        foreach ($c in $jwt.ToCharArray()) { $secure.AppendChar($c) }
        $secure.MakeReadOnly()
        [pscustomobject]@{ PSTypeName = 'Microsoft.Azure.Commands.Profile.Models.PSSecureAccessToken'; Token = $secure
            ExpiresOn = [DateTimeOffset]::UtcNow.Add($global:AzTokenLifetime); TenantId = '72f988bf-0000-4000-8000-00000000a2b0'; UserId = 'user@contoso.com'; Type = 'Bearer' }
    } else {
        [pscustomobject]@{ PSTypeName = 'Microsoft.Azure.Commands.Profile.Models.PSAccessToken'; Token = $jwt
            ExpiresOn = [DateTimeOffset]::UtcNow.Add($global:AzTokenLifetime); TenantId = '72f988bf-0000-4000-8000-00000000a2b0'; UserId = 'user@contoso.com'; Type = 'Bearer' }
    }
}
";

        /// <summary>Az.Accounts loaded but nobody logged in: what Connect-AzAccount's absence looks like.</summary>
        public const string AzAccountsLoggedOut = @"
function global:Get-AzContext { $null }
function global:Get-AzAccessToken { param([string] $ResourceUrl) throw 'Run Connect-AzAccount to login.' }
";

        /// <summary>Az.Batch's BatchAccountContext with a linked storage account named $LinkedAccount (none when $null).</summary>
        public const string BatchAccountContext = @"
$global:BatchAccount = [pscustomobject]@{
    PSTypeName            = 'Microsoft.Azure.Commands.Batch.BatchAccountContext'
    AccountName           = 'mybatch'
    AccountEndpoint       = 'mybatch.westus.batch.azure.com'
    Location              = 'westus'
    ResourceGroupName     = 'rg-batch'
    AutoStorageProperties = if ($LinkedAccount) { [pscustomobject]@{
        PSTypeName       = 'Microsoft.Azure.Management.Batch.Models.AutoStorageProperties'
        StorageAccountId = ""/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-batch/providers/Microsoft.Storage/storageAccounts/$LinkedAccount""
        LastKeySync      = [DateTime]::UtcNow } } else { $null }
}
";

        /// <summary>Az.Batch's PSCloudJob and PSCloudTask for job $JobId: tasks carry no JobId, only a Url.</summary>
        public const string BatchObjects = @"
$global:CloudJob = [pscustomobject]@{ PSTypeName = 'Microsoft.Azure.Commands.Batch.Models.PSCloudJob'; Id = $JobId
    Url = ""https://mybatch.westus.batch.azure.com/jobs/$JobId""; State = 'Active' }
$global:CloudTasks = 't1', 't2' | ForEach-Object { [pscustomobject]@{ PSTypeName = 'Microsoft.Azure.Commands.Batch.Models.PSCloudTask'; Id = $_
    Url = ""https://mybatch.westus.batch.azure.com/jobs/$JobId/tasks/$_""; State = 'Completed'; CommandLine = 'cmd /c run.cmd' } }
";

        /// <summary>Az.Storage's AzureStorageContext made with -UseConnectedAccount against $Endpoint.</summary>
        public const string OAuthStorageContext = @"
$global:AzStorageContext = [pscustomobject]@{
    PSTypeName         = 'Microsoft.WindowsAzure.Commands.Storage.AzureStorageContext'
    StorageAccountName = 'devstoreaccount1'
    BlobEndPoint       = $Endpoint
    EndPointSuffix     = 'core.windows.net/'
    ConnectionString   = ''
    StorageAccount     = [pscustomobject]@{ Credentials = [pscustomobject]@{ IsToken = $true; IsSAS = $false; IsSharedKey = $false; IsAnonymous = $false } }
}
";
    }
}
