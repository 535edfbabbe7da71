#!/usr/bin/env bash
# Installs dependencies, builds, and runs every test label (unit, cli, data, ...).
# Tests labelled `data` skip themselves when ../shared is absent.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

bash "$root/scripts/setup.sh"
bash "$root/scripts/build.sh" "-DDYNEMO_WERROR=${DYNEMO_WERROR:-OFF}"
ctest --test-dir "$root/build" --output-on-failure -j2
