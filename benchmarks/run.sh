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
# the module from src/ (Release, assembled in benchmarks/work/module-build) unless --module DIR names another module
# folder, and the benchmark.
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

module_args=()
if [[ $build_module == 1 ]]; then
  # Built from src/ as the repository builds it (Release), but assembled in benchmarks/work/module-build rather than
  # out/AzBatchOutput, so that a concurrent build of another configuration cannot swap the module being measured.
  MODULE_BUILD="$BENCH_DIR/work/module-build/AzBatchOutput/"
  echo "== Build the module ($CONFIGURATION, assembled in benchmarks/work/module-build)"
  if ! dotnet build "$REPO_ROOT/src/AzBatchOutput/AzBatchOutput.csproj" -c "$CONFIGURATION" -nologo -v quiet \
       -p:ModuleOutDir="$MODULE_BUILD"; then
    # Help is generated at build time and fails the build while a new cmdlet has no help page yet; help plays no
    # part in any figure here, so measure the module without it rather than not at all.
    echo "warning: the module did not build; trying again without its generated help (-p:SkipModuleHelp=true)." >&2
    if ! dotnet build "$REPO_ROOT/src/AzBatchOutput/AzBatchOutput.csproj" -c "$CONFIGURATION" -nologo -v quiet \
         -p:ModuleOutDir="$MODULE_BUILD" -p:SkipModuleHelp=true; then
      echo "error: the module does not build. Fix src/, or measure an existing module folder with --module DIR." >&2
      exit 1
    fi
  fi
  module_args=(--repo-module "$MODULE_BUILD")
fi

echo "== Build the benchmark"
dotnet build "$BENCH_DIR/AzBatchOutput.Benchmarks/AzBatchOutput.Benchmarks.csproj" -c "$CONFIGURATION" -nologo -v quiet

BENCH_DLL="$BENCH_DIR/AzBatchOutput.Benchmarks/bin/$CONFIGURATION/net10.0/AzBatchOutput.Benchmarks.dll"

# Case (f) also runs in a ReadyToRun build of the benchmark: the NuGet System.Management.Automation is IL only,
# while pwsh ships its engine precompiled. Needs the crossgen2 package from NuGet; without it (f) runs in one host.
R2R_DIR="$BENCH_DIR/work/r2r"
extra=()
if dotnet publish "$BENCH_DIR/AzBatchOutput.Benchmarks/AzBatchOutput.Benchmarks.csproj" -c "$CONFIGURATION" -r linux-x64 \
     --self-contained false -p:PublishReadyToRun=true -o "$R2R_DIR" -nologo -v quiet; then
  extra+=(--r2r-host "$R2R_DIR/AzBatchOutput.Benchmarks.dll")
else
  echo "warning: could not publish a ReadyToRun build of the benchmark; case (f) runs in one host only." >&2
fi
# Case (f) also times a real pwsh (-c, with and without Import-Module): pwsh's entry point published ReadyToRun from
# the NuGet Microsoft.PowerShell.SDK, with the built-in modules' folder of the pinned NuGet tool (scripts/lib.sh).
PWSH_DIR="$BENCH_DIR/work/pwsh"
ensure_pwsh
tool_home=$(cd "$REPO_ROOT" && "${PWSH[@]}" -NoLogo -NoProfile -NonInteractive -Command '$PSHOME')
if dotnet publish "$BENCH_DIR/ReadyToRunPwsh/ReadyToRunPwsh.csproj" -c "$CONFIGURATION" -o "$PWSH_DIR" -nologo -v quiet &&
   rm -rf "$PWSH_DIR/Modules" && cp -r "$tool_home/Modules" "$PWSH_DIR/Modules"; then
  extra+=(--pwsh "$PWSH_DIR/pwsh")
else
  echo "warning: could not publish a ReadyToRun pwsh; case (f) does not time a real pwsh." >&2
fi
cd "$REPO_ROOT"
echo "== Run"
if [[ $(id -u) -eq 0 && "${AZBO_BENCH_NICE:-1}" != 0 ]]; then
  exec nice -n -10 dotnet "$BENCH_DLL" "${module_args[@]}" "${extra[@]}" "$@"
fi
exec dotnet "$BENCH_DLL" "${module_args[@]}" "${extra[@]}" "$@"
