#!/usr/bin/env bash
# Runs the AzBatchOutput benchmark: the module (in a real PowerShell 7 engine) vs AzCopy vs the plain Azure SDK,
# against one local Azurite, straight and through a 10 ms loopback delay proxy. Prints a table and writes
# benchmarks/RESULTS.md. See benchmarks/README.md.
#
#   bash benchmarks/run.sh            full sizes (about 10-15 minutes on 2 cores)
#   bash benchmarks/run.sh --quick    smoke run with small sizes (about 2 minutes)
#   bash benchmarks/run.sh --help     every option
#
# Installs what it needs itself: Azurite (npm ci in tools/azurite, as the tests do), AzCopy (npm ci here, pinned by
# benchmarks/package-lock.json), Debian's libsecret-1-0 (AzCopy links against it; needs root to install), then builds
# the module (Release, into out/AzBatchOutput) unless --module DIR names another module folder, and the benchmark.
# Set AZBO_BENCH_NICE=0 to run at normal priority (by default, as root, it runs at nice -10 so that a concurrent
# build on the same machine disturbs the figures less; every process it starts inherits that).
set -euo pipefail

source "$(dirname "${BASH_SOURCE[0]}")/../scripts/lib.sh"
BENCH_DIR="$REPO_ROOT/benchmarks"
CONFIGURATION=Release
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

build_module=1
for argument in "$@"; do
  case "$argument" in
    --module) build_module=0 ;;
    --help|-h) build_module=0 ;;
  esac
done

require_command dotnet "Install the .NET SDK 10."

echo "== Azurite"
ensure_azurite
echo "Azurite $(node -p "require('$AZURITE_DIR/node_modules/azurite/package.json').version") is installed in tools/azurite."

echo "== AzCopy"
if ! dpkg-query -W -f='${Status}' libsecret-1-0 2>/dev/null | grep -q "install ok installed"; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "error: AzCopy needs Debian's libsecret-1-0, and installing it needs root: sudo apt-get install libsecret-1-0" >&2
    exit 1
  fi
  echo "Installing libsecret-1-0 (AzCopy links against it)..."
  (export DEBIAN_FRONTEND=noninteractive
   apt-get -o Dpkg::Use-Pty=0 update -qq && apt-get -o Dpkg::Use-Pty=0 install -y -qq --no-install-recommends libsecret-1-0) </dev/null
fi
AZCOPY_STAMP="$BENCH_DIR/node_modules/.azbatchoutput-install-stamp"
AZCOPY_BIN="$BENCH_DIR/node_modules/@azure-tools/azcopy-linux/dist/bin/azcopy_linux_amd64"
if ! [[ -f "$AZCOPY_STAMP" && -f "$AZCOPY_BIN" ]] || ! cmp -s "$BENCH_DIR/package-lock.json" "$AZCOPY_STAMP"; then
  echo "Installing AzCopy (npm ci in benchmarks)..."
  (cd "$BENCH_DIR" && npm_config_update_notifier=false npm ci --no-audit --no-fund --loglevel=error </dev/null)
  cp "$BENCH_DIR/package-lock.json" "$AZCOPY_STAMP"
fi
# The npm package ships the binary without its execute bit.
chmod +x "$AZCOPY_BIN"
"$AZCOPY_BIN" --version

if [[ $build_module == 1 ]]; then
  echo "== Build the module ($CONFIGURATION, into out/AzBatchOutput)"
  if ! dotnet build "$REPO_ROOT/src/AzBatchOutput/AzBatchOutput.csproj" -c "$CONFIGURATION" -nologo -v quiet; then
    echo "error: the module does not build. Fix src/, or measure an existing module folder with --module DIR." >&2
    exit 1
  fi
fi

echo "== Build the benchmark"
dotnet build "$BENCH_DIR/AzBatchOutput.Benchmarks/AzBatchOutput.Benchmarks.csproj" -c "$CONFIGURATION" -nologo -v quiet

BENCH_DLL="$BENCH_DIR/AzBatchOutput.Benchmarks/bin/$CONFIGURATION/net10.0/AzBatchOutput.Benchmarks.dll"
cd "$REPO_ROOT"
echo "== Run"
if [[ $(id -u) -eq 0 && "${AZBO_BENCH_NICE:-1}" != 0 ]]; then
  exec nice -n -10 dotnet "$BENCH_DLL" "$@"
fi
exec dotnet "$BENCH_DLL" "$@"
