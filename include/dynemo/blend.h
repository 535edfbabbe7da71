// Blends: one model made of several trained models, predicting the weighted mean of theirs
// (docs/formats.md#blends). Models that err differently (a context MLP on one feature set, an
// attentive LSTM over the whole track on another) average to smaller errors than either alone
// (docs/results.md). A blend is read by Predictor like any model file. dynemo::ml; no LibTorch
// in this header.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "dynemo/data.h"

namespace dynemo {

// A component's weight for each output. One number weighs both outputs alike; a pair lets a
// blend take arousal from one model and valence from another (a weight may then be 0 in one
// output, not in both).
struct OutputWeights {
  double arousal = 0.0;
  double valence = 0.0;
  OutputWeights() = default;
  OutputWeights(double both) : arousal(both), valence(both) {}  // NOLINT: implicit on purpose
  OutputWeights(double a, double v) : arousal(a), valence(v) {}
  double operator[](std::size_t output) const { return output == 0 ? arousal : valence; }
  bool same() const { return arousal == valence; }
};

struct BlendInput {
  std::string path;  // a model file (with or without extension), or a `dynemo cv` model folder
  OutputWeights weight;
};

// Checks and normalises the weights of `inputs`: two or more inputs, each weight finite and >= 0,
// no input weighing 0 in both outputs, each output's weights adding up to more than 0; returns
// them scaled so that each output's add up to 1. ConfigError naming the problem otherwise.
std::vector<OutputWeights> blend_weights(const std::vector<BlendInput>& inputs);

// Writes the blend of the model files `inputs` as <output>.json, atomically. Components already
// in output's folder are referenced there; others are copied beside it as <output stem>.part<k>
// (.pt and .json), so that the folder holds the whole blend. `cv_metrics_json` (the metrics.json
// text of a blend_cv folder, or "") becomes the blend's metrics.cross_validation, and with it the
// predictive sd (its pooled RMSE). Throws IoError / ConfigError naming the file and the problem,
// e.g. components whose feature configurations differ.
void write_blend(const std::vector<BlendInput>& inputs, const std::string& output,
                 const std::string& cv_metrics_json);

// The blend of `dynemo cv` model folders made on the same split: output/ as a cv model folder of
// its own: split.json, fold-<k>/model.json (the blend of each fold's models, written as
// write_blend does), predictions/<song>.csv (the weighted mean of the runs' held-out predictions,
// on the windows every run predicted) and metrics.json / metrics.md (those predictions scored
// against `dataset`, the one the runs were trained on). DataError when the runs' splits differ.
// Returns the metrics.json text.
std::string blend_cv(const std::vector<BlendInput>& runs, const Dataset& dataset,
                     const std::string& output);

// The dataset a `dynemo cv` model folder was trained on, as its metrics.json records it.
DatasetSource cv_run_dataset(const std::string& run_dir);

}  // namespace dynemo
