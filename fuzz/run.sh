#!/usr/bin/env bash
# fuzz/run.sh SECONDS [HARNESS...]: builds the libFuzzer harnesses (build-fuzz/, clang, ASan +
# UBSan; nothing with LibTorch), writes their seed corpora (fuzz-seeds: test fixtures, models/ and
# examples/), then runs each harness (all of them by default) for SECONDS, one at a time in one
# process, and prints its executions. Exits 1 when any harness has a finding.
#   build-fuzz/fuzz-corpus/<harness>/    the corpus, kept and grown between runs
#   build-fuzz/fuzz-findings/<harness>/  crash-*, leak-*, timeout-*, oom-* inputs
#   build-fuzz/fuzz-logs/<harness>.log   libFuzzer's output
# Environment: DYNEMO_FUZZ_JOBS (ninja -j, default 1), DYNEMO_FUZZ_FLAGS (more libFuzzer flags).
# Reproduce a finding: build-fuzz/fuzz/fuzz-<harness> FILE (DYNEMO_FUZZ_VERBOSE=1 prints the
# expected errors too).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="$root/build-fuzz"

all=(csv annotations manifest prediction-file model-sidecar feature-sidecar cache split audio-decode
  weights-archive)
if [[ $# -lt 1 || ! "$1" =~ ^[0-9]+$ ]]; then
  echo "usage: fuzz/run.sh SECONDS [HARNESS...]   (harnesses: ${all[*]})" >&2
  exit 2
fi
seconds=$1
shift
harnesses=("$@")
[[ ${#harnesses[@]} -gt 0 ]] || harnesses=("${all[@]}")

# Inputs longer than this are not tried: the seeds fit, and small inputs keep the runs fast.
max_len() {
  case "$1" in
    audio-decode | model-sidecar | cache | weights-archive) echo 4096 ;;
    *) echo 2048 ;;
  esac
}
# Tokens the mutator splices in: JSON for the JSON readers, CSV and the file separator else.
dictionary() {
  case "$1" in
    model-sidecar | feature-sidecar | split) echo "$root/fuzz/json.dict" ;;
    cache) echo "$root/fuzz/cache.dict" ;;
    audio-decode | weights-archive) echo "" ;;
    *) echo "$root/fuzz/csv.dict" ;;
  esac
}

command -v clang++ >/dev/null || { echo "error: fuzz/run.sh needs clang (apt install clang)" >&2; exit 1; }
if [[ ! -f "$build/build.ninja" ]]; then
  CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DDYNEMO_FUZZ=ON -DDYNEMO_BUILD_TESTS=OFF -DDYNEMO_BUILD_BENCH=OFF \
    -DDYNEMO_BUILD_EXAMPLES=OFF -DDYNEMO_BUILD_PYTHON=OFF >/dev/null
fi
mkdir -p "$build"
if ! ninja -C "$build" -j "${DYNEMO_FUZZ_JOBS:-1}" fuzz >"$build/build.log" 2>&1; then
  grep -E "error|FAILED" "$build/build.log" | head -20 >&2
  echo "fuzz/run.sh: the harnesses do not build (the whole log: $build/build.log)" >&2
  exit 1
fi

rm -rf "$build/fuzz-seeds"
"$build/fuzz/fuzz-seeds" "$build/fuzz-seeds" "$root"

# Leaks inside the system's codec libraries are not findings (scripts/lsan.supp says which).
export LSAN_OPTIONS="suppressions=$root/scripts/lsan.supp:print_suppressions=0"

status=0
for h in "${harnesses[@]}"; do
  [[ -x "$build/fuzz/fuzz-$h" ]] || { echo "error: no harness '$h' (${all[*]})" >&2; exit 2; }
  corpus="$build/fuzz-corpus/$h"
  findings="$build/fuzz-findings/$h"
  log="$build/fuzz-logs/$h.log"
  mkdir -p "$corpus" "$findings" "$(dirname "$log")"
  flags=(-max_total_time="$seconds" -max_len="$(max_len "$h")" -timeout=10 -rss_limit_mb=2048
         -malloc_limit_mb=2048 -print_final_stats=1 -artifact_prefix="$findings/")
  dict=$(dictionary "$h")
  [[ -z "$dict" ]] || flags+=(-dict="$dict")
  # libmpg123 prints notes on stderr for every broken MP3; libFuzzer keeps its own output and the
  # sanitizer reports (rerun a finding without this flag to see the harness's message).
  [[ "$h" != audio-decode ]] || flags+=(-close_fd_mask=2)
  # The libvorbis leak of scripts/lsan.supp is suppressed, not freed: in audio-decode it grows the
  # heap by about 1 GB per million runs (1.5 GB after 1.8 M runs, 98 % from vorbis_info_init), so
  # its RSS limit is higher; -malloc_limit_mb still catches any single huge allocation.
  [[ "$h" != audio-decode ]] || flags+=(-rss_limit_mb=6144)
  # shellcheck disable=SC2086  # DYNEMO_FUZZ_FLAGS is a list of flags
  if ! "$build/fuzz/fuzz-$h" "${flags[@]}" ${DYNEMO_FUZZ_FLAGS:-} "$corpus" "$build/fuzz-seeds/$h" \
         >"$log" 2>&1; then
    status=1
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  found=$(find "$findings" -type f | wc -l)
  printf '%-16s %12s executions in %ss (%s/s), corpus %s, findings %s\n' "$h" "${execs:-?}" \
    "$seconds" "$(( ${execs:-0} / (seconds > 0 ? seconds : 1) ))" \
    "$(find "$corpus" -type f | wc -l)" "$found"
  [[ "$found" -eq 0 ]] || status=1
done
exit "$status"
