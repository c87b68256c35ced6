#!/usr/bin/env bash
# Builds AzBatchOutput and runs every test suite this machine can run:
#   - xunit (dotnet test): engine tests, and module tests in a real PowerShell engine against Azurite;
#   - Pester 5 suites in tests/Pester, in PowerShell 7 (pwsh), both installed from NuGet on first use.
# Needs only the .NET SDK, node and npm. Run it from anywhere. Ends with one line, "N passed, N failed",
# and exits non-zero if any test failed or if no test ran.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

SOLUTION="AzBatchOutput.sln"
RESULTS_DIR="$REPO_ROOT/TestResults"
CONFIGURATION="${CONFIGURATION:-Release}"

require_command dotnet "Install the .NET SDK 10."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

echo "== Azurite"
ensure_azurite
echo "Azurite $(node -p "require('$AZURITE_DIR/node_modules/azurite/package.json').version") is installed in tools/azurite."

if [[ ! -f "$SOLUTION" ]]; then
  echo "error: $REPO_ROOT/$SOLUTION does not exist." >&2
  exit 1
fi

echo
echo "== Build ($CONFIGURATION)"
if ! dotnet build "$SOLUTION" -c "$CONFIGURATION" -nologo; then
  echo "error: the build failed (see above), so no test ran." >&2
  exit 1
fi

rm -rf "$RESULTS_DIR"
mkdir -p "$RESULTS_DIR"
runner_exits=()

echo
echo "== xunit"
set +e
dotnet test "$SOLUTION" -c "$CONFIGURATION" --no-build --nologo \
  --logger trx --results-directory "$RESULTS_DIR"
dotnet_exit=$?
set -e
runner_exits+=(--runner-exit "dotnet-test=$dotnet_exit")

echo
echo "== Pester"
ensure_pwsh
ensure_pester
echo "PowerShell $("${PWSH[@]}" -NoLogo -NoProfile -NonInteractive -Command '$PSVersionTable.PSVersion.ToString()') with Pester from ${PESTER_MODULE#"$REPO_ROOT"/}"
set +e
RESULTS_DIR="$RESULTS_DIR" PESTER_DIR="$REPO_ROOT/tests/Pester" PESTER_MODULE="$PESTER_MODULE" "${PWSH[@]}" -NoLogo -NoProfile -NonInteractive -Command '
  $ErrorActionPreference = "Stop"
  Import-Module $env:PESTER_MODULE
  $config = New-PesterConfiguration
  $config.Run.Path = $env:PESTER_DIR
  $config.Run.PassThru = $true
  $config.Run.Exit = $false
  $config.Output.Verbosity = "Detailed"
  $config.Output.RenderMode = "Plaintext"
  $config.TestResult.Enabled = $true
  $config.TestResult.OutputFormat = "NUnitXml"
  $config.TestResult.OutputPath = Join-Path $env:RESULTS_DIR "pester.xml"
  $result = Invoke-Pester -Configuration $config
  $failures = @($result.Failed | ForEach-Object { $_.ExpandedPath }) +
              @($result.FailedBlocks | ForEach-Object { "$($_.ExpandedPath) (block setup or teardown)" }) +
              @($result.FailedContainers | ForEach-Object { "$($_.Item) (file did not run)" })
  [ordered]@{
    runner   = "Pester"
    passed   = $result.PassedCount
    failed   = $result.FailedCount + $result.FailedBlocksCount + $result.FailedContainersCount
    skipped  = $result.SkippedCount + $result.NotRunCount
    failures = @($failures)
  } | ConvertTo-Json -Depth 3 | Set-Content -LiteralPath (Join-Path $env:RESULTS_DIR "results.pester.json") -Encoding utf8
'
pester_exit=$?
set -e
runner_exits+=(--runner-exit "pester=$pester_exit")

echo
echo "== Results"
node "$REPO_ROOT/scripts/count-results.js" "$RESULTS_DIR" "${runner_exits[@]}"
