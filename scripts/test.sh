#!/usr/bin/env bash
# Builds diary and runs every test tier that is on by default: unit and e2e (the e2e tests drive
# the real pinned codex against the project's mock model on loopback). Live tests run only with
# DIARY_LIVE=1. Usage: scripts/test.sh [extra ctest args]
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${DIARY_BUILD_DIR:-build}"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build_dir" -j "$(nproc)"
ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)" --timeout 300 "$@"
