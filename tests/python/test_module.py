"""dynemo's Python module against the CLI on the example clip: the same numbers, typed errors,
a light import, threads that run in parallel."""
import os
import subprocess
import sys
import threading

import numpy as np
import pytest

import dynemo
from conftest import CLIP, data_rows, run_cli


def test_import_is_light_and_does_not_load_libtorch():
    code = ("import time, sys; t = time.perf_counter(); import dynemo; "
            "print(time.perf_counter() - t, any('torch' in m for m in sys.modules), "
            "'dynemo._ml' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    assert float(out[0]) <= 0.5, out
    assert out[1:] == ["False", "False"]


def test_load_audio_gives_mono_float32_at_the_asked_rate():
    x, rate = dynemo.load_audio(CLIP)
    assert rate == 44100 and x.dtype == np.float32 and x.ndim == 1
    assert abs(len(x) / rate - 45.0) < 0.01
    y, rate16 = dynemo.load_audio(CLIP, sample_rate=16000)
    assert rate16 == 16000 and abs(len(y) - len(x) * 16000 / 44100) <= 1
    native, native_rate = dynemo.load_audio(CLIP, sample_rate=0)
    assert native_rate == 44100 and len(native) == len(x)


@pytest.mark.parametrize("feature_set", ["spectral", "listener", "mediaeval2015"])
def test_features_match_the_cli_exactly(tmp, feature_set):
    out = tmp / "f"
    run = run_cli("features", "--set", feature_set, CLIP, "-o", str(out))
    assert run.returncode == 0, run.stderr
    csv_path = out / "wesnoth_battle_epic_45s.csv"
    with open(csv_path, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split(",")
    expected = np.array(data_rows(csv_path))
    x, rate = dynemo.load_audio(CLIP)
    table = dynemo.features(x, rate, set=feature_set)
    columns = dynemo.feature_columns(feature_set)
    assert header[0] == "time_s" and header[1:] == columns
    assert table.shape == (expected.shape[0], len(columns)) and table.dtype == np.float32
    # The CSV's 9 significant digits give every float32 back exactly: the values are equal.
    np.testing.assert_array_equal(table, expected[:, 1:].astype(np.float32))


def test_feature_registry():
    sets = dynemo.feature_sets()
    assert {"spectral", "cqt", "listener", "mediaeval2015"} <= set(sets)
    assert len(dynemo.feature_columns("spectral+cqt")) == 449
    with pytest.raises(dynemo.ConfigError, match="unknown"):
        dynemo.feature_columns("nonsense")


def test_model_predicts_the_rows_dynemo_predict_writes(tmp):
    run = run_cli("predict", CLIP, "-o", str(tmp / "p"))
    assert run.returncode == 0, run.stderr
    expected = np.array(data_rows(tmp / "p" / "wesnoth_battle_epic_45s.csv"))
    model = dynemo.Model()
    from_file = model.predict_file(CLIP)
    assert from_file.shape == (90, 5)
    np.testing.assert_allclose(from_file, expected, atol=5e-7)  # the CSV's 6 decimals
    x, rate = dynemo.load_audio(CLIP)
    np.testing.assert_allclose(model.predict(x, rate), from_file, atol=1e-6)
    # Another rate: resampled to the model's as the decoder would.
    y, rate16 = dynemo.load_audio(CLIP, sample_rate=22050)
    assert model.predict(y, rate16).shape == (90, 5)
    info = model.info
    # The default is a blend with a weight per output: its sidecar lists the components, their
    # feature sets and weights (arousal from the first two, valence from the first and last).
    assert info["format"] == "dynemo-blend/2"
    components = info["components"]
    assert [c["feature_spec"] for c in components] == [
        "listener", "listener-compare", "listener-compare"]
    assert components[0]["weight"] == 0.5
    assert components[1]["weights"] == {"arousal": 0.5, "valence": 0.0}
    assert components[2]["weights"] == {"arousal": 0.0, "valence": 0.5}


def test_predict_to_summarises_as_the_cli_does_and_calls_silence_silent(tmp):
    import wave
    silence = tmp / "silence.wav"
    with wave.open(str(silence), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(44100)
        w.writeframes(bytes(2 * 3 * 44100))
    model = dynemo.Model()
    r = model.predict_to(str(silence), str(tmp / "silence.json"), "json")
    assert r["windows"] == 6 and r["summary"] == "silent" and r["rms_dbfs"] == -200.0
    assert r["windows_heard"] == 0
    clip = model.predict_to(CLIP, str(tmp / "clip.csv"))
    assert clip["summary"] == "neutral" and abs(clip["rms_dbfs"] + 20.0) < 1.5
    assert abs(clip["arousal_mean"] - 0.064) < 0.001 and clip["windows_heard"] == 90

    # The clip then 5 s of silence: the means are those of the windows heard, as the CLI's line
    # and the Dask records of a finished JSON file (a rerun skips it) give them.
    padded = tmp / "padded.wav"
    subprocess.run(["ffmpeg", "-loglevel", "error", "-y", "-i", CLIP, "-af", "apad=pad_dur=5",
                    "-ac", "1", "-c:a", "pcm_s16le", str(padded)], check=True)
    p = model.predict_to(str(padded), str(tmp / "padded.json"), "json")
    assert p["windows"] == 100 and p["windows_heard"] == 90
    assert abs(p["arousal_mean"] - clip["arousal_mean"]) < 0.01
    line = run_cli("predict", str(padded), "-o", str(tmp / "cli"), "--force").stdout
    assert "(10 silent)" in line and f"arousal {p['arousal_mean']:+.3f}," in line
    rows, summary = model.predict_file(str(padded), with_summary=True)
    assert rows.shape == (100, 5) and summary == p  # the same summary, no file written
    from dynemo.dask import _summary_of
    n, a, v, label = _summary_of(str(tmp / "padded.json"))
    assert (n, label) == (100, p["summary"])
    assert a == pytest.approx(p["arousal_mean"], abs=1e-6)
    assert v == pytest.approx(p["valence_mean"], abs=1e-6)


def test_errors_are_typed_and_name_the_file(tmp):
    missing = str(tmp / "none.wav")
    with pytest.raises(dynemo.AudioError, match="none.wav"):
        dynemo.load_audio(missing)
    bad = tmp / "bad.mp3"
    bad.write_bytes(b"this is not audio" * 100)
    model = dynemo.Model()
    with pytest.raises(dynemo.AudioError, match="bad.mp3"):
        model.predict_file(str(bad))
    with pytest.raises(dynemo.IoError):
        dynemo.Model(str(tmp / "no-model"))
    assert issubclass(dynemo.IoError, OSError) and issubclass(dynemo.ConfigError, ValueError)
    with pytest.raises(dynemo.ConfigError):
        dynemo.features(np.zeros((2, 100), np.float32), 44100)
    with pytest.raises(dynemo.AudioError, match="too short"):
        dynemo.features(np.zeros(100, np.float32), 44100)
    x = np.zeros(44100, np.float32)
    x[10] = np.nan
    with pytest.raises(dynemo.AudioError, match="NaN|non-finite|finite"):
        model.predict(x, 44100)
    x[10] = 32767.0  # a float signal scaled to integers: refused, not analysed
    with pytest.raises(dynemo.AudioError, match="out_of_range: 1 of 44100 samples lie beyond"):
        model.predict(x, 44100)
    with pytest.raises(dynemo.AudioError, match="the first at index 10 \\(32767\\)"):
        dynemo.features(x, 44100)
    # Sample rates outside 1 kHz .. 768 kHz are refused before any work (1 THz would ask for
    # terabytes of resampled signal).
    y = np.zeros(44100, np.float32)
    for rate in (0.0, 10.0, 1e12, float("nan")):
        with pytest.raises(dynemo.ConfigError,
                           match="features: sample rate .* expected 1000 to 768000 Hz"):
            dynemo.features(y, rate)
        with pytest.raises(dynemo.ConfigError, match="Model.predict: sample rate"):
            model.predict(y, rate)
    with pytest.raises(dynemo.ConfigError, match="target_sample_rate_hz: sample rate 1e\\+12 Hz"):
        dynemo.load_audio(CLIP, 1e12)


def test_the_gil_is_released_while_computing():
    # While another thread is inside Model.predict, this thread keeps running Python code: a
    # call that held the GIL would stop it for the whole call.
    model = dynemo.Model()
    x, rate = dynemo.load_audio(CLIP)
    x = np.concatenate([x, x, x])
    model.predict(x[:44100], rate)  # warm
    done = threading.Event()
    worker = threading.Thread(target=lambda: (model.predict(x, rate), done.set()))
    spins = 0
    worker.start()
    while not done.is_set():
        spins += 1
    worker.join()
    assert spins > 10000, spins
