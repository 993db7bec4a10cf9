# Shortcuts; the scripts are the source of truth (CI does not need just).
setup:
    ./scripts/setup.sh

build:
    cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo && cmake --build build

test *ARGS:
    ./scripts/test.sh {{ARGS}}

unit:
    ./scripts/test.sh -L unit

e2e:
    ./scripts/test.sh -L e2e

demo:
    ./scripts/demo.sh

bench:
    ./bench/core/run.sh

# Re-render the report goldens (tests/fixtures/render/*/expected) after an intended change.
update-goldens:
    cmake --build build --target unit_generate_render_report_golden_test && DIARY_UPDATE_GOLDEN=1 ctest --test-dir build -R RenderGolden
