#!/usr/bin/env bash
# End-to-end `dynemo predict` (decode + features + model) on one core: x real time for the 45 s
# example clip and a 10-minute track, and the peak memory (max RSS) for one hour of audio.
# Usage: bash bench/predict-throughput.sh [MODEL] [ROUNDS]   (after scripts/build.sh)
set -euo pipefail
model=${1:-}
rounds=${2:-3}
bin=${DYNEMO_BUILD:-build}
work=$(mktemp -d /tmp/dynemo-bench-predict.XXXXXX)
trap 'rm -rf "$work"' EXIT
clip=examples/wesnoth_battle_epic_45s.flac
"$bin/bench/bench-make-audio" "$clip" 600 "$work/ten-minutes.wav"
"$bin/bench/bench-make-audio" "$clip" 3600 "$work/one-hour.wav"
mkdir -p "$work/ten-clips"
for k in 0 1 2 3 4 5 6 7 8 9; do cp "$clip" "$work/ten-clips/clip$k.flac"; done
model_args=()
if [[ -n "$model" ]]; then model_args=(-m "$model"); fi

# One run: wall s, user+sys CPU s, max RSS in MB.
run() {
  /usr/bin/time -f "%e %U %S %M" -o "$work/time" taskset -c 0 \
    "$bin/apps/dynemo/dynemo" predict "$1" "${model_args[@]}" -o "$work/out" --force >/dev/null 2>&1
  awk '{printf "%.3f %.3f %.0f\n", $1, $2 + $3, $4 / 1024}' "$work/time"
}

echo "track,audio_s,round,wall_s,cpu_s,x_real_time,max_rss_mb"
# A single 45 s clip pays the process start and model load (~0.4 s); ten clips in one process
# show the per-clip throughput of a library batch.
for entry in "$clip:45" "$work/ten-clips:450" "$work/ten-minutes.wav:600" "$work/one-hour.wav:3600"; do
  file=${entry%:*}
  seconds=${entry##*:}
  n=$rounds
  [[ $seconds -ge 3600 ]] && n=1
  for round in $(seq 1 "$n"); do
    read -r wall cpu rss < <(run "$file")
    echo "$(basename "$file"),$seconds,$round,$wall,$cpu,$(awk -v s="$seconds" -v w="$wall" 'BEGIN {printf "%.0f", s / w}'),$rss"
  done
done
