#!/usr/bin/env bash
# The performance table of the project, dynemo side by side with the tools it replaces, in one
# run on this machine: librosa 0.11 and openSMILE 3.0 built outside the project by
# ../shared/peers (setup_librosa.sh, setup_opensmile.sh; a peer that is missing gives "n/a").
# Every process is pinned to one core (taskset -c 0) with one thread; CPU = user + sys from
# /usr/bin/time, peak memory = its max RSS. The input is examples/wesnoth_battle_epic_45s.flac
# (45 s, 44.1 kHz), as WAV for openSMILE (it reads PCM WAV only).
#
# Usage: bash bench/ratios.sh [ROUNDS]   (after scripts/build.sh; ROUNDS default 3, medians)
# Environment: PEERS (default $HOME/.cache/dynemo-peers), SHARED (default ../shared),
# DYNEMO_BUILD (default build).
set -euo pipefail
rounds=${1:-3}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bin=${DYNEMO_BUILD:-$root/build}
shared=${SHARED:-$root/../shared}
PEERS=${PEERS:-$HOME/.cache/dynemo-peers}
export PEERS OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 NUMBA_NUM_THREADS=1
dynemo="$bin/apps/dynemo/dynemo"
smile="$PEERS/opensmile/build/progsrc/smilextract/SMILExtract"
work=$(mktemp -d /tmp/dynemo-ratios.XXXXXX)
trap 'rm -rf "$work"' EXIT
clip="$root/examples/wesnoth_battle_epic_45s.flac"

mkdir -p "$work/batch"
for k in $(seq -w 1 20); do cp "$clip" "$work/batch/clip$k.flac"; done
ffmpeg -loglevel error -i "$clip" -c:a pcm_s16le "$work/clip.wav"
ffmpeg -loglevel error -i "$clip" -t 1 -c:a pcm_s16le "$work/one-second.wav"
"$bin/bench/bench-make-audio" "$clip" 1800 "$work/half-hour.wav" >/dev/null

# "cpu_s max_rss_mb" of one pinned run of the command.
measure() {
  /usr/bin/time -f "%U %S %M" -o "$work/time" taskset -c 0 "$@" >/dev/null 2>&1
  awk '{printf "%.4f %.0f\n", $1 + $2, $3 / 1024}' "$work/time"
}
# "cpu_s max_rss_mb" per run of a command too short for /usr/bin/time's 10 ms: 20 runs in one
# pinned shell, CPU divided by 20.
measure_short() {
  /usr/bin/time -f "%U %S %M" -o "$work/time" taskset -c 0 \
    bash -c 'for i in $(seq 1 20); do "$@" >/dev/null 2>&1; done' _ "$@"
  awk '{printf "%.4f %.0f\n", ($1 + $2) / 20, $3 / 1024}' "$work/time"
}
# The median of `rounds` runs: "cpu_s max_rss_mb".
median_of() {
  for _ in $(seq 1 "$rounds"); do measure "$@"; done | sort -n | awk '{a[NR]=$0} END {print a[int((NR + 1) / 2)]}'
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "n/a" || b == "n/a" || b == 0) print "n/a"; else printf "%.1fx", a / b }'; }

# librosa: CPU per call, warm (after import and numba JIT), in one process.
librosa_warm="n/a"
if [[ -d "$PEERS/librosa/src/librosa" ]]; then
  librosa_warm=$(taskset -c 0 /usr/bin/python3 "$shared/peers/librosa_feats.py" "$clip" "$work/lr.csv" \
    --repeat "$rounds" --warmup 1 2>&1 | sed -n 's/.*warm calls n=[0-9]*: cpu min\/median\/max [0-9.]*\/\([0-9.]*\)\/.*/\1/p')
  [[ -n "$librosa_warm" ]] || librosa_warm="n/a"
fi
# openSMILE: SMILExtract alone, one process per file, as it is used (the LLDs of the MediaEval
# set; its 1 s mean/std windows, done by ../shared/peers/mediaeval_window.py, are not counted).
smile_lld_1s="n/a" smile_me="n/a" smile_func="n/a"
config="$PEERS/opensmile/src/config"
if [[ -x "$smile" ]]; then
  read -r smile_lld_1s _ < <(measure_short "$smile" -l 0 -C "$config/compare16/ComParE_2016.conf" \
    -I "$work/one-second.wav" -lldcsvoutput "$work/os1.csv" -appendcsvlld 0)
  read -r smile_me _ < <(median_of "$smile" -l 0 -C "$config/is09-13/IS13_ComParE.conf" \
    -I "$work/clip.wav" -lldcsvoutput "$work/osme.csv" -appendcsvlld 0)
  # The ComParE 2016 functionals per 0.5 s window, as ../shared/reference's README runs them.
  printf 'frameMode = fixed\nframeSize = 0.5\nframeStep = 0.5\nframeCenterSpecial = left\n' \
    >"$work/fm05.inc"
  read -r smile_func _ < <(median_of "$smile" -l 0 -C "$config/compare16/ComParE_2016.conf" \
    -I "$work/clip.wav" -frameModeFunctionalsConf "$work/fm05.inc" -csvoutput "$work/osf.csv" \
    -appendcsv 0)
fi

read -r batch_cpu _ < <(median_of "$dynemo" features -s spectral,cqt "$work/batch" -o "$work/f1" --force)
batch_clip=$(awk -v c="$batch_cpu" 'BEGIN {printf "%.4f", c / 20}')
read -r one_cpu one_rss < <(median_of "$dynemo" features -s spectral,cqt "$clip" -o "$work/f2" --force)
read -r short_cpu _ < <(measure_short "$dynemo" features -s compare-lld "$work/one-second.wav" -o "$work/f3" --force)
read -r me_cpu _ < <(median_of "$dynemo" features -s mediaeval2015 "$work/batch" -o "$work/f4" --force)
me_clip=$(awk -v c="$me_cpu" 'BEGIN {printf "%.4f", c / 20}')
read -r func_cpu _ < <(median_of "$dynemo" features -s compare "$work/batch" -o "$work/f6" --force)
func_clip=$(awk -v c="$func_cpu" 'BEGIN {printf "%.4f", c / 20}')
read -r long_cpu long_rss < <(measure "$dynemo" features -s spectral,cqt --format npy "$work/half-hour.wav" -o "$work/f5" --force)
read -r version_cpu version_rss < <(measure_short "$dynemo" --version)
read -r pred_cpu pred_rss < <(median_of "$dynemo" predict "$work/batch" -o "$work/p" --force --jobs 1)
pred_rt=$(awk -v c="$pred_cpu" 'BEGIN {printf "%.0f", 900 / c}')

echo "# dynemo vs librosa 0.11 / openSMILE 3.0, $(date -u +%Y-%m-%d), $(nproc --all) cores, one pinned core per process, medians of $rounds"
echo
echo "| what | reference | dynemo | ratio (reference / dynemo) |"
echo "|---|---|---|---|"
echo "| \`spectral,cqt\` per 45 s clip in a 20-file batch (CPU s) | librosa warm $librosa_warm | $batch_clip | $(ratio "$librosa_warm" "$batch_clip") |"
echo "| the same, one file as one process (CPU s) | librosa warm $librosa_warm | $one_cpu ($one_rss MB) | $(ratio "$librosa_warm" "$one_cpu") |"
echo "| \`features\` (ComParE LLDs) of a 1 s WAV, one process (CPU s) | openSMILE $smile_lld_1s | $short_cpu | $(ratio "$smile_lld_1s" "$short_cpu") |"
echo "| \`mediaeval2015\` per 45 s clip (CPU s; openSMILE one process per clip) | openSMILE $smile_me | $me_clip | $(ratio "$smile_me" "$me_clip") |"
echo "| \`compare\` (6373 ComParE 2016 functionals per 0.5 s window) per 45 s clip (CPU s; openSMILE one process per clip) | openSMILE $smile_func | $func_clip | $(ratio "$smile_func" "$func_clip") |"
echo "| \`features --set spectral,cqt --format npy\` on a 30 min file | goal <= 300 MB | $long_rss MB peak, $long_cpu CPU s | - |"
echo "| \`dynemo --version\` (CPU s) | goal <= 0.02 | $version_cpu ($version_rss MB) | - |"
echo "| \`predict\`, default model, 20 x 45 s clips, --jobs 1 | goal >= 300x real time | ${pred_rt}x real time per core ($pred_cpu CPU s, $pred_rss MB) | - |"
