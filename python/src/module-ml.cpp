// dynemo._ml: trained models (dynemo::ml, LibTorch), loaded by the package on first use of
// dynemo.Model. The methods release the GIL while they compute, so threads run in parallel.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "convert.h"
#include "dynemo/audio.h"
#include "dynemo/error.h"
#include "dynemo/features.h"
#include "dynemo/predict.h"

namespace py = pybind11;

namespace dynemo::python {
namespace {

using Samples = py::array_t<float, py::array::c_style | py::array::forcecast>;

// [windows, 5] float64: time_s, arousal, valence, arousal_sd, valence_sd.
py::array_t<double> rows_array(const TrackPrediction& p) {
  constexpr py::ssize_t kColumns = 5;
  py::array_t<double> out({static_cast<py::ssize_t>(p.n_windows()), kColumns});
  double* d = out.mutable_data();
  for (std::size_t k = 0; k < p.n_windows(); ++k, d += kColumns) {
    const PredictionRow r = p.row(k);
    d[0] = r.time_s;
    d[1] = r.arousal;
    d[2] = r.valence;
    d[3] = r.arousal_sd;
    d[4] = r.valence_sd;
  }
  return out;
}

// The summary of a file's prediction as a dict: what `dynemo predict` prints for it.
py::dict summary_dict(const TrackPrediction& p) {
  const TrackSummary summary = summarise(p);
  py::dict d;
  d["windows"] = p.n_windows();
  d["arousal_mean"] = summary.arousal_mean;
  d["valence_mean"] = summary.valence_mean;
  d["duration_s"] = p.duration_s;
  d["rms_dbfs"] = p.rms_dbfs;
  d["windows_heard"] = summary.windows_heard;
  d["summary"] = summary.label;
  return d;
}

class Model {
 public:
  explicit Model(const std::optional<std::string>& path) {
    py::gil_scoped_release release;
    predictor_ = std::make_unique<Predictor>(path ? *path : default_model_path());
  }

  py::array_t<double> predict(const Samples& samples, double sample_rate) {
    std::vector<float> x = to_samples(samples);
    TrackPrediction p;
    {
      py::gil_scoped_release release;
      const ModelCard& card = predictor_->card();
      check_sample_rate(sample_rate, "Model.predict");
      check_samples(x.data(), x.size(), "<samples>");
      if (sample_rate != card.config.sample_rate_hz) {
        x = resample(x.data(), x.size(), sample_rate, card.config.sample_rate_hz);
      }
      const FeatureMatrix f = extract_features(
          card.spec, x.data(), x.size(), card.config.sample_rate_hz, card.config, "<samples>");
      p = predictor_->predict_features(f);
    }
    return rows_array(p);
  }

  py::object predict_file(const std::string& path, bool with_summary) {
    TrackPrediction p;
    {
      py::gil_scoped_release release;
      p = predictor_->predict_file(path);
    }
    if (!with_summary) return rows_array(p);
    return py::make_tuple(rows_array(p), summary_dict(p));
  }

  // Predicts `input` into `output` exactly as `dynemo predict` writes it; returns its summary
  // (summary_dict).
  py::dict predict_to(const std::string& input, const std::string& output,
                      const std::string& format) {
    TrackPrediction p;
    {
      py::gil_scoped_release release;
      BatchOptions options;
      options.format = format;
      if (format != "csv" && format != "json") {
        throw ConfigError("format '" + format + "' is not csv or json");
      }
      p = predict_item(*predictor_, {input, output}, options);
    }
    return summary_dict(p);
  }

  bool is_current(const std::string& output) const {
    return prediction_is_current(output, predictor_->card());
  }

  py::object info() const {
    return py::module_::import("json").attr("loads")(predictor_->card().sidecar_json);
  }
  std::string path() const { return predictor_->card().path; }

 private:
  std::unique_ptr<Predictor> predictor_;
};

}  // namespace
}  // namespace dynemo::python

PYBIND11_MODULE(_ml, m) {
  using namespace dynemo::python;
  m.doc() = "dynemo's models (LibTorch); use the dynemo package.";
  translate_errors(py::module_::import("dynemo._signal"));
  py::class_<Model>(m, "Model",
                    R"doc(A trained model (the .pt file and its .json sidecar, or a blend's .json).

Model(path=None) loads the shipped default model when path is None. Raises dynemo.IoError for a
missing or malformed file, dynemo.ConfigError when the model's features do not match this
dynemo. One Model may be used from several threads at once.)doc")
      .def(py::init<const std::optional<std::string>&>(), py::arg("path") = py::none())
      .def("predict", &Model::predict, py::arg("samples"), py::arg("sample_rate"),
           R"doc(Arousal and valence of mono samples: float64 array [windows, 5] of (time_s,
arousal, valence, arousal_sd, valence_sd), one row per 0.5 s window from the start; the sds are
the model's calibrated predictive standard deviations. Samples at another rate are
resampled to the model's (44100 Hz) first, as the CLI's decoder does.)doc")
      .def("predict_file", &Model::predict_file, py::arg("path"), py::arg("with_summary") = false,
           R"doc(The same for an audio file, decoded as `dynemo predict` decodes it (long files in
chunks): the numbers `dynemo predict` writes. Raises dynemo.AudioError naming the file. With
with_summary=True: (rows, summary), summary the dict predict_to returns.)doc")
      .def("predict_to", &Model::predict_to, py::arg("input"), py::arg("output"),
           py::arg("format") = "csv",
           "Predicts `input` and writes `output` (atomically) as `dynemo predict` does; returns "
           "{'windows', 'arousal_mean', 'valence_mean', 'duration_s', 'rms_dbfs', "
           "'windows_heard', 'summary'} (the CLI's summary: means over the windows at or above "
           "-60 dBFS, the label 'silent' when none is).")
      .def("is_current", &Model::is_current, py::arg("output"),
           "True when `output` is a complete prediction file of this model (resume skips it).")
      .def_property_readonly(
          "info", &Model::info,
          "The sidecar as a dict: a model's (training, data, metrics) or a blend's "
          "(components, weights, metrics).")
      .def_property_readonly("path", &Model::path, "The model file, without extension.");
  m.def("set_model_threads", &dynemo::set_model_threads, py::arg("n"),
        "LibTorch's intra-op threads for every model of this process (default: one per core).");
  // A window below this level is silence to the summaries (dynemo::kSilentBelow_dbfs).
  m.attr("SILENT_BELOW_DBFS") = dynemo::kSilentBelow_dbfs;
}
