#!/usr/bin/env bash
# Configures and builds dynemo (Release, Ninja) in build/ at the repository root.
# Extra arguments go to cmake's configure step, e.g. -DDYNEMO_BUILD_BENCH=OFF.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

cmake -S "$root" -B "$root/build" -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
ninja -C "$root/build"
