#!/usr/bin/env python3
"""Step response of a model on joined DEAM excerpts, with held-out fold models.

For each fold of a `dynemo cv` model folder, pairs of its held-out songs whose annotated mean
arousal differs by more than 0.35 are joined (the first 10 s of song a, then the first 10 s of
song b, mono 44.1 kHz WAV, ffmpeg) and predicted by that fold's model, which never saw either song.
Lag: the windows after the join up to and including the first whose arousal crosses half-way
between the model's own levels for the two songs (its mean prediction on each excerpt alone);
1 = the first window after the join (10.0-10.5 s) already crosses. Also the arousal RMSE of the
joined prediction against the joined annotations (40 windows).

Usage: bench/step-response.py RUN/<MODEL> [--deam ../shared/data/deam] [--pairs-per-fold 6]
"""
import argparse
import os
import random
import tempfile

from model_checks import (deam_ratings, die, ffmpeg, fold_model, folds_of, mean, median,
                          percentile, predict, rmse)

JOIN = 20  # windows of song a before the join


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("run")
    ap.add_argument("--deam", default="../shared/data/deam")
    ap.add_argument("--pairs-per-fold", type=int, default=6)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    if not os.path.exists(os.path.join(args.run, "split.json")):
        die(args.run + " is not a `dynemo cv` model folder (no split.json)")
    arousal = deam_ratings(args.deam, "arousal")
    audio = os.path.join(args.deam, "audio_30s_40s")
    rng = random.Random(args.seed)
    lags, rmses, squares = [], [], []
    with tempfile.TemporaryDirectory(prefix="dynemo-step-") as tmp:
        for k, fold in enumerate(folds_of(args.run)):
            songs = [s for s in fold if s in arousal]
            pairs = [(a, b) for a in songs for b in songs
                     if a != b and abs(mean(arousal[a]) - mean(arousal[b])) > 0.35]
            rng.shuffle(pairs)
            pairs = pairs[:args.pairs_per_fold]
            if not pairs:
                continue
            joined, singles = [], set()
            for a, b in pairs:
                out = os.path.join(tmp, "join-%d-%s-%s.wav" % (k, a, b))
                ffmpeg(["-i", os.path.join(audio, a + ".mp3"), "-i", os.path.join(audio, b + ".mp3"),
                        "-filter_complex",
                        "[0]aresample=44100,aformat=channel_layouts=mono,atrim=0:10[x];"
                        "[1]aresample=44100,aformat=channel_layouts=mono,atrim=0:10[y];"
                        "[x][y]concat=n=2:v=0:a=1", "-c:a", "pcm_f32le", out])
                joined.append(out)
                singles.update([a, b])
            model = fold_model(args.run, k)
            single_files = [os.path.join(audio, s + ".mp3") for s in sorted(singles)]
            levels = {os.path.splitext(os.path.basename(p))[0]: mean(av[0]) for p, av in
                      predict(model, single_files, os.path.join(tmp, "single-%d" % k)).items()}
            preds = predict(model, joined, os.path.join(tmp, "joined-%d" % k))
            for (a, b), path in zip(pairs, joined):
                pa = preds[path][0]
                half = 0.5 * (levels[a] + levels[b])
                up = levels[b] > levels[a]
                lag = None
                for j in range(JOIN, len(pa)):
                    if (pa[j] >= half) if up else (pa[j] <= half):
                        lag = j - JOIN + 1
                        break
                lags.append(lag if lag is not None else len(pa) - JOIN + 1)
                target = arousal[a] + arousal[b]
                n = min(len(pa), len(target))
                rmses.append(rmse(pa[:n], target[:n]))
                squares += [(p - t) ** 2 for p, t in zip(pa[:n], target[:n])]
    if not lags:
        die("no pair of held-out songs differs by more than 0.35 in arousal")
    print("pairs: %d (arousal difference > 0.35, both songs held out of the model)" % len(lags))
    print("lag to cross half-way (windows of 0.5 s after the join): median %.1f, 90th percentile "
          "%d, max %d" % (median(lags), percentile(lags, 90), max(lags)))
    print("arousal RMSE against the joined annotations: pooled %.3f (per pair: mean %.3f, "
          "median %.3f)" % (mean(squares) ** 0.5, mean(rmses), median(rmses)))


if __name__ == "__main__":
    main()
