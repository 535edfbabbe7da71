#!/usr/bin/env python3
"""Blend the held-out predictions of several `dynemo cv` runs and score the blend.

Each RUN/<MODEL>/predictions folder holds one CSV per song (time_s, arousal, valence, ...) from the
fold model that never saw the song. The blend of a window is the weighted mean of the runs that
predict it (a run on `compare` has no row for the last, incomplete window of an excerpt: the
others' mean is used there). The blended CSVs are written to OUT and scored against the
annotations by `dynemo evaluate` (pooled RMSE, R², CCC, per-song r and τ), so the numbers are the
same protocol as the runs' own metrics. Used to look for models that err differently
(docs/results.md, the model search).

Usage: bench/blend-cv.py OUT W1:RUN1/MODEL W2:RUN2/MODEL ... [--deam ../shared/data/deam]
       [--dynemo build/apps/dynemo/dynemo]
"""
import argparse
import csv
import os
import subprocess
import sys


def read_rows(path):
    with open(path, newline="") as f:
        rows = [r for r in csv.reader(f) if r and not r[0].startswith("#")]
    return {round(float(r[0]), 3): (float(r[1]), float(r[2])) for r in rows[1:]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("runs", nargs="+", help="WEIGHT:RUN/MODEL")
    ap.add_argument("--deam", default="../shared/data/deam")
    ap.add_argument("--dynemo", default="build/apps/dynemo/dynemo")
    a = ap.parse_args()
    parts = []
    for spec in a.runs:
        weight, _, run = spec.partition(":")
        folder = os.path.join(run, "predictions")
        if not run or not os.path.isdir(folder):
            sys.exit(f"blend-cv: {spec}: expected WEIGHT:RUN/MODEL with a predictions folder")
        parts.append((float(weight), folder))
    songs = sorted(os.listdir(parts[0][1]))
    os.makedirs(a.out, exist_ok=True)
    for song in songs:
        total = {}
        for weight, folder in parts:
            path = os.path.join(folder, song)
            if not os.path.exists(path):
                sys.exit(f"blend-cv: {path}: missing (the runs must cover the same songs)")
            for t, (arousal, valence) in read_rows(path).items():
                w, sa, sv = total.get(t, (0.0, 0.0, 0.0))
                total[t] = (w + weight, sa + weight * arousal, sv + weight * valence)
        tmp = os.path.join(a.out, song + ".tmp")
        with open(tmp, "w") as f:
            f.write("time_s,arousal,valence\n")
            for t in sorted(total):
                w, sa, sv = total[t]
                f.write(f"{t:.3f},{sa / w:.7g},{sv / w:.7g}\n")
        os.replace(tmp, os.path.join(a.out, song))
    subprocess.run([a.dynemo, "evaluate", "-p", a.out, "-d", "deam", "-r", a.deam], check=True)


if __name__ == "__main__":
    main()
