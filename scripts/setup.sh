#!/usr/bin/env bash
# Installs the build dependencies on Debian 12. Run as root, or as a user with sudo.
# Does nothing (and needs no privileges) when every package is already installed.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libsndfile1-dev libmpg123-dev libsoxr-dev libkissfft-dev nlohmann-json3-dev libcli11-dev zlib1g-dev
  libgtest-dev libbenchmark-dev
  libtorch-dev libopenblas0-openmp libcairo2-dev fonts-dejavu-core chromium
  ffmpeg
  clang-format clang libclang-rt-14-dev
  python3-dev pybind11-dev python3-numpy python3-pytest python3-dask python3-distributed
)

# LibTorch pulls the reference BLAS; OpenBLAS (OpenMP build) trains 15x faster
# (docs/conventions.md). Selected through Debian's alternatives, for the whole machine.
select_openblas() {
  local dir=/usr/lib/x86_64-linux-gnu/openblas-openmp
  local lib current
  for lib in libblas.so.3 liblapack.so.3; do
    current=$(update-alternatives --query "$lib-x86_64-linux-gnu" 2>/dev/null |
              sed -n 's/^Value: //p')
    if [[ "$current" != "$dir/$lib" && -e "$dir/$lib" ]]; then
      echo "setup: selecting OpenBLAS (openmp) for $lib"
      "${as_root[@]}" update-alternatives --set "$lib-x86_64-linux-gnu" "$dir/$lib"
    fi
  done
}

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  if [[ "$status" != "installed" ]]; then
    missing+=("$package")
  fi
done

if [[ $(id -u) -eq 0 ]]; then
  as_root=()
elif command -v sudo >/dev/null 2>&1; then
  as_root=(sudo)
else
  as_root=(false)
fi

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "setup: all ${#packages[@]} packages already installed"
  if [[ "${as_root[*]}" != false ]]; then select_openblas; fi
  exit 0
fi
if [[ "${as_root[*]}" == false ]]; then
  echo "error: setup: missing packages (${missing[*]}) and not root, and sudo is not available" >&2
  exit 1
fi

echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${as_root[@]}" apt-get update
"${as_root[@]}" apt-get install -y --no-install-recommends "${packages[@]}"
select_openblas
