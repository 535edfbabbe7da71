#!/usr/bin/env python3
"""Tracks per second of dynemo.dask.predict_catalog with 1 and with 2 worker processes (one
thread each) on the same catalogue of shared DEAM excerpts, models loaded before timing.

Usage: PYTHONPATH=build/python python3 bench/dask-throughput.py [N_TRACKS=200] [SHARED=../shared]
"""
import os
import shutil
import sys
import tempfile
import time

import distributed

import dynemo.dask


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    shared = sys.argv[2] if len(sys.argv) > 2 else os.path.join(os.path.dirname(__file__), "..", "..", "shared")
    deam = os.path.join(shared, "data", "deam", "audio_30s_40s")
    files = sorted(f for f in os.listdir(deam) if f.endswith(".mp3"))[:n]
    audio_s = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        music = os.path.join(tmp, "music")
        os.makedirs(music)
        for f in files:
            shutil.copy(os.path.join(deam, f), music)
        rates = {}
        for workers in (1, 2):
            cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1,
                                               processes=True, dashboard_address=None)
            client = distributed.Client(cluster)
            client.run(lambda: dynemo.dask._model(None) and None)  # load the model everywhere
            out = os.path.join(tmp, f"out{workers}")
            start = time.perf_counter()
            records = dynemo.dask.predict_catalog([music], out, client=client, resume=False)
            elapsed = time.perf_counter() - start
            client.close()
            cluster.close()
            done = sum(r["status"] == "done" for r in records)
            audio_s = sum(r["windows"] * 0.5 for r in records)
            rates[workers] = done / elapsed
            print(f"{workers} worker(s): {done} tracks ({audio_s:.0f} s of audio) in "
                  f"{elapsed:.2f} s: {rates[workers]:.1f} tracks/s, "
                  f"{audio_s / elapsed:.0f}x real time")
        print(f"2 workers / 1 worker: {rates[2] / rates[1]:.2f}x")


if __name__ == "__main__":
    main()
