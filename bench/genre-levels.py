#!/usr/bin/env python3
"""How listeners rated each genre of the "1000 Songs" set (emoMusic, the 2013 part of DEAM).

For every genre of songs_info.csv: the number of songs, and over the songs' mean ratings
(15-45 s, DEAM scale [-1, 1]) the mean, the 10th and the 90th percentile of arousal and of
valence. It shows what a model trained on these ratings learns of a genre: which levels the
annotators gave, e.g. how aroused the most energetic orchestral excerpts were rated.

Usage: bench/genre-levels.py [--emomusic ../shared/data/emomusic]
"""
import argparse
import csv
import os


def song_means(path):
    """song_id -> mean of the song's non-empty ratings."""
    means = {}
    with open(path, newline="") as f:
        rows = csv.reader(f)
        next(rows)
        for row in rows:
            values = [float(v) for v in row[1:] if v.strip()]
            if values:
                means[row[0].strip()] = sum(values) / len(values)
    return means


def percentile(values, p):
    ordered = sorted(values)
    at = p * (len(ordered) - 1)
    lo = int(at)
    hi = min(lo + 1, len(ordered) - 1)
    return ordered[lo] + (ordered[hi] - ordered[lo]) * (at - lo)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--emomusic", default="../shared/data/emomusic")
    args = ap.parse_args()
    notes = os.path.join(args.emomusic, "annotations")
    if not os.path.isdir(notes):
        raise SystemExit(f"genre-levels: {notes} is not a folder (the emoMusic annotations)")
    arousal = song_means(os.path.join(notes, "arousal_cont_average.csv"))
    valence = song_means(os.path.join(notes, "valence_cont_average.csv"))
    genres = {}
    with open(os.path.join(notes, "songs_info.csv"), newline="") as f:
        for row in csv.DictReader(f):
            song = row["song_id"].strip()
            if song in arousal and song in valence:
                genres.setdefault(row["Genre"].strip(), []).append(song)
    print("genre       songs   arousal: mean   p10    p90   valence: mean   p10    p90")
    for genre in sorted(genres):
        songs = genres[genre]
        cells = []
        for ratings in (arousal, valence):
            values = [ratings[s] for s in songs]
            cells += [sum(values) / len(values), percentile(values, 0.1), percentile(values, 0.9)]
        print(f"{genre:<11} {len(songs):5d}   " + "  ".join(f"{v:+6.3f}" for v in cells[:3]) +
              "   " + "  ".join(f"{v:+6.3f}" for v in cells[3:]))


if __name__ == "__main__":
    main()
