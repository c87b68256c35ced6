# Dot-sourced by each Pester file's BeforeAll: starts the shared session (tools/azurite's Azurite, the module
# from out/AzBatchOutput connected to it, a new job) and names what the tests use. AfterAll stops it.
Import-Module (Join-Path $PSScriptRoot 'PesterSession.psm1') -Force
$Session = Start-PesterSession
$Server = $Session.Server
$JobId = $Session.JobId
$ModuleManifest = $Session.ModuleManifest
