#!/usr/bin/env bash
# Runs every Konui test. First installs what the tests need when it is missing:
#   - Debian's chromium and chromium-driver (browser tests),
#   - Debian's redis-server (the replica tests start their own on a free port),
#   - the npm packages in build/npm (the real Claude Code CLI), into build/npm/node_modules (git-ignored).
# Extra arguments go to `dotnet test` (e.g. --filter).
set -euo pipefail
cd "$(dirname "$0")/.."

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  echo "Installing Debian's chromium and chromium-driver..."
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
fi

if ! command -v redis-server >/dev/null 2>&1 || ! command -v redis-cli >/dev/null 2>&1; then
  echo "Installing Debian's redis-server..."
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi

stamp=build/npm/node_modules/.konui-installed
if [ ! -x build/npm/node_modules/.bin/claude ] || ! cmp -s build/npm/package-lock.json "$stamp"; then
  echo "Installing npm packages into build/npm/node_modules..."
  npm ci --prefix build/npm --no-audit --no-fund --loglevel=error
  cp build/npm/package-lock.json "$stamp"
fi

dotnet test Konui.Blazor.sln "$@"
