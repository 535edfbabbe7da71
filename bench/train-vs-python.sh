#!/usr/bin/env bash
# Epoch time of dynemo's C++ trainer vs the same model in PyTorch-Python (Debian's python3-torch,
# the same LibTorch 1.13 underneath), side by side on the same data: the DEAM excerpts' `spectral`
# features as `dynemo train` pairs them with the ratings.
# Usage: [DYNEMO_BUILD_DIR=build] [DYNEMO_BENCH_CACHE=DIR] \
#          bash bench/train-vs-python.sh [DEAM_ROOT] [EPOCHS] [THREADS] [ROUNDS]
# Each round runs C++ then Python, alternating, so that load from other processes hits both.
# Needs a Release build with benchmarks (scripts/build.sh) and `apt-get install python3-torch`.
set -euo pipefail
root=${1:-../shared/data/deam}
epochs=${2:-4}
threads=${3:-1}
rounds=${4:-2}
build=${DYNEMO_BUILD_DIR:-build}
work=$(mktemp -d /tmp/dynemo-bench-train.XXXXXX)
cache=${DYNEMO_BENCH_CACHE:-$work/cache}
trap 'rm -rf "$work"' EXIT

"$build"/bench/bench-train-export deam "$root" spectral "$cache" "$work"
# Median of the epochs after the first (warm-up), from "epoch <k> <seconds>" lines.
median() { sort -n | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }

echo "model,round,cpp_median_s,python_median_s,ratio"
for model in LSTM_AT_400 TRANSFORMER_2; do
  for round in $(seq 1 "$rounds"); do
    rm -rf "$work/cpp"
    "$build"/apps/dynemo/dynemo train -d deam -r "$root" -s spectral -c "$cache" -m "$model" \
      --epochs "$epochs" --patience "$epochs" --threads "$threads" -o "$work/cpp" >/dev/null 2>&1
    cpp=$(awk -F, '$5 == "train" && $4 > 1 {print $9}' "$work/cpp/epochs.csv" | median)
    py=$(/usr/bin/python3 bench/train_epoch.py "$work" "$model" "$epochs" "$threads" |
         awk '$2 > 1 {print $3}' | median)
    echo "$model,$round,$cpp,$py,$(awk -v a="$cpp" -v b="$py" 'BEGIN {printf "%.2f", a / b}')"
  done
done
