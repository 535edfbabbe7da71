// Predictor: a loaded model file (ensemble + sidecar) applied to feature tables or audio files.
#include <algorithm>

#include "dynemo/error.h"
#include "dynemo/file-features.h"
#include "dynemo/io.h"
#include "dynemo/predict.h"
#include "models/ensemble.h"
#include "predict/model-card.h"

namespace dynemo {
namespace {

// Frames per forward pass for context models on long tracks (256 frames = 128 s at 2 Hz).
constexpr std::int64_t kBlockFrames = 256;

std::string strip_extension(const std::string& path) {
  for (const char* ext : {".pt", ".json"}) {
    const std::string e(ext);
    if (path.size() > e.size() && path.compare(path.size() - e.size(), e.size(), e) == 0) {
      return path.substr(0, path.size() - e.size());
    }
  }
  return path;
}

}  // namespace

struct Predictor::Impl {
  ModelCard card;
  std::vector<std::string> columns;
  models::Ensemble model;
  std::int64_t context_frames = 0;  // > 0: the model looks this many frames back, no further
  torch::Tensor mean, std;          // the normaliser as [1, F] tensors
};

Predictor::Predictor(const std::string& path) : impl_(std::make_unique<Impl>()) {
  const std::string base = strip_extension(path);
  const std::string sidecar_json = read_text_file(base + ".json", "model sidecar");
  const models::ModelSidecar sidecar = models::parse_model_sidecar(sidecar_json, base);
  impl_->card = predict::model_card(sidecar, sidecar_json, base);
  impl_->model = models::load_weights(sidecar, base);
  impl_->columns = feature_columns(impl_->card.spec);
  const auto n_features = static_cast<std::int64_t>(impl_->model.norm.mean.size());
  impl_->mean = torch::tensor(impl_->model.norm.mean).view({1, n_features});
  impl_->std = torch::tensor(impl_->model.norm.std).view({1, n_features});
  const models::Member& first = impl_->model.members.front();
  if (!first.nets.empty()) impl_->context_frames = first.nets.front()->context_frames();
  if (impl_->columns.size() != static_cast<std::size_t>(impl_->model.n_features)) {
    throw ConfigError("model " + base + " takes " + std::to_string(impl_->model.n_features) +
                      " features, but '" + impl_->card.spec + "' has " +
                      std::to_string(impl_->columns.size()));
  }
}

Predictor::~Predictor() = default;

const ModelCard& Predictor::card() const { return impl_->card; }

bool Predictor::has_attention() const { return models::has_attention(impl_->model); }

void set_model_threads(int n) {
  if (n < 1) throw ConfigError("model threads must be >= 1, got " + std::to_string(n));
  torch::set_num_threads(n);
}

std::size_t Predictor::context_frames() const {
  return static_cast<std::size_t>(impl_->context_frames);
}

bool Predictor::causal() const {
  return impl_->context_frames > 0 && impl_->model.config.smoothing_frames <= 1;
}

void Predictor::check_columns(const FeatureMatrix& features) const {
  if (features.columns != impl_->columns) {
    throw ConfigError("predict: the feature table has " + std::to_string(features.n_cols()) +
                      " columns that are not the model's " + std::to_string(impl_->columns.size()) +
                      " '" + impl_->card.spec + "' columns");
  }
}

namespace {

// Copies the clamped (arousal, valence) pairs of y into out, with their predictive sds from the
// members' spread `member_sd` (same layout).
void append_outputs(const std::vector<float>& y, const std::vector<float>& member_sd,
                    const Uncertainty& u, TrackPrediction& out) {
  for (std::size_t k = 0; k + 1 < y.size(); k += 2) {
    out.arousal.push_back(std::clamp(y[k], -1.0f, 1.0f));
    out.valence.push_back(std::clamp(y[k + 1], -1.0f, 1.0f));
    out.arousal_sd.push_back(static_cast<float>(u.arousal.sd(member_sd[k])));
    out.valence_sd.push_back(static_cast<float>(u.valence.sd(member_sd[k + 1])));
  }
}

std::vector<float> values(const torch::Tensor& t) {
  const torch::Tensor c = t.contiguous();
  return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

}  // namespace

TrackPrediction Predictor::predict_rows(const FeatureMatrix& features, std::size_t first) {
  check_columns(features);
  if (!causal()) {
    throw ConfigError("model " + impl_->card.path + " (" + impl_->card.model +
                      ") reads whole tracks, not a bounded past: it cannot predict a live stream; "
                      "use a context model such as the default");
  }
  TrackPrediction out;
  out.source = "<memory>";
  out.window_s = impl_->card.config.window_s;
  const std::size_t t = features.n_rows();
  if (first >= t) return out;
  c10::InferenceMode inference;  // no autograd bookkeeping: a live stream calls this per window
  out.time_s.assign(features.time_s.begin() + static_cast<std::ptrdiff_t>(first),
                    features.time_s.end());
  const std::size_t c0 = first - std::min(first, context_frames());
  const auto n = static_cast<std::int64_t>(t - c0);
  const auto f = static_cast<std::int64_t>(features.n_cols());
  const torch::Tensor x =
      (torch::from_blob(const_cast<float*>(features.values.data() + c0 * features.n_cols()),
                        {n, f}) -
       impl_->mean) /
      impl_->std;
  const auto c = static_cast<std::int64_t>(first - c0);
  models::Batch block;
  block.x = x.narrow(0, c, n - c).unsqueeze(0);
  block.mask = torch::ones({1, n - c}, torch::kBool);
  if (c > 0) block.context = x.narrow(0, 0, c).unsqueeze(0);
  torch::Tensor sd;
  const torch::Tensor y = models::predict_batch(impl_->model, block, nullptr, &sd).squeeze(0);
  append_outputs(values(y), values(sd.squeeze(0)), impl_->card.uncertainty, out);
  return out;
}

TrackPrediction Predictor::predict_features(const FeatureMatrix& features, bool with_attention) {
  try {
    return run_features(features, with_attention);
  } catch (const c10::Error& e) {  // LibTorch's message, without its 40-line backtrace
    throw Error("model " + impl_->card.path + ": " + e.what_without_backtrace());
  }
}

TrackPrediction Predictor::run_features(const FeatureMatrix& features, bool with_attention) {
  check_columns(features);
  TrackPrediction out;
  out.source = "<memory>";
  out.window_s = impl_->card.config.window_s;
  out.time_s = features.time_s;
  const auto t = static_cast<std::int64_t>(features.n_rows());
  if (t == 0) return out;
  const auto f = static_cast<std::int64_t>(features.n_cols());
  const models::Normaliser& norm = impl_->model.norm;
  torch::Tensor x = torch::from_blob(const_cast<float*>(features.values.data()), {t, f}).clone();
  x = (x - torch::tensor(norm.mean).view({1, f})) / torch::tensor(norm.std).view({1, f});
  torch::Tensor attention;
  torch::Tensor y, sd;
  const std::int64_t context = impl_->context_frames;
  if (!with_attention && context > 0 && t > kBlockFrames) {
    // Context models see at most `context` frames back: blocks of frames, each given the frames
    // before it as context, give exactly the whole-track outputs in memory bounded by the block.
    std::vector<torch::Tensor> parts, sd_parts;
    for (std::int64_t start = 0; start < t; start += kBlockFrames) {
      const std::int64_t n = std::min(kBlockFrames, t - start);
      models::Batch block;
      block.x = x.narrow(0, start, n).unsqueeze(0);
      block.mask = torch::ones({1, n}, torch::kBool);
      if (start > 0) {
        const std::int64_t c = std::min(context, start);
        block.context = x.narrow(0, start - c, c).unsqueeze(0);
      }
      torch::Tensor block_sd;
      parts.push_back(models::predict_batch(impl_->model, block, nullptr, &block_sd).squeeze(0));
      sd_parts.push_back(block_sd.squeeze(0));
    }
    y = torch::cat(parts, 0);
    sd = torch::cat(sd_parts, 0);
  } else {
    models::Batch batch;
    batch.x = x.unsqueeze(0);
    batch.mask = torch::ones({1, t}, torch::kBool);
    y = models::predict_batch(impl_->model, batch, with_attention ? &attention : nullptr, &sd)
            .squeeze(0);
    sd = sd.squeeze(0);
  }
  std::vector<float> v = values(y);
  std::vector<float> member_sd = values(sd);
  models::smooth_interleaved(v, impl_->model.config.smoothing_frames);
  models::smooth_interleaved(member_sd, impl_->model.config.smoothing_frames);
  append_outputs(v, member_sd, impl_->card.uncertainty, out);
  if (attention.defined()) {
    const torch::Tensor a = attention.squeeze(0).contiguous();
    out.attention.assign(a.data_ptr<float>(), a.data_ptr<float>() + a.numel());
  }
  return out;
}

const std::vector<float>& Predictor::feature_means() const { return impl_->model.norm.mean; }

TrackPrediction Predictor::predict_file(const std::string& path, bool with_attention,
                                        bool with_attribution) {
  double duration_s = 0.0;
  const FeatureMatrix features =
      file_features(path, impl_->card.spec, impl_->card.config, {}, &duration_s);
  TrackPrediction out = predict_features(features, with_attention);
  if (with_attribution) out.attribution = attribute(features);
  out.source = path;
  out.duration_s = duration_s;
  return out;
}

}  // namespace dynemo
