#!/usr/bin/env python3
"""Does a model hear the music or the encoding? Held-out DEAM excerpts of a `dynemo cv` model
folder, re-encoded with ffmpeg, predicted by the fold model that never saw them.

Encodings of each original MP3: WAV 16-bit, 24-bit and float of the decoded audio, FLAC at
48 kHz, OGG Vorbis q4, MP3 64 kbps at 22.05 kHz. Reports, per encoding and dimension, the mean
and largest |shift| of the song-level prediction (mean over the excerpt's windows) against the
original, and the pooled RMSE against the annotations (originals vs re-encoded).

Usage: bench/encoding-invariance.py RUN/<MODEL> [--deam ../shared/data/deam] [--songs 120]
"""
import argparse
import os
import tempfile

from model_checks import deam_ratings, die, ffmpeg, fold_model, folds_of, mean, predict

ENCODINGS = [
    ("wav-s16", ["-c:a", "pcm_s16le"], "wav"),
    ("wav-s24", ["-c:a", "pcm_s24le"], "wav"),
    ("wav-f32", ["-c:a", "pcm_f32le"], "wav"),
    ("flac-48k", ["-ar", "48000", "-c:a", "flac"], "flac"),
    ("ogg-q4", ["-c:a", "libvorbis", "-q:a", "4"], "ogg"),
    ("mp3-64k-22k", ["-ar", "22050", "-c:a", "libmp3lame", "-b:a", "64k"], "mp3"),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("run")
    ap.add_argument("--deam", default="../shared/data/deam")
    ap.add_argument("--songs", type=int, default=120, help="held-out songs in all (spread over folds)")
    args = ap.parse_args()
    if not os.path.exists(os.path.join(args.run, "split.json")):
        die(args.run + " is not a `dynemo cv` model folder (no split.json)")
    ratings = {d: deam_ratings(args.deam, d) for d in ("arousal", "valence")}
    audio = os.path.join(args.deam, "audio_30s_40s")
    folds = folds_of(args.run)
    per_fold = max(1, args.songs // len(folds))
    names = ["original"] + [e[0] for e in ENCODINGS]
    shifts = {(n, d): [] for n in names[1:] for d in (0, 1)}
    sq = {(n, d): [] for n in names for d in (0, 1)}
    with tempfile.TemporaryDirectory(prefix="dynemo-enc-") as tmp:
        for k, fold in enumerate(folds):
            songs = sorted(s for s in fold if s in ratings["arousal"] and s in ratings["valence"])
            songs = songs[:per_fold]
            files = {}
            for s in songs:
                original = os.path.join(audio, s + ".mp3")
                files[(s, "original")] = original
                for name, opts, ext in ENCODINGS:
                    out = os.path.join(tmp, "%s/%s.%s" % (name, s, ext))
                    os.makedirs(os.path.dirname(out), exist_ok=True)
                    ffmpeg(["-i", original] + opts + [out])
                    files[(s, name)] = out
            for name in names:
                batch = [files[(s, name)] for s in songs]
                preds = predict(fold_model(args.run, k), batch,
                                os.path.join(tmp, "pred-%d-%s" % (k, name)))
                for s in songs:
                    files[(s, name, "pred")] = preds[files[(s, name)]]
            for s in songs:
                base = files[(s, "original", "pred")]
                for name in names:
                    p = files[(s, name, "pred")]
                    for d, dim in enumerate(("arousal", "valence")):
                        target = ratings[dim][s]
                        n = min(len(p[d]), len(target))
                        sq[(name, d)] += [(p[d][i] - target[i]) ** 2 for i in range(n)]
                        if name != "original":
                            shifts[(name, d)].append(abs(mean(p[d]) - mean(base[d])))
    n_songs = len(shifts[(names[1], 0)])
    if n_songs == 0:
        die("no held-out song with annotations")
    print("%d held-out songs, fold models of %s" % (n_songs, args.run))
    print()
    print("| encoding | A mean shift | A max shift | V mean shift | V max shift | A RMSE | V RMSE |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for name in names:
        cells = []
        for d in (0, 1):
            if name == "original":
                cells += ["–", "–"]
            else:
                cells += ["%.4f" % mean(shifts[(name, d)]), "%.4f" % max(shifts[(name, d)])]
        cells += ["%.4f" % mean(sq[(name, d)]) ** 0.5 for d in (0, 1)]
        print("| %s | %s |" % (name, " | ".join(cells)))


if __name__ == "__main__":
    main()
