#!/usr/bin/env bash
# The README's main command: install what is needed, build, then predict arousal and valence
# every 500 ms of a clip (default: the bundled example) with the shipped model and show the
# result. Usage: bash scripts/run-example.sh [CLIP]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
clip="$(realpath "${1:-$root/examples/wesnoth_battle_epic_45s.flac}")"
cd "$root"

bash scripts/setup.sh
bash scripts/build.sh

echo
build/apps/dynemo/dynemo predict "$clip" -o out/example --force
csv="out/example/$(basename "${clip%.*}").csv"

echo
echo "== $csv (DEAM scale: arousal calm -1 .. +1 energetic, valence negative -1 .. +1 positive)"
head -n 1 "$csv"
awk -F, '/^time_s/ { printf "%-8s %-8s %-8s %-11s %-11s\n", $1, $2, $3, $4, $5; next }
         !/^#/ && ($1 * 2) % 10 == 0 { printf "%-8s %+.3f   %+.3f   %.3f       %.3f\n", $1, $2, $3, $4, $5 }' "$csv"
echo "   ($(grep -vc -e '^#' -e '^time_s' "$csv") windows of 0.5 s; every 5th second shown)"
