#!/usr/bin/env bash
# Runs the AzBatchOutput demo: a job's outputs saved, listed and downloaded against a local Azurite.
# Needs only the .NET SDK, node and npm. Run it from anywhere.
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO_ROOT"

require_command dotnet "Install the .NET SDK 10."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

ensure_azurite
exec dotnet run --project "$REPO_ROOT/demo/AzBatchOutput.Demo" -c Release -- "$@"
