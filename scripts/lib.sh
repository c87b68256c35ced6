# Shared by scripts/test.sh and scripts/demo.sh (source it; it changes no shell options).
# REPO_ROOT: the repository root, wherever the calling script is run from.

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export AZBATCHOUTPUT_REPO_ROOT="$REPO_ROOT"
# PowerShell (the engine hosted by the tests, and pwsh) sends usage telemetry unless told not to.
export POWERSHELL_TELEMETRY_OPTOUT=1

AZURITE_DIR="$REPO_ROOT/tools/azurite"
# Written after a successful `npm ci`: a copy of the lockfile it installed. The test launcher
# (tests/Unit/AzBatchOutput.TestSupport/AzuriteInstaller.cs) uses the same stamp and the same lock file.
AZURITE_STAMP="$AZURITE_DIR/node_modules/.azbatchoutput-install-stamp"
AZURITE_LOCK="$AZURITE_DIR/.install.lock"

# PowerShell 7 (the NuGet tool `powershell`, pinned in .config/dotnet-tools.json) and Pester 5 (pinned in
# tools/pester/pester.csproj): the Pester suites run in them, so a machine needs no pwsh of its own.
PESTER_PROJECT="$REPO_ROOT/tools/pester/pester.csproj"

require_command() {
  if ! command -v "$1" >/dev/null 2>&1; then
    echo "error: '$1' is not on PATH. $2" >&2
    exit 1
  fi
}

azurite_is_installed() {
  [[ -f "$AZURITE_STAMP" && -f "$AZURITE_DIR/node_modules/azurite/dist/src/blob/main.js" ]] &&
    cmp -s "$AZURITE_DIR/package-lock.json" "$AZURITE_STAMP"
}

_azurite_install_unlocked() {
  if azurite_is_installed; then
    return 0
  fi
  echo "Installing Azurite (npm ci in tools/azurite)..."
  (cd "$AZURITE_DIR" && npm_config_update_notifier=false npm ci --no-audit --no-fund --loglevel=error </dev/null)
  cp "$AZURITE_DIR/package-lock.json" "$AZURITE_STAMP"
}

# Installs the Azurite pinned by tools/azurite/package-lock.json unless it is installed already.
ensure_azurite() {
  require_command node "Install Node.js (Azurite, the storage emulator the tests use, runs on it)."
  require_command npm "Install npm (it installs Azurite)."
  if azurite_is_installed; then
    return 0
  fi
  if command -v flock >/dev/null 2>&1; then
    (
      flock -w 600 9 || { echo "error: timed out waiting for another Azurite install ($AZURITE_LOCK)" >&2; exit 1; }
      _azurite_install_unlocked
    ) 9>"$AZURITE_LOCK"
  else
    _azurite_install_unlocked
  fi
}

# Restores the pinned pwsh (from NuGet) and sets PWSH, the command that runs it from the repository (where
# `dotnet tool run` finds the manifest). Safe to run again: a restore that has nothing to do is quick.
ensure_pwsh() {
  require_command dotnet "Install the .NET SDK 10 (it installs pwsh from NuGet)."
  (cd "$REPO_ROOT" && dotnet tool restore --verbosity quiet) >/dev/null ||
    { echo "error: 'dotnet tool restore' could not install pwsh (.config/dotnet-tools.json)." >&2; exit 1; }
  PWSH=(dotnet tool run pwsh)
}

# Restores the pinned Pester (from NuGet) and sets PESTER_MODULE, the Pester.psd1 to import.
ensure_pester() {
  require_command dotnet "Install the .NET SDK 10 (it installs Pester from NuGet)."
  dotnet restore "$PESTER_PROJECT" --verbosity quiet -nologo >/dev/null ||
    { echo "error: could not restore Pester ($PESTER_PROJECT)." >&2; exit 1; }
  local version
  version=$(sed -n 's/.*PackageDownload Include="Pester" Version="\[\([0-9.]*\)\]".*/\1/p' "$PESTER_PROJECT")
  PESTER_MODULE="$REPO_ROOT/tools/pester/packages/pester/$version/tools/Pester.psd1"
  if [[ -z "$version" || ! -f "$PESTER_MODULE" ]]; then
    echo "error: Pester $version was restored, but $PESTER_MODULE is not there." >&2
    exit 1
  fi
}
