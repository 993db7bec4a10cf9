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
