import os
import subprocess
import tempfile

import pytest

SOURCE = os.environ.get("DYNEMO_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
CLIP = os.path.join(SOURCE, "examples", "wesnoth_battle_epic_45s.flac")
CLI = os.environ.get("DYNEMO_CLI", os.path.join(SOURCE, "build", "apps", "dynemo", "dynemo"))
SHARED = os.environ.get("DYNEMO_SHARED_DIR", os.path.join(SOURCE, "..", "shared"))


def run_cli(*args):
    return subprocess.run([CLI, *args], capture_output=True, text=True, check=False)


def data_rows(path):
    """(time, arousal, valence) rows of a prediction CSV, or the rows of a features CSV."""
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line[:1].isdigit() or line[:1] == "-":
                rows.append([float(x) for x in line.rstrip("\n").split(",")])
    return rows


@pytest.fixture
def tmp(tmp_path):
    return tmp_path
