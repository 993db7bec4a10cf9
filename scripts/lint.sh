#!/usr/bin/env bash
# CI lint tier: the GCC 12 coroutine rule, clang-format (check only) and clang-tidy (.clang-tidy).
# clang-tidy runs on the diary sources in src/ (not tests/ or bench/: they would double the time
# for little gain), from the compile database of a configured build dir (default build/).
# Debian 12's clang-tidy-16 parses libstdc++ 12's <expected> only with __cpp_concepts raised to
# 202002L: clang 16 implements what that header needs (P0848 conditionally trivial special
# members) but still reports 201907L; clang 14 does not implement it (see docs/ARCHITECTURE.md).
# clang-tidy costs ~12.4 s of CPU per translation unit (160 units: ~16.5 min on 2 cores; see
# docs/PERFORMANCE.md "CI tiers"); its findings are printed line by line as they come. With
# DIARY_TIDY_BASE=<git ref> it analyses only the src/*.cpp changed since that ref, unless a header,
# .clang-tidy or a CMake file changed too (then every unit, as results depend on them).
# Usage: scripts/lint.sh [format|tidy|coroutines]   (default: all three)
set -euo pipefail
cd "$(dirname "$0")/.."
CLANG_FORMAT="${CLANG_FORMAT:-clang-format-16}"
CLANG_TIDY="${CLANG_TIDY:-clang-tidy-16}"
build_dir="${DIARY_BUILD_DIR:-build}"
what="${1:-all}"
status=0

if [ "$what" = all ] || [ "$what" = coroutines ]; then
  scripts/check-coroutine-rule.sh || status=1
fi

if [ "$what" = all ] || [ "$what" = format ]; then
  if scripts/lint-files.sh | xargs -r -P "$(nproc)" -n 20 "$CLANG_FORMAT" --style=file --dry-run -Werror; then
    echo "lint: clang-format ok"
  else
    echo "lint: clang-format found unformatted code (run scripts/format.sh)"; status=1
  fi
fi

if [ "$what" = all ] || [ "$what" = tidy ]; then
  if [ ! -f "$build_dir/compile_commands.json" ]; then
    cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
  fi
  tidy_args=(-p "$build_dir" --quiet --extra-arg=-std=c++2b --extra-arg=-Wno-builtin-macro-redefined
             --extra-arg=-U__cpp_concepts --extra-arg=-D__cpp_concepts=202002L)
  sources=$(scripts/lint-files.sh sources)
  if [ -n "${DIARY_TIDY_BASE:-}" ]; then
    changed=$(git diff --name-only "$DIARY_TIDY_BASE" --)
    if ! grep -qE '\.h$|^\.clang-tidy$|CMakeLists\.txt$|\.cmake$' <<<"$changed"; then
      sources=$(grep -E '^src/.*\.cpp$' <<<"$changed" | while read -r f; do [ -f "$f" ] && echo "$f"; done || true)
    fi
    echo "lint: clang-tidy on $(grep -c . <<<"$sources" || true) units (DIARY_TIDY_BASE=$DIARY_TIDY_BASE)"
  fi
  set +e
  echo "$sources" | xargs -r -P "$(nproc)" -n 4 "$CLANG_TIDY" "${tidy_args[@]}" 2>&1 | grep --line-buffered -v 'warnings generated\.$'
  tidy_status=${PIPESTATUS[1]}
  set -e
  if [ "$tidy_status" = 0 ]; then echo "lint: clang-tidy ok"; else echo "lint: clang-tidy found problems"; status=1; fi
fi
exit "$status"
