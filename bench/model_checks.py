"""Shared helpers of the model checks (step-response.py, encoding-invariance.py): a `dynemo cv`
run's folds, the DEAM annotations of the shared copy, ffmpeg and `dynemo predict`.
Standard library only."""
import csv
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DYNEMO = os.environ.get("DYNEMO", os.path.join(ROOT, "build/apps/dynemo/dynemo"))


def folds_of(run_dir):
    """[[song_id, ...], ...]: the held-out songs of each fold of a `dynemo cv` model folder."""
    with open(os.path.join(run_dir, "split.json")) as f:
        return json.load(f)["folds"]


def fold_model(run_dir, k):
    """The model file of fold k (0-based) of a cv model folder, for `dynemo predict -m`."""
    return os.path.join(run_dir, "fold-%d" % (k + 1), "model")


def deam_ratings(deam_root, dimension):
    """{song_id: [20 ratings at 30.0, 30.5, ..., 39.5 s]} of the shared DEAM copy."""
    out = {}
    path = os.path.join(deam_root, "annotations/dynamic/%s.csv" % dimension)
    with open(path) as f:
        for row in csv.DictReader(f):
            values = []
            for k in range(20):
                cell = row.get("sample_%dms" % (30000 + 500 * k), "").strip()
                values.append(float(cell) if cell else None)
            if all(v is not None for v in values):
                out[row["song_id"].strip()] = values
    return out


def ffmpeg(args):
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y"] + args, check=True)


def predict(model, files, out_dir):
    """Runs `dynemo predict` on files (paths) into out_dir; returns {path: (arousal, valence)}
    lists, read back from the CSVs (one per input, named after the file's stem)."""
    os.makedirs(out_dir, exist_ok=True)
    subprocess.run([DYNEMO, "predict", "-m", model, "-o", out_dir, "--force"] + files,
                   check=True, stdout=subprocess.DEVNULL)
    result = {}
    for path in files:
        stem = os.path.splitext(os.path.basename(path))[0]
        a, v = [], []
        with open(os.path.join(out_dir, stem + ".csv")) as f:
            for line in f:
                if line.startswith("#") or line.startswith("time_s"):
                    continue
                parts = line.strip().split(",")
                a.append(float(parts[1]))
                v.append(float(parts[2]))
        result[path] = (a, v)
    return result


def mean(xs):
    return sum(xs) / len(xs)


def median(xs):
    s = sorted(xs)
    n = len(s)
    return s[n // 2] if n % 2 else 0.5 * (s[n // 2 - 1] + s[n // 2])


def percentile(xs, p):
    s = sorted(xs)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))]


def rmse(pred, target):
    return (sum((p - t) ** 2 for p, t in zip(pred, target)) / len(pred)) ** 0.5


def die(message):
    print("error: " + message, file=sys.stderr)
    sys.exit(2)
