#!/usr/bin/env bash
# The README's main command: install, build, then extract the spectral and CQT feature sets of
# the example clip into out/example/ and show the start of the result.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

bash scripts/setup.sh
bash scripts/build.sh

build/apps/dynemo/dynemo features --set spectral,cqt examples/wesnoth_battle_epic_45s.flac \
  -o out/example

csv=out/example/wesnoth_battle_epic_45s.csv
sidecar=out/example/wesnoth_battle_epic_45s.json

echo
echo "== $csv: first 6 windows of a few of its columns"
awk -F, -v want="time_s spectral.rms spectral.spectral_centroid spectral.mfcc_1 spectral.chroma_cqt_0 cqt.cqt_100" '
  NR == 1 { n = split(want, names, " ")
            for (i = 1; i <= NF; i++) for (j = 1; j <= n; j++) if ($i == names[j]) col[j] = i
            for (j = 1; j <= n; j++) printf "%-28s", names[j]; print ""; next }
  NR <= 7 { for (j = 1; j <= n; j++) printf "%-28.6g", $(col[j]); print "" }' "$csv"
echo "   ($(($(wc -l <"$csv") - 1)) rows, $(head -n 1 "$csv" | tr ',' '\n' | wc -l) columns)"
echo
echo "== $sidecar (summary)"
grep -E '^  "(dynemo_version|git_sha|input|spec|feature_hash|format|n_rows|n_cols|window_s|hop_s|sample_rate_hz|first_time_s|created_utc)"' \
  "$sidecar"
