"""dynemo: dynamic music emotion recognition.

Arousal (calm - energetic) and valence (negative - positive) of music every 500 ms, as the curves
human listeners draw (DEAM scale, [-1, 1]), from a C++ library: the same numbers as the
`dynemo` command line.

    import dynemo
    samples, rate = dynemo.load_audio("song.mp3")          # mono float32, 44100 Hz
    table = dynemo.features(samples, rate, set="spectral")  # [windows, 197] float32
    model = dynemo.Model()                                   # the shipped default model
    curves = model.predict_file("song.mp3")                  # [windows, 3]: time_s, A, V

Catalogues on a Dask cluster: dynemo.dask.predict_catalog (python3 -m dynemo.dask --help).
`import dynemo` does not load LibTorch; the first use of dynemo.Model does.
Errors: dynemo.AudioError (unusable audio, the message names the file), dynemo.IoError,
dynemo.ConfigError, all subclasses of dynemo.Error.
"""

from ._signal import (  # noqa: F401
    AudioError,
    ConfigError,
    Error,
    IoError,
    __version__,
    feature_columns,
    feature_sets,
    features,
    git_sha,
    load_audio,
)

__all__ = [
    "AudioError",
    "ConfigError",
    "Error",
    "IoError",
    "Model",
    "__version__",
    "feature_columns",
    "feature_sets",
    "features",
    "git_sha",
    "load_audio",
]


def __getattr__(name):
    # The model classes live in the LibTorch extension, loaded on first use (PEP 562).
    if name == "Model":
        from ._ml import Model

        return Model
    raise AttributeError(f"module 'dynemo' has no attribute {name!r}")
