#!/usr/bin/python3
"""librosa-parity.py [CLIP ...]: `spectral,cqt` against librosa 0.11 on clips the tests do not hold.

For each clip (default: the ten 45 s clips of ../shared/data/emomusic/clips_45s): decodes it
with ffmpeg to one mono 32-bit float WAV at its own rate, runs ../shared/peers/librosa_feats.py
(the 449 columns per 0.5 s segment of ../shared/reference's librosa_global files) and
`dynemo features -s spectral,cqt` on it, and prints the share of columns with Pearson r >= 0.99
over the segments (test-features-parity asks >= 95 % on the reference clips), the smallest r and
the largest per-group median relative error (sum |ours - librosa| / sum |librosa| per column).

Needs librosa built by ../shared/peers/setup_librosa.sh (PEERS, default ~/.cache/dynemo-peers)
and /usr/bin/python3 with numpy. Exit status 1 when a clip has fewer than 95 % of its columns at
r >= 0.99 or a group's median relative error above 1e-4.
"""
import collections
import glob
import os
import re
import subprocess
import sys
import tempfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.environ.get("SHARED", os.path.join(ROOT, "..", "shared"))
LIBROSA = os.path.join(SHARED, "peers", "librosa_feats.py")
DYNEMO = os.path.join(os.environ.get("DYNEMO_BUILD", os.path.join(ROOT, "build")),
                      "apps/dynemo/dynemo")


def read_table(path):
    with open(path) as f:
        header = f.readline().rstrip("\n").split(",")
        rows = [[float(v) for v in line.rstrip("\n").split(",")] for line in f if line.strip()]
    return header, np.array(rows)


def group(name):
    return re.sub(r"_?[0-9]+$", "", name)


def parity(clip, work):
    wav = os.path.join(work, "clip.wav")
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-i", clip, "-ac", "1", "-c:a",
                    "pcm_f32le", wav], check=True)
    ref_csv = os.path.join(work, "librosa.csv")
    subprocess.run([sys.executable, LIBROSA, wav, ref_csv], check=True, stdout=subprocess.DEVNULL)
    out = os.path.join(work, "dynemo")
    subprocess.run([DYNEMO, "features", "-s", "spectral,cqt", "--force", "-o", out, wav],
                   check=True, stdout=subprocess.DEVNULL)
    ref_names, ref = read_table(ref_csv)
    names, ours = read_table(os.path.join(out, "clip.csv"))
    n = min(len(ref), len(ours))
    high = total = 0
    min_r = 1.0
    rel = collections.defaultdict(list)
    for c, full in enumerate(names[1:], start=1):
        name = full.split(".", 1)[1]
        a, b = ours[:n, c], ref[:n, ref_names.index(name)]
        rel[group(name)].append(np.abs(a - b).sum() / max(np.abs(b).sum(), 1e-30))
        total += 1
        if b.max() == b.min():
            high += 1  # nothing to correlate
            continue
        r = np.corrcoef(a, b)[0, 1]
        min_r = min(min_r, r)
        high += r >= 0.99
    worst_group, worst_rel = max(((g, float(np.median(v))) for g, v in rel.items()),
                                 key=lambda x: x[1])
    return len(ours), len(ref), total, 100.0 * high / total, min_r, worst_group, worst_rel


def main():
    clips = sys.argv[1:] or sorted(glob.glob(os.path.join(
        SHARED, "data", "emomusic", "clips_45s", "*.mp3")))
    print("| clip | rows (dynemo / librosa) | columns | r >= 0.99 | min r | "
          "largest group median relative error |")
    print("|---|---|---:|---:|---:|---|")
    failed = False
    with tempfile.TemporaryDirectory() as work:
        for clip in clips:
            rows, ref_rows, total, high, min_r, g, rel = parity(clip, work)
            failed |= high < 95.0 or rel > 1e-4 or rows != ref_rows
            print(f"| {os.path.basename(clip)} | {rows} / {ref_rows} | {total} | {high:.1f} % | "
                  f"{min_r:.5f} | {g} {rel:.1e} |", flush=True)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
