# Build-speed options for the sanitizer tier (scripts/test-sanitizers.sh turns them on). An ASan +
# UBSan build at -O0 spends its time parsing and instrumenting the same standard library, nlohmann,
# fmt, Asio and GoogleTest code in every translation unit, and linking 300 MB executables; these
# options share that work (docs/PERFORMANCE.md "CI tiers" has the figures). The normal build uses
# none of them: it is the one that proves every file includes what it uses, and clang-tidy reads
# its compile database.
option(DIARY_PCH "Precompile the common heavy headers" OFF)
option(DIARY_UNITY "Compile each src/ library in unity batches of 8 files" OFF)

set(DIARY_PCH_HEADERS
  <algorithm> <chrono> <filesystem> <functional> <map> <memory> <optional> <set> <string>
  <string_view> <vector>
  <fmt/format.h> <nlohmann/json.hpp>
  <boost/asio/any_io_executor.hpp> <boost/asio/awaitable.hpp> <boost/asio/co_spawn.hpp>
  <boost/asio/io_context.hpp> <boost/asio/redirect_error.hpp> <boost/asio/steady_timer.hpp>
  <boost/asio/this_coro.hpp> <boost/asio/use_awaitable.hpp>)

# diary_build_faster(<target> [extra headers...]): <target> builds and uses its own precompiled
# header (DIARY_PCH) and, if it is a library, compiles in unity batches (DIARY_UNITY). A unity
# batch puts eight .cpp files into one translation unit, so two of them must not define the same
# name in an anonymous namespace; shared helpers belong in a header anyway.
# GCC uses a precompiled header only where the macros it depends on are defined as when it was
# built (otherwise it warns, -Winvalid-pch, and parses the text): so one per target, except the
# test executables, which all reuse one (tests/CMakeLists.txt).
function(diary_build_faster target)
  if(DIARY_PCH)
    target_precompile_headers(${target} PRIVATE ${DIARY_PCH_HEADERS} ${ARGN})
  endif()
  get_target_property(type ${target} TYPE)
  if(DIARY_UNITY AND type STREQUAL "STATIC_LIBRARY")
    set_target_properties(${target} PROPERTIES UNITY_BUILD ON UNITY_BUILD_BATCH_SIZE 8)
    # A batch #includes its .cpp files, so GCC takes their anonymous-namespace types in coroutine
    # frames for types from a header (-Wsubobject-linkage); they are not.
    target_compile_options(${target} PRIVATE -Wno-subobject-linkage)
  endif()
endfunction()
