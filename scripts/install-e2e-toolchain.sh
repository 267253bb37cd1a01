#!/usr/bin/env bash
# Installs what the extension-host and end-to-end tests need to run a real VS Code here:
# Debian's Chromium and the build packages code-server's native modules need, and code-server
# itself (VS Code 1.100.3 for the browser) into the ignored folder .vscode-test/.
#
# Idempotent: every step first checks whether its result is already there, and a completed
# code-server install is marked with a stamp file, so a second run takes seconds.
#
# Why the manual steps: code-server's postinstall refuses to run as root under npm 11 and then
# downloads ripgrep from the internet, which these machines cannot reach. The steps below are what
# that postinstall does, with Debian's ripgrep in place of the download.
set -euo pipefail

CODE_SERVER_VERSION="4.100.3"
APT_PACKAGES=(libkrb5-dev libsecret-1-dev libxkbfile-dev ripgrep chromium)

project_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
toolchain_dir="${DBHEALTH_TOOLCHAIN_DIR:-$project_root/.vscode-test/code-server-$CODE_SERVER_VERSION}"
stamp_file="$toolchain_dir/.install-complete"
code_server_pkg="$toolchain_dir/node_modules/code-server"

log() { printf '[e2e-toolchain] %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root (or sudo) to run: $*"; exit 1
  fi
}

install_debian_packages() {
  local missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then
      missing+=("$pkg")
    fi
  done
  if [ "${#missing[@]}" -eq 0 ]; then
    log "Debian packages present: ${APT_PACKAGES[*]}"
    return
  fi
  log "installing Debian packages: ${missing[*]}"
  # One lock for every apt user on the machine: parallel apt-get runs fail on dpkg's own lock.
  as_root flock /tmp/dbhealth-apt.lock apt-get update -q
  as_root flock /tmp/dbhealth-apt.lock env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${missing[@]}"
}

install_code_server() {
  if [ -f "$stamp_file" ] && [ -f "$code_server_pkg/out/node/entry.js" ]; then
    log "code-server $CODE_SERVER_VERSION present in $toolchain_dir"
    return
  fi
  local started=$SECONDS
  log "installing code-server $CODE_SERVER_VERSION into $toolchain_dir (about 3 minutes)"
  mkdir -p "$toolchain_dir"
  npm install --prefix "$toolchain_dir" --no-save --no-audit --no-fund --ignore-scripts \
    "code-server@$CODE_SERVER_VERSION"

  local vscode_dir="$code_server_pkg/lib/vscode"
  (
    cd "$vscode_dir"
    npm install --omit=dev --ignore-scripts --no-audit --no-fund
    # node-pty's build script runs `npx node-gyp`; npm_config_yes answers npx's prompt.
    npm_config_yes=true npm rebuild kerberos @parcel/watcher @vscode/deviceid @vscode/spdlog \
      native-watchdog node-pty
    mkdir -p node_modules/@vscode/ripgrep/bin
    cp "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
    ln -sfn node_modules node_modules.asar
  )
  (cd "$vscode_dir/extensions" && npm install --omit=dev --ignore-scripts --no-audit --no-fund)
  (cd "$toolchain_dir" && npm rebuild argon2 --build-from-source)

  "$toolchain_dir/node_modules/.bin/code-server" --version >/dev/null
  date -u +%FT%TZ >"$stamp_file"
  log "code-server installed in $((SECONDS - started)) s"
}

install_debian_packages
install_code_server
log "ready: $toolchain_dir/node_modules/.bin/code-server, /usr/bin/chromium"
