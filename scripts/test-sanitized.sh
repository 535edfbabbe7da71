#!/usr/bin/env bash
# Builds the LibTorch-free library (dynemo::signal) and its unit tests with AddressSanitizer and
# UndefinedBehaviorSanitizer in build-asan/ (gcc, -O2 -g1; -fno-sanitize-recover=all: the first
# report fails the test; float-cast-overflow added, as gcc's "undefined" leaves it out), and runs
# them with ctest. CI runs it after the main tests (.ci/run).
#
# Runs the label `unit` tests that need neither LibTorch nor the CLI: test-audio, test-batch,
# test-cache, test-compare-llds, test-compare-sets, test-compare-voicing, test-data-grid,
# test-features, test-fft, test-file-features, test-io, test-json-int, test-listener,
# test-metrics, test-psychoacoustic, test-uncertainty.
# Not run here: tests that link LibTorch (label torch); tests of the `dynemo` CLI (label cli, and
# test-data-loaders and test-dataset-features, which run it: building it builds dynemo-ml, which
# links LibTorch); tests on ../shared data (label data). The readers those tests cover are fuzzed
# under the same sanitizers (fuzz/README.md).
#
# Environment: DYNEMO_SANITIZE_JOBS (ninja -j and ctest -j; default 2, CI's cores).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$root/build-asan"
jobs="${DYNEMO_SANITIZE_JOBS:-2}"

tests=(test-audio test-batch test-cache test-compare-llds test-compare-sets test-compare-voicing
       test-data-grid test-features test-fft test-file-features test-io test-json-int
       test-listener test-metrics test-psychoacoustic test-uncertainty)
sanitize="-fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all"

cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O2 -g1 -DNDEBUG" \
  -DCMAKE_CXX_FLAGS="$sanitize -fno-omit-frame-pointer" \
  -DCMAKE_C_FLAGS="$sanitize -fno-omit-frame-pointer" \
  -DCMAKE_EXE_LINKER_FLAGS="$sanitize" -DCMAKE_SHARED_LINKER_FLAGS="$sanitize" \
  -DDYNEMO_BUILD_BENCH=OFF -DDYNEMO_BUILD_EXAMPLES=OFF -DDYNEMO_BUILD_PYTHON=OFF >/dev/null
ninja -C "$build" -j "$jobs" "${tests[@]}"

# halt_on_error and -fno-sanitize-recover make every report fatal; leaks inside the system's
# codec libraries are suppressed (scripts/lsan.supp says which and why).
export ASAN_OPTIONS="halt_on_error=1:detect_leaks=1:strict_string_checks=1"
export LSAN_OPTIONS="suppressions=$root/scripts/lsan.supp:print_suppressions=0"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
# Only the tests built above carry labels (a test of an unbuilt binary has none).
ctest --test-dir "$build" -L unit -LE torch --output-on-failure -j "$jobs"
