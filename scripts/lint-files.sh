#!/usr/bin/env bash
# Lists the C++ files scripts/format.sh and scripts/lint.sh cover (tracked files in src/, tests/, bench/;
# tests/compiler/ holds compiler reproductions kept byte-exact). Usage: scripts/lint-files.sh [sources]
# "sources" lists only src/*.cpp (the translation units clang-tidy analyses).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${1:-}" = sources ]; then git ls-files 'src/*.cpp'; exit 0; fi
git ls-files 'src/*.cpp' 'src/*.h' 'tests/*.cpp' 'tests/*.h' 'bench/*.cpp' 'bench/*.h' | grep -v '^tests/compiler/'
