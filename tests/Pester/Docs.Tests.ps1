#Requires -Modules @{ ModuleName = 'Pester'; ModuleVersion = '5.0' }
# The code the docs show, as pwsh reads it: every ```powershell block of README.md and docs/help/*.md (the cmdlets'
# examples, which Get-Help shows, and the about topics), and every command a task's command line there hands to
# `pwsh -c`, parses, and every AzBatchOutput command in it is called
# with parameters that command has, all of them in one of its parameter sets. Nothing is run: the examples name
# real accounts, jobs and Az modules. A renamed parameter or a parameter-set change that leaves an example behind
# fails here, not in a user's console.

BeforeDiscovery {
    $repo = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    $files = @(Get-Item (Join-Path $repo 'README.md')) + @(Get-ChildItem (Join-Path $repo 'docs/help') -Filter '*.md')
    $blocks = foreach ($file in $files) {
        $lines = Get-Content -LiteralPath $file.FullName
        $relative = [System.IO.Path]::GetRelativePath($repo, $file.FullName)
        $start = -1
        for ($i = 0; $i -lt $lines.Count; $i++) {
            if ($start -lt 0 -and $lines[$i] -match '^```(\w*)\s*$') {
                $start = $i + 1
                $language = $Matches[1]
            }
            elseif ($start -ge 0 -and $lines[$i] -match '^```\s*$') {
                if ($language -eq 'powershell') {
                    @{ File = $relative; Line = $start + 1; What = 'powershell block'; Code = ($lines[$start..($i - 1)] -join "`n") }
                }

                $start = -1
            }
            elseif ($start -ge 0 -and $lines[$i] -match 'pwsh\b[^''"]*?\s-c(?:ommand)?\s+(?:''(?<q>[^'']*)''|(?<u>[^"]+))') {
                # A task's command line (bash or cmd) that runs pwsh -c: the command it hands pwsh. Bash's \$ is pwsh's $.
                $command = if ($Matches.q) { $Matches.q } else { $Matches.u }
                @{ File = $relative; Line = $i + 1; What = 'pwsh -c'; Code = $command.Replace('\$', '$') }
            }
        }
    }
}

BeforeAll {
    $repo = Split-Path -Parent (Split-Path -Parent $PSScriptRoot)
    if (-not (Get-Module AzBatchOutput)) {
        Import-Module (Join-Path $repo 'out/AzBatchOutput/AzBatchOutput.psd1') -Global
    }

    $Commands = @{}
    Get-Command -Module AzBatchOutput | ForEach-Object { $Commands[$_.Name] = $_ }

    # What pwsh binds a parameter name to: a name or alias, else a prefix of exactly one parameter's names.
    function Resolve-ParameterName([System.Management.Automation.CommandInfo] $Command, [string] $Name) {
        $parameters = @($Command.Parameters.Values)
        $exact = @($parameters | Where-Object { $_.Name -eq $Name -or $_.Aliases -contains $Name })
        if ($exact.Count -gt 0) {
            return $exact[0].Name
        }

        $prefixed = @($parameters | Where-Object { @($_.Name) + @($_.Aliases) | Where-Object { $_.StartsWith($Name, 'OrdinalIgnoreCase') } })
        if ($prefixed.Count -eq 1) {
            return $prefixed[0].Name
        }
    }

    # Problems with one call of a module command: unknown or ambiguous parameters, or no parameter set holding them all.
    function Test-ModuleCall([System.Management.Automation.Language.CommandAst] $Call, [System.Management.Automation.CommandInfo] $Command) {
        $at = "line $($Call.Extent.StartLineNumber): $($Command.Name)"
        $used = [System.Collections.Generic.List[string]]::new()
        foreach ($parameter in $Call.CommandElements | Where-Object { $_ -is [System.Management.Automation.Language.CommandParameterAst] }) {
            $resolved = Resolve-ParameterName $Command $parameter.ParameterName
            if ($resolved) {
                $used.Add($resolved)
            }
            else {
                "$at has no parameter -$($parameter.ParameterName) (or the name is ambiguous)"
            }
        }

        $used = @($used | Select-Object -Unique)
        if ($used.Count -gt 0) {
            $fits = @($Command.ParameterSets | Where-Object {
                    $inSet = @($_.Parameters.Name)
                    @($used | Where-Object { $inSet -notcontains $_ }).Count -eq 0
                })
            if ($fits.Count -eq 0) {
                "$at uses -$($used -join ', -'), which no one parameter set has together"
            }
        }
    }
}

Describe 'Code in the docs' {
    It '<File> line <Line>, <What>: parses, and calls the module with parameters it has' -ForEach $blocks {
        $tokens = $null
        $errors = $null
        $ast = [System.Management.Automation.Language.Parser]::ParseInput($Code, [ref] $tokens, [ref] $errors)
        @($errors | ForEach-Object { "line $($_.Extent.StartLineNumber): $($_.Message)" }) | Should -BeNullOrEmpty

        $calls = $ast.FindAll({ $args[0] -is [System.Management.Automation.Language.CommandAst] }, $true) |
            Where-Object { $Commands.ContainsKey([string] $_.GetCommandName()) }
        $problems = foreach ($call in $calls) {
            Test-ModuleCall -Call $call -Command $Commands[$call.GetCommandName()]
        }

        @($problems) | Should -BeNullOrEmpty
    }

    It 'shows every exported command in at least one example' -ForEach @(@{ All = $blocks }) {
        $shown = foreach ($block in $All) {
            $ast = [System.Management.Automation.Language.Parser]::ParseInput($block.Code, [ref] $null, [ref] $null)
            $ast.FindAll({ $args[0] -is [System.Management.Automation.Language.CommandAst] }, $true) | ForEach-Object { $_.GetCommandName() }
        }

        @($Commands.Keys | Where-Object { $shown -notcontains $_ }) | Should -BeNullOrEmpty
    }
}
