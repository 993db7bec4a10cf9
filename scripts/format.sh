#!/usr/bin/env bash
# Reformats every C++ file of the project in place with clang-format-16 and .clang-format.
# Re-runnable: a second run changes nothing. Usage: scripts/format.sh
set -euo pipefail
cd "$(dirname "$0")/.."
CLANG_FORMAT="${CLANG_FORMAT:-clang-format-16}"
scripts/lint-files.sh | xargs -r -P "$(nproc)" -n 20 "$CLANG_FORMAT" -i --style=file
