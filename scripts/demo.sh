#!/usr/bin/env bash
# Runs the AzBatchOutput demo (demo/demo.ps1) in pwsh: a job's outputs saved, listed, downloaded and reported
# against a local Azurite that the demo starts and stops. Needs only the .NET SDK, node and npm: pwsh comes from
# NuGet (.config/dotnet-tools.json). Run it from anywhere; arguments go to demo.ps1 (-ConnectionString).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

require_command dotnet "Install the .NET SDK 10."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

ensure_azurite
ensure_pwsh
echo "Building the module..."
if ! dotnet build src/AzBatchOutput/AzBatchOutput.csproj -c Release -nologo -verbosity:quiet; then
  echo "error: the module did not build (see above)." >&2
  exit 1
fi
exec "${PWSH[@]}" -NoLogo -NoProfile -NonInteractive -File "$REPO_ROOT/demo/demo.ps1" "$@"
