// dynemo._signal: audio and features (dynemo::signal, no LibTorch), so that `import dynemo` does
// not load LibTorch. The functions release the GIL while they compute.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <string>
#include <utility>
#include <vector>

#include "convert.h"
#include "dynemo/audio.h"
#include "dynemo/batch.h"
#include "dynemo/features.h"
#include "dynemo/version.h"

namespace py = pybind11;

namespace dynemo::python {
namespace {

using Samples = py::array_t<float, py::array::c_style | py::array::forcecast>;

std::pair<py::array_t<float>, int> py_load_audio(const std::string& path, double sample_rate) {
  Audio audio;
  {
    py::gil_scoped_release release;
    AudioLoadOptions options;
    options.target_sample_rate_hz = sample_rate;
    audio = load_audio(path, options);
  }
  py::array_t<float> out(static_cast<py::ssize_t>(audio.samples.size()));
  std::copy(audio.samples.begin(), audio.samples.end(), out.mutable_data());
  return {out, static_cast<int>(audio.sample_rate_hz)};
}

py::array_t<float> py_features(const Samples& samples, double sample_rate, const std::string& set,
                               double window_s, double hop_s) {
  std::vector<float> x = to_samples(samples);
  FeatureMatrix m;
  {
    py::gil_scoped_release release;
    FeatureConfig config;
    config.window_s = window_s;
    config.hop_s = hop_s;
    check_sample_rate(sample_rate, "features");
    check_samples(x.data(), x.size(), "<samples>");
    if (sample_rate != config.sample_rate_hz) {
      x = resample(x.data(), x.size(), sample_rate, config.sample_rate_hz);
    }
    m = extract_features(set, x.data(), x.size(), config.sample_rate_hz, config, "<samples>");
  }
  return to_array(m);
}

std::vector<std::pair<std::string, std::string>> py_plan(const std::vector<std::string>& inputs,
                                                         const std::string& output_dir,
                                                         const std::string& extension) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const BatchItem& item : plan_batch(inputs, output_dir, extension)) {
    out.emplace_back(item.input, item.output);
  }
  return out;
}

void py_write_error_log(const std::string& output_dir,
                        const std::vector<std::pair<std::string, std::string>>& failed,
                        const std::vector<std::string>& attempted) {
  std::vector<BatchFailure> f;
  for (const auto& [input, message] : failed) f.push_back({input, message});
  write_error_log(output_dir, f, attempted);
}

std::vector<std::string> py_feature_sets() {
  std::vector<std::string> names;
  for (const FeatureSetInfo& info : feature_sets()) names.push_back(info.name);
  return names;
}

}  // namespace
}  // namespace dynemo::python

PYBIND11_MODULE(_signal, m) {
  using namespace dynemo::python;
  m.doc() = "dynemo's audio and feature functions (no LibTorch); use the dynemo package.";
  define_errors(m);
  m.attr("__version__") = dynemo::kVersion;
  m.attr("git_sha") = dynemo::kGitSha;
  m.def("load_audio", &py_load_audio, py::arg("path"), py::arg("sample_rate") = 44100.0,
        R"doc(Decodes an audio file (WAV, FLAC, OGG/Vorbis, Opus, MP3, ...), averages its channels
and resamples it (soxr HQ) to `sample_rate` Hz (0 keeps the file's rate), as the CLI does.

Returns (samples, sample_rate): a float32 array of mono samples in [-1, 1] and its rate.
Raises dynemo.AudioError naming the file for unusable audio (missing, empty, corrupt,
truncated, not audio), dynemo.ConfigError for a negative rate.)doc");
  m.def("features", &py_features, py::arg("samples"), py::arg("sample_rate"),
        py::arg("set") = "spectral", py::arg("window_s") = 0.5, py::arg("hop_s") = 0.5,
        R"doc(Feature table of mono samples: float32 array [windows, columns], one row per
`window_s` window every `hop_s` seconds from the start (the rows `dynemo features` writes).

`set`: one set or several joined by '+' or ',' (dynemo.feature_sets()); the columns are
dynemo.feature_columns(set). Samples at another rate than 44100 Hz are resampled to it first,
as the CLI's decoder does. Raises dynemo.ConfigError for an unknown set or a bad window,
dynemo.AudioError for NaN/Inf samples or audio shorter than one window.)doc");
  m.def("feature_columns", &dynemo::feature_columns, py::arg("set"),
        "Column names of a feature set (or 'a+b' spec), in output order ('spectral.mfcc_3', ...).");
  m.def("feature_sets", &py_feature_sets, "Names of every registered feature set.");
  m.def("plan", &py_plan, py::arg("inputs"), py::arg("output_dir"), py::arg("extension") = "csv",
        "(input, output) pairs as `dynemo predict` and `dynemo features` plan them: files found "
        "below directory arguments keep their relative path under output_dir.");
  m.def("write_error_log", &py_write_error_log, py::arg("output_dir"), py::arg("failed"),
        py::arg("attempted"),
        "Updates output_dir/errors.log: the lines of the `attempted` inputs become the (input, "
        "message) pairs of `failed`, other lines stay; removed when no line is left.");
}
