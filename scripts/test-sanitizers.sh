#!/usr/bin/env bash
# The sanitizer tier (run by .ci/run): builds diary with AddressSanitizer + UndefinedBehaviorSanitizer
# (DIARY_SANITIZE=ON) in its own build dir and runs the unit and e2e tiers there.
# - What is instrumented: src/ (the libraries and the diary executable). Test code and the test
#   peer programs only link the runtimes: a bad access in src/ is reported whichever test drives it,
#   and the tests uninstrumented halve the build. tests/sanitizer/canary.cpp proves the tier armed.
# - How it builds fast (7m40s on 2 cores without ccache; 29m50s before, docs/PERFORMANCE.md "CI
#   tiers"): -O0 -g1 (CMAKE_BUILD_TYPE=Debug with its flags overridden; -g1 keeps file:line in the
#   reports, Debug keeps assert() on), src/ libraries in unity batches with precompiled headers
#   (DIARY_UNITY, DIARY_PCH), executables linked by lld without PIE.
# - Any ASan/UBSan/LSan report fails the test that triggered it: UBSan halts on the first finding,
#   ASan aborts, LSan reports leaks at exit. The diary processes e2e tests spawn inherit the options.
# codex is a separate static musl binary: it is not instrumented and ignores these options.
# Usage: scripts/test-sanitizers.sh [extra ctest args]   (DIARY_ASAN_BUILD_DIR overrides build-asan)
set -euo pipefail
cd "$(dirname "$0")/.."
build_dir="${DIARY_ASAN_BUILD_DIR:-build-asan}"
# Lets ccache (if the build uses it) cache compiles that use a precompiled header (DIARY_PCH).
export CCACHE_SLOPPINESS="pch_defines,time_macros${CCACHE_SLOPPINESS:+,$CCACHE_SLOPPINESS}"
cmake -S . -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Debug "-DCMAKE_CXX_FLAGS_DEBUG=-O0 -g1" -DDIARY_SANITIZE=ON \
  -DDIARY_PCH=ON -DDIARY_UNITY=ON -DDIARY_BUILD_BENCH=OFF >/dev/null
cmake --build "$build_dir" -j "$(nproc)"

# Exported so that the diary processes the e2e tests spawn run under the same options.
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:check_initialization_order=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
supp="$PWD/scripts/lsan.supp"
if [ -s "$supp" ]; then export LSAN_OPTIONS="suppressions=$supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"; fi

# Test deadlines (tests/support/async_test.h scaled_deadline) stretched for -O0 + ASan: a 64 MiB
# line through the codex runner took 68 s there (1.6 s in a RelWithDebInfo build).
export DIARY_TEST_DEADLINE_SCALE="${DIARY_TEST_DEADLINE_SCALE:-5}"
# Sanitized code runs ~2-3x slower: a longer per-test timeout than scripts/test.sh.
ctest --test-dir "$build_dir" --output-on-failure -j "$(nproc)" --timeout 900 -L '^(unit|e2e)$' "$@"
