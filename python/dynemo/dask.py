"""Scoring a music catalogue on Dask distributed.

    from distributed import Client
    import dynemo.dask
    records = dynemo.dask.predict_catalog(["/music"], "/scores", client=Client("sched:8786"))

or `python3 -m dynemo.dask --scheduler sched:8786 /music -o /scores`. Every track gets the file
`dynemo predict` would write (same folder mirroring, same bytes, atomic writes), failures go to
OUT/errors.log, finished tracks are skipped on a rerun, and a worker that dies mid-run costs only
its batch: Dask runs it again elsewhere and the atomic writes leave no half or doubled output.
Each worker process loads the model once and keeps it for every batch it runs.
"""

import argparse
import json
import os
import sys
import time

from . import _signal  # noqa: F401  (the error classes, before _ml registers its translator)

__all__ = ["predict_catalog", "plan_batches"]

# Per worker process: model path ("" = the default) -> dynemo.Model.
_MODELS = {}


def _model(path):
    key = path or ""
    model = _MODELS.get(key)
    if model is None:
        from ._ml import Model, set_model_threads

        # Parallelism comes from worker processes (one per core): one LibTorch thread each.
        set_model_threads(1)
        model = _MODELS[key] = Model(path or None)
    return model


def _summary_of(output):
    """windows, mean arousal and valence, and the summary label (JSON only, else None) of a
    finished prediction file (for skipped tracks). A JSON file records each window's level:
    the means are those of the windows heard (at or above -60 dBFS), as the CLI's; a CSV does
    not: the means of all its windows."""
    label = None
    if output.endswith(".json"):
        with open(output, encoding="utf-8") as f:
            j = json.load(f)
        a, v, label = j["arousal"], j["valence"], j.get("summary")
        levels = j.get("window_rms_dbfs")
        if levels is not None and len(levels) == len(a):
            from ._ml import SILENT_BELOW_DBFS  # loaded on the worker: it holds the model

            heard = [i for i, db in enumerate(levels) if db >= SILENT_BELOW_DBFS]
            if heard:
                mean_a = sum(a[i] for i in heard) / len(heard)
                mean_v = sum(v[i] for i in heard) / len(heard)
                return len(a), mean_a, mean_v, label
    else:
        a, v = [], []
        with open(output, encoding="utf-8") as f:
            for line in f:
                if line[:1].isdigit() or line[:1] == "-":
                    x, y = line.split(",")[1:3]  # time_s, arousal, valence[, sds]
                    a.append(float(x))
                    v.append(float(y))
    n = len(a)
    return n, (sum(a) / n if n else 0.0), (sum(v) / n if n else 0.0), label


def _score_batch(items, model_path, fmt, resume):
    """Runs on a worker: predicts each (input, output) pair, one record per pair."""
    model = _model(model_path)
    records = []
    for inp, out in items:
        record = {"path": inp, "output": out, "status": "done", "windows": 0,
                  "arousal_mean": None, "valence_mean": None, "summary": None, "error": None}
        try:
            if resume and model.is_current(out):
                n, a, v, label = _summary_of(out)
                record.update(status="skipped", windows=n, arousal_mean=a, valence_mean=v,
                              summary=label)
            else:
                r = model.predict_to(inp, out, fmt)
                record.update(windows=r["windows"], arousal_mean=r["arousal_mean"],
                              valence_mean=r["valence_mean"], summary=r["summary"])
        except Exception as e:  # dynemo.Error, OSError: the track failed, the batch goes on
            record.update(status="failed", error=str(e))
        records.append(record)
    return records


def plan_batches(items, max_bytes=32 << 20, max_items=64):
    """Groups (input, output) pairs into tasks of at most max_bytes of audio files and max_items
    tracks (small files share a task, so per-task overhead stays small)."""
    batches, batch, size = [], [], 0
    for item in items:
        try:
            n = os.path.getsize(item[0])
        except OSError:
            n = 0
        if batch and (size + n > max_bytes or len(batch) >= max_items):
            batches.append(batch)
            batch, size = [], 0
        batch.append(item)
        size += n
    if batch:
        batches.append(batch)
    return batches


def predict_catalog(paths, out_dir, client=None, model=None, resume=True, format="csv",
                    max_batch_bytes=32 << 20, max_batch_items=64):
    """Predicts every audio file named by `paths` (files, or folders searched recursively) into
    out_dir on a Dask cluster, as `dynemo predict` would.

    client: a distributed.Client; None uses the current default client, or starts a local
    cluster of one single-threaded worker process per core for this call. model: a model path
    (visible to every worker) or None for the shipped default. resume: skip tracks whose output
    is a complete file of this model. Returns one record per track, in input order:
    {"path", "output", "status" ("done", "skipped", "failed"), "windows", "arousal_mean",
    "valence_mean", "summary" (the CLI's label, e.g. "neutral", "silent"; None for a skipped
    CSV, which does not record it), "error"}; the failures are also listed in out_dir/errors.log.
    """
    from distributed import Client, LocalCluster, as_completed

    from ._signal import plan, write_error_log

    if format not in ("csv", "json"):
        raise ValueError(f"format {format!r} is not csv or json")
    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    items = plan([os.fspath(p) for p in paths], os.fspath(out_dir), format)
    model_path = os.path.abspath(model) if model else None
    own = None
    if client is None:
        try:
            from distributed import default_client

            client = default_client()
        except ValueError:
            own = LocalCluster(n_workers=os.cpu_count() or 1, threads_per_worker=1,
                               processes=True, dashboard_address=None)
            client = Client(own)
    try:
        # At least about 8 tasks per worker, so that the last ones keep every worker busy.
        n_workers = max(1, len(client.scheduler_info().get("workers", {})))
        per_task = max(1, min(max_batch_items, -(-len(items) // (8 * n_workers))))
        batches = plan_batches(items, max_batch_bytes, per_task)
        token = f"{time.time_ns()}-{os.getpid()}"
        futures = [client.submit(_score_batch, b, model_path, format, resume,
                                 key=f"dynemo-batch-{i}-{token}")
                   for i, b in enumerate(batches)]
        by_input = {}
        for future in as_completed(futures):
            for record in future.result():
                by_input[record["path"]] = record
    finally:
        if own is not None:
            client.close()
            own.close()
    records = [by_input[inp] for inp, _ in items]
    failed = [(r["path"], r["error"]) for r in records if r["status"] == "failed"]
    write_error_log(os.fspath(out_dir), sorted(failed), [inp for inp, _ in items])
    return records


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python3 -m dynemo.dask",
        description="Predict arousal and valence of a music catalogue on a Dask cluster: "
                    "OUT/<path>.csv per track as `dynemo predict` writes it, resumable.")
    where = parser.add_mutually_exclusive_group(required=True)
    where.add_argument("--scheduler", help="address of a running Dask scheduler (host:8786)")
    where.add_argument("--local-workers", type=int, metavar="N",
                       help="start N single-threaded worker processes on this machine")
    parser.add_argument("inputs", nargs="+", help="audio files or folders (searched recursively)")
    parser.add_argument("-o", "--output", required=True, help="output folder")
    parser.add_argument("-m", "--model", help="model file (default: the shipped model)")
    parser.add_argument("-f", "--format", choices=["csv", "json"], default="csv")
    parser.add_argument("--force", action="store_true", help="predict finished tracks again")
    args = parser.parse_args(argv)
    if args.local_workers is not None and not 1 <= args.local_workers <= 1024:
        parser.error("--local-workers must be in 1..1024")

    from distributed import Client, LocalCluster

    # Through the package, not this __main__ copy: the tasks must refer to dynemo.dask's
    # functions (and its per-process model cache), which every worker imports.
    from dynemo import Error
    from dynemo.dask import predict_catalog as run

    cluster = None
    try:
        if args.scheduler:
            client = Client(args.scheduler)
        else:
            cluster = LocalCluster(n_workers=args.local_workers, threads_per_worker=1,
                                   processes=True, dashboard_address=None)
            client = Client(cluster)
        start = time.monotonic()
        records = run(args.inputs, args.output, client=client, model=args.model,
                                  resume=not args.force, format=args.format)
        elapsed = time.monotonic() - start
    except (Error, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    finally:
        if cluster is not None:
            client.close()
            cluster.close()
    counts = {s: sum(r["status"] == s for r in records) for s in ("done", "skipped", "failed")}
    for r in records:
        if r["status"] == "failed":
            # As `dynemo predict` prints it: the message names the file; else the path leads.
            message = r["error"]
            if not message.startswith(r["path"]):
                message = f"{r['path']}: {message}"
            print(f"error: {message}", file=sys.stderr)
    print(f"dynemo.dask: {counts['done']} done, {counts['skipped']} skipped, {counts['failed']} "
          f"failed in {elapsed:.1f} s -> {args.output}", file=sys.stderr)
    return 1 if counts["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
