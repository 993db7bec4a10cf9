#!/usr/bin/env bash
# Installs everything diary needs to build and test on Debian 12 (run as root or with sudo):
# the Debian packages, and the pinned Codex CLI from npm into the git-ignored .tools/ folder.
# Idempotent: a second run only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

CODEX_VERSION="0.169.0"
PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config git ca-certificates
  libboost1.81-dev libboost-filesystem1.81-dev nlohmann-json3-dev libcli11-dev libfmt-dev
  libtomlplusplus-dev libhowardhinnant-date-dev libvalijson-dev json-schema-test-suite
  libgtest-dev libgmock-dev libsqlite3-dev libsimdjson-dev libpcre2-dev libutf8proc-dev libssl-dev tzdata bubblewrap procps
  chromium clang-format-16 clang-tidy-16 lld
)

sudo_cmd=()
if [ "$(id -u)" != 0 ]; then sudo_cmd=(sudo); fi

missing=()
for pkg in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# Node.js may come from Debian (nodejs + npm) or from a vendor package that bundles npm.
if ! command -v npm >/dev/null 2>&1; then missing+=(nodejs npm); fi
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

codex_pkg=".tools/codex/node_modules/@openai/codex/package.json"
if [ ! -f "$codex_pkg" ] || ! grep -q "\"version\": \"$CODEX_VERSION\"" "$codex_pkg"; then
  echo "setup: installing @openai/codex@$CODEX_VERSION into .tools/codex"
  mkdir -p .tools/codex
  npm install --silent --no-audit --no-fund --prefix .tools/codex "@openai/codex@$CODEX_VERSION" >/dev/null
fi
echo "setup: ok (codex $(.tools/codex/node_modules/@openai/codex-linux-*/vendor/*/bin/codex --version 2>/dev/null || echo '?'))"
