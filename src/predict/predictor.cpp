// Predictor: a loaded model file (ensemble + sidecar), or a blend of several, applied to feature
// tables or audio files.
#include <algorithm>

#include "dynemo/error.h"
#include "dynemo/file-features.h"
#include "dynemo/io.h"
#include "dynemo/predict.h"
#include "models/blend-file.h"
#include "models/ensemble.h"
#include "predict/model-card.h"

namespace dynemo {
namespace {

// Frames per forward pass for context models on long tracks (256 frames = 128 s at 2 Hz).
constexpr std::int64_t kBlockFrames = 256;
// Whole-track models (an LSTM's state, attention) on tracks longer than kLongTrackFrames (8.5 min
// at 2 Hz) run over blocks of kLongBlockFrames outputs, each read with kLongMarginFrames (32 s)
// of the track on either side, so that memory stays bounded for any length. Their networks were
// trained on excerpts of 10-30 s, so 32 s on each side is more context than they learned to use.
constexpr std::int64_t kLongTrackFrames = 1024;
constexpr std::int64_t kLongBlockFrames = 512;
constexpr std::int64_t kLongMarginFrames = 64;

// One model of the predictor: the whole model for a model file, a component for a blend.
struct Part {
  models::Ensemble model;
  OutputWeights weight{1.0};          // its share of each output
  std::vector<std::int64_t> columns;  // its columns' positions among the predictor's columns
  std::int64_t context_frames = 0;    // > 0: the model looks this many frames back, no further
  torch::Tensor mean, std;            // the normaliser as [1, F] tensors
};

// Loads the model file at `base` as a part taking the predictor's `columns`.
Part load_part(const std::string& base, const models::ModelSidecar& sidecar,
               const std::vector<std::string>& columns) {
  Part part;
  part.model = models::load_weights(sidecar, base);
  const auto n_features = static_cast<std::int64_t>(part.model.norm.mean.size());
  part.mean = torch::tensor(part.model.norm.mean).view({1, n_features});
  part.std = torch::tensor(part.model.norm.std).view({1, n_features});
  const models::Member& first = part.model.members.front();
  if (!first.nets.empty()) part.context_frames = first.nets.front()->context_frames();
  for (const std::string& name : sidecar.columns) {
    const auto found = std::find(columns.begin(), columns.end(), name);
    if (found == columns.end()) {
      throw ConfigError("model " + base + ": its feature column " + name + " is not computed");
    }
    part.columns.push_back(found - columns.begin());
  }
  if (sidecar.columns.size() != static_cast<std::size_t>(part.model.n_features)) {
    throw ConfigError("model " + base + " takes " + std::to_string(part.model.n_features) +
                      " features, its sidecar lists " + std::to_string(sidecar.columns.size()));
  }
  return part;
}

}  // namespace

struct Predictor::Impl {
  ModelCard card;
  std::vector<std::string> columns;  // feature_columns(card.spec)
  std::vector<Part> parts;           // one, or a blend's components
  std::vector<float> feature_means;  // per column: the training mean of the part that reads it
  bool blend = false;
};

Predictor::Predictor(const std::string& path) : impl_(std::make_unique<Impl>()) {
  const std::string base = models::model_path_stem(path);
  const std::string text = read_text_file(base + ".json", "model sidecar");
  std::vector<std::pair<std::string, models::ModelSidecar>> sidecars;  // (path, sidecar)
  std::vector<OutputWeights> weights;
  if (models::is_blend_sidecar(text)) {
    const models::BlendSidecar blend = models::parse_blend_sidecar(text, base);
    std::vector<ModelCard> cards;
    for (const models::BlendComponent& c : blend.components) {
      const std::string part_path = models::blend_component_path(base, c);
      const std::string part_text = read_text_file(part_path + ".json", "model sidecar");
      if (models::is_blend_sidecar(part_text)) {
        throw IoError(base + ".json: component " + c.file + " is itself a blend");
      }
      sidecars.emplace_back(part_path, models::parse_model_sidecar(part_text, part_path));
      cards.push_back(predict::model_card(sidecars.back().second, part_text, part_path));
      weights.push_back(c.weight);
    }
    impl_->card = predict::blend_card(blend, text, base, cards);
    impl_->blend = true;
  } else {
    sidecars.emplace_back(base, models::parse_model_sidecar(text, base));
    impl_->card = predict::model_card(sidecars.back().second, text, base);
    weights.push_back(1.0);
  }
  impl_->columns = feature_columns(impl_->card.spec);
  impl_->feature_means.assign(impl_->columns.size(), 0.0f);
  for (std::size_t i = 0; i < sidecars.size(); ++i) {
    Part part = load_part(sidecars[i].first, sidecars[i].second, impl_->columns);
    part.weight = weights[i];
    for (std::size_t k = 0; k < part.columns.size(); ++k) {
      impl_->feature_means[static_cast<std::size_t>(part.columns[k])] = part.model.norm.mean[k];
    }
    impl_->parts.push_back(std::move(part));
  }
  if (!impl_->blend && impl_->parts.front().columns.size() != impl_->columns.size()) {
    throw ConfigError("model " + base + " takes " +
                      std::to_string(impl_->parts.front().columns.size()) + " features, but '" +
                      impl_->card.spec + "' has " + std::to_string(impl_->columns.size()));
  }
}

Predictor::~Predictor() = default;

const ModelCard& Predictor::card() const { return impl_->card; }

bool Predictor::has_attention() const {
  return std::any_of(impl_->parts.begin(), impl_->parts.end(),
                     [](const Part& p) { return models::has_attention(p.model); });
}

void set_model_threads(int n) {
  if (n < 1) throw ConfigError("model threads must be >= 1, got " + std::to_string(n));
  torch::set_num_threads(n);
}

std::size_t Predictor::context_frames() const {
  std::int64_t most = 0;
  for (const Part& p : impl_->parts) {
    if (p.context_frames == 0) return 0;  // one part reads the whole track: so does the blend
    most = std::max(most, p.context_frames);
  }
  return static_cast<std::size_t>(most);
}

bool Predictor::causal() const {
  return std::all_of(impl_->parts.begin(), impl_->parts.end(), [](const Part& p) {
    return p.context_frames > 0 && p.model.config.smoothing_frames <= 1;
  });
}

void Predictor::check_columns(const FeatureMatrix& features) const {
  if (features.columns != impl_->columns) {
    throw ConfigError("predict: the feature table has " + std::to_string(features.n_cols()) +
                      " columns that are not the model's " + std::to_string(impl_->columns.size()) +
                      " '" + impl_->card.spec + "' columns");
  }
}

namespace {

std::vector<float> values(const torch::Tensor& t) {
  const torch::Tensor c = t.contiguous();
  return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

// Rows [first, first + n) of the feature table as the part's standardised inputs [n, F].
torch::Tensor part_inputs(const Part& part, const FeatureMatrix& features, std::size_t first,
                          std::size_t n) {
  const auto cols = static_cast<std::int64_t>(features.n_cols());
  torch::Tensor x = torch::from_blob(const_cast<float*>(features.values.data() + first * cols),
                                     {static_cast<std::int64_t>(n), cols});
  // One copy of the rows, standardised in place (the same arithmetic as (x - mean) / std).
  x = static_cast<std::int64_t>(part.columns.size()) != cols
          ? x.index_select(1, torch::tensor(part.columns, torch::kLong))
          : x.clone();
  return x.sub_(part.mean).div_(part.std);
}

// A part's outputs: y and the members' spread, interleaved (arousal, valence) per window.
struct PartOutputs {
  std::vector<float> y, member_sd;
  torch::Tensor attention;  // [1, T, T] when asked for and the part has it
};

// The part's ensemble over `batch` (models::predict_batch), refused when an output is NaN or
// infinite: finite weights and features give finite outputs unless a network overflows, and the
// curves must then not carry NaN (nor the summary say "neutral").
torch::Tensor part_forward(Part& part, const models::Batch& batch, torch::Tensor* attention,
                           torch::Tensor* sd) {
  torch::Tensor y = models::predict_batch(part.model, batch, attention, sd);
  if (!torch::isfinite(y).all().item<bool>() || !torch::isfinite(*sd).all().item<bool>()) {
    throw DataError("model " + part.model.config.model +
                    " gave NaN or infinite values for this audio: its output cannot be used");
  }
  return y;
}

// One forward pass of the part over rows [first, first + n) of `rows`, the c rows before them
// as its context; *sd gets the members' spread.
torch::Tensor forward_rows(Part& part, const FeatureMatrix& rows, std::int64_t first,
                           std::int64_t n, std::int64_t c, torch::Tensor* sd) {
  const torch::Tensor x =
      part_inputs(part, rows, static_cast<std::size_t>(first - c), static_cast<std::size_t>(n + c));
  models::Batch block;
  block.x = x.narrow(0, c, n).unsqueeze(0);
  block.mask = torch::ones({1, n}, torch::kBool);
  if (c > 0) block.context = x.narrow(0, 0, c).unsqueeze(0);
  torch::Tensor block_sd;
  torch::Tensor y = part_forward(part, block, nullptr, &block_sd).squeeze(0);
  *sd = block_sd.squeeze(0);
  return y;
}

// The part's outputs for rows [first, t) of the table, the rows before `first` (as many as it
// looks back) serving as its context only.
PartOutputs part_rows(Part& part, const FeatureMatrix& features, std::size_t first) {
  const auto t = static_cast<std::int64_t>(features.n_rows());
  const auto start = static_cast<std::int64_t>(first);
  const std::int64_t c = std::min(start, part.context_frames);
  torch::Tensor sd;
  const torch::Tensor y = forward_rows(part, features, start, t - start, c, &sd);
  return {values(y), values(sd), {}};
}

// The part's y and spread for rows [start, start + n) of a track of t rows, `rows` holding the
// track from row `offset` on: a context model reads its context before `start`; a whole-track
// model the rows kLongMarginFrames either side of the block (on long tracks).
torch::Tensor block_rows(Part& part, const FeatureMatrix& rows, std::int64_t offset,
                         std::int64_t start, std::int64_t n, std::int64_t t, torch::Tensor* sd) {
  if (part.context_frames > 0) {
    const std::int64_t c = std::min(part.context_frames, start);
    return forward_rows(part, rows, start - offset, n, c, sd);
  }
  const std::int64_t from = std::max<std::int64_t>(0, start - kLongMarginFrames);
  const std::int64_t to = std::min(t, start + n + kLongMarginFrames);
  torch::Tensor whole_sd;
  const torch::Tensor y = forward_rows(part, rows, from - offset, to - from, 0, &whole_sd);
  *sd = whole_sd.narrow(0, start - from, n);
  return y.narrow(0, start - from, n);
}

// As block_rows, with the attention rows of the block: one forward pass over the rows the block
// reads (a context model's context, or a whole-track model's margins) as one sequence, so that
// each row attends the windows it attends in block_rows. *from gets the first row read: row k
// of the returned [n, to - from] attention is window start + k over windows [from, to).
torch::Tensor block_attention(Part& part, const FeatureMatrix& rows, std::int64_t offset,
                              std::int64_t start, std::int64_t n, std::int64_t t, torch::Tensor* sd,
                              torch::Tensor* attention, std::int64_t* from) {
  const bool context = part.context_frames > 0;
  *from = context ? start - std::min(part.context_frames, start)
                  : std::max<std::int64_t>(0, start - kLongMarginFrames);
  const std::int64_t to = context ? start + n : std::min(t, start + n + kLongMarginFrames);
  models::Batch block;
  block.x = part_inputs(part, rows, static_cast<std::size_t>(*from - offset),
                        static_cast<std::size_t>(to - *from))
                .unsqueeze(0);
  block.mask = torch::ones({1, to - *from}, torch::kBool);
  torch::Tensor whole_sd, whole_attention;
  const torch::Tensor y = part_forward(part, block, &whole_attention, &whole_sd).squeeze(0);
  *sd = whole_sd.squeeze(0).narrow(0, start - *from, n);
  *attention = whole_attention.squeeze(0).narrow(0, start - *from, n).contiguous();
  return y.narrow(0, start - *from, n);
}

// The part's outputs for the whole table (smoothed as it was trained), with its attention when
// asked for.
PartOutputs part_track(Part& part, const FeatureMatrix& features, bool with_attention) {
  const auto t = static_cast<std::int64_t>(features.n_rows());
  PartOutputs out;
  torch::Tensor y, sd;
  const std::int64_t context = part.context_frames;
  // Context models see at most `context` frames back: blocks of frames, each given the frames
  // before it as context, give exactly the whole-track outputs in memory bounded by the block.
  // Whole-track models on a long track: blocks read with a margin on either side.
  std::int64_t block = 0;
  if (!with_attention && context > 0 && t > kBlockFrames) block = kBlockFrames;
  if (!with_attention && context == 0 && t > kLongTrackFrames) block = kLongBlockFrames;
  if (block > 0) {
    std::vector<torch::Tensor> parts, sd_parts;
    for (std::int64_t start = 0; start < t; start += block) {
      sd_parts.emplace_back();
      parts.push_back(
          block_rows(part, features, 0, start, std::min(block, t - start), t, &sd_parts.back()));
    }
    y = torch::cat(parts, 0);
    sd = torch::cat(sd_parts, 0);
  } else {
    models::Batch batch;
    batch.x = part_inputs(part, features, 0, features.n_rows()).unsqueeze(0);
    batch.mask = torch::ones({1, t}, torch::kBool);
    y = part_forward(part, batch, with_attention ? &out.attention : nullptr, &sd).squeeze(0);
    sd = sd.squeeze(0);
  }
  out.y = values(y);
  out.member_sd = values(sd);
  models::smooth_interleaved(out.y, part.model.config.smoothing_frames);
  models::smooth_interleaved(out.member_sd, part.model.config.smoothing_frames);
  return out;
}

// The part whose attention a prediction shows: the heaviest part that has attention (both
// outputs' weights together; the first of equal weight); -1 when none has.
int attention_part(const std::vector<Part>& parts) {
  int shown = -1;
  const auto total = [](const Part& p) { return p.weight.arousal + p.weight.valence; };
  for (std::size_t p = 0; p < parts.size(); ++p) {
    if (!models::has_attention(parts[p].model)) continue;
    if (shown < 0 || total(parts[p]) > total(parts[static_cast<std::size_t>(shown)])) {
      shown = static_cast<int>(p);
    }
  }
  return shown;
}

// The weighted mean of the parts' outputs (a single part: its own), each output (arousal, valence
// interleaved) with its own weights, with the attention of attention_part(parts). The spread is
// combined the same way: a blend's member spread is the weighted mean of its components'.
PartOutputs combine(const std::vector<Part>& parts, std::vector<PartOutputs>& outputs) {
  if (outputs.size() == 1) return std::move(outputs.front());
  PartOutputs out;
  out.y.assign(outputs.front().y.size(), 0.0f);
  out.member_sd.assign(out.y.size(), 0.0f);
  for (std::size_t p = 0; p < parts.size(); ++p) {
    const float w[2] = {static_cast<float>(parts[p].weight.arousal),
                        static_cast<float>(parts[p].weight.valence)};
    for (std::size_t k = 0; k < out.y.size(); ++k) {
      out.y[k] += w[k % 2] * outputs[p].y[k];
      out.member_sd[k] += w[k % 2] * outputs[p].member_sd[k];
    }
  }
  const int shown = attention_part(parts);
  if (shown >= 0) out.attention = outputs[static_cast<std::size_t>(shown)].attention;
  return out;
}

// Copies the clamped (arousal, valence) pairs into out, with their predictive sds.
void append_outputs(const PartOutputs& o, const Uncertainty& u, TrackPrediction& out) {
  for (std::size_t k = 0; k + 1 < o.y.size(); k += 2) {
    out.arousal.push_back(std::clamp(o.y[k], -1.0f, 1.0f));
    out.valence.push_back(std::clamp(o.y[k + 1], -1.0f, 1.0f));
    out.arousal_sd.push_back(static_cast<float>(u.arousal.sd(o.member_sd[k])));
    out.valence_sd.push_back(static_cast<float>(u.valence.sd(o.member_sd[k + 1])));
  }
}

}  // namespace

TrackPrediction Predictor::predict_rows(const FeatureMatrix& features, std::size_t first) {
  check_columns(features);
  if (!causal()) {
    throw ConfigError("model " + impl_->card.path + " (" + impl_->card.model +
                      ") reads whole tracks, not a bounded past: it cannot predict a live stream; "
                      "use a context model such as " +
                      default_stream_model_path());
  }
  TrackPrediction out;
  out.source = "<memory>";
  out.window_s = impl_->card.config.window_s;
  if (first >= features.n_rows()) return out;
  c10::InferenceMode inference;  // no autograd bookkeeping: a live stream calls this per window
  out.time_s.assign(features.time_s.begin() + static_cast<std::ptrdiff_t>(first),
                    features.time_s.end());
  std::vector<PartOutputs> outputs;
  for (Part& part : impl_->parts) outputs.push_back(part_rows(part, features, first));
  append_outputs(combine(impl_->parts, outputs), impl_->card.uncertainty, out);
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
  if (features.n_rows() == 0) return out;
  std::vector<PartOutputs> outputs;
  for (Part& part : impl_->parts) outputs.push_back(part_track(part, features, with_attention));
  const PartOutputs o = combine(impl_->parts, outputs);
  append_outputs(o, impl_->card.uncertainty, out);
  if (o.attention.defined()) {
    const torch::Tensor a = o.attention.squeeze(0).contiguous();
    out.attention.assign(a.data_ptr<float>(), a.data_ptr<float>() + a.numel());
  }
  return out;
}

const std::vector<float>& Predictor::feature_means() const { return impl_->feature_means; }

namespace {

bool smoothed(const std::vector<Part>& parts) {
  return std::any_of(parts.begin(), parts.end(),
                     [](const Part& p) { return p.model.config.smoothing_frames > 1; });
}

// Appends rows [first, first + n) of `block`'s attributions to `out` (the groups once).
void append_attribution(const GroupAttribution& block, std::size_t first, std::size_t n,
                        GroupAttribution& out) {
  if (out.groups.empty()) out.groups = block.groups;
  const std::size_t g = block.groups.size();
  const auto at = [](const std::vector<float>& v, std::size_t k) {
    return v.begin() + static_cast<std::ptrdiff_t>(k);
  };
  out.baseline_arousal.insert(out.baseline_arousal.end(), at(block.baseline_arousal, first),
                              at(block.baseline_arousal, first + n));
  out.baseline_valence.insert(out.baseline_valence.end(), at(block.baseline_valence, first),
                              at(block.baseline_valence, first + n));
  out.arousal.insert(out.arousal.end(), at(block.arousal, first * g),
                     at(block.arousal, (first + n) * g));
  out.valence.insert(out.valence.end(), at(block.valence, first * g),
                     at(block.valence, (first + n) * g));
}

}  // namespace

TrackPrediction Predictor::predict_file(const std::string& path, bool with_attention,
                                        bool with_attribution) {
  if (with_attention || smoothed(impl_->parts)) {
    // The attention map covers the whole track; smoothing runs over it.
    DecodedAudio decoded;
    const FeatureMatrix features =
        file_features(path, impl_->card.spec, impl_->card.config, {}, &decoded);
    TrackPrediction out = predict_features(features, with_attention);
    if (with_attribution) out.attribution = attribute(features);
    out.source = path;
    out.duration_s = decoded.seconds;
    out.rms_dbfs = decoded.level.rms_dbfs();
    out.window_dbfs = decoded.window_dbfs;
    out.audio = decoded.audio;
    return out;
  }
  try {
    return predict_file_in_blocks(path, with_attribution, nullptr);
  } catch (const c10::Error& e) {
    throw Error("model " + impl_->card.path + ": " + e.what_without_backtrace());
  }
}

TrackPrediction Predictor::explain_file(const std::string& path, AttentionRows* attention) {
  if (attention) *attention = AttentionRows{};
  const bool with_attention = attention && has_attention();
  if (smoothed(impl_->parts)) {
    TrackPrediction out = predict_file(path, with_attention, true);
    if (with_attention) *attention = AttentionRows::from_map(out.attention, out.n_windows());
    out.attention.clear();
    return out;
  }
  try {
    return predict_file_in_blocks(path, true, with_attention ? attention : nullptr);
  } catch (const c10::Error& e) {
    throw Error("model " + impl_->card.path + ": " + e.what_without_backtrace());
  }
}

TrackPrediction Predictor::predict_file_in_blocks(const std::string& path, bool with_attribution,
                                                  AttentionRows* attention) {
  // The rows arrive from the file piece by piece. A track of up to kLongTrackFrames rows is
  // predicted whole; past that, in blocks of kLongBlockFrames as predict_features does (the same
  // rows, margins and context, so the same outputs), each block as soon as the rows it reads
  // are in, and the rows no block reads any more are dropped: memory is bounded for any length.
  // A block's attributions are those of the rows it reads (attribute() of the whole table
  // predicts the same blocks from the same rows); its attention rows come from the part
  // attention_part() names, run over the rows it reads as one sequence.
  std::int64_t keep = kLongMarginFrames;  // rows before the next block that it may read
  for (const Part& p : impl_->parts) keep = std::max(keep, p.context_frames);
  const int shown = attention ? attention_part(impl_->parts) : -1;
  FeatureMatrix rows;  // the track's rows from `offset` on
  rows.columns = impl_->columns;
  std::int64_t offset = 0, total = 0, next = 0;
  TrackPrediction out;
  out.window_s = impl_->card.config.window_s;
  const auto cols = static_cast<std::ptrdiff_t>(rows.n_cols());
  const auto run_blocks = [&](bool last) {
    while (next < total) {
      const std::int64_t n = std::min(kLongBlockFrames, total - next);
      if (!last && total < next + kLongBlockFrames + kLongMarginFrames) break;
      std::vector<PartOutputs> outputs;
      for (std::size_t p = 0; p < impl_->parts.size(); ++p) {
        Part& part = impl_->parts[p];
        torch::Tensor sd;
        if (static_cast<int>(p) == shown) {
          torch::Tensor map;
          std::int64_t from = 0;
          const torch::Tensor y =
              block_attention(part, rows, offset, next, n, total, &sd, &map, &from);
          const auto span = static_cast<std::size_t>(map.size(1));
          for (std::int64_t r = 0; r < n; ++r) {
            attention->append(static_cast<std::size_t>(from), map[r].data_ptr<float>(), span);
          }
          outputs.push_back({values(y), values(sd), {}});
        } else {
          const torch::Tensor y = block_rows(part, rows, offset, next, n, total, &sd);
          outputs.push_back({values(y), values(sd), {}});
        }
      }
      append_outputs(combine(impl_->parts, outputs), impl_->card.uncertainty, out);
      if (with_attribution) {
        const std::int64_t from = std::max<std::int64_t>(0, next - keep);
        const std::int64_t to = std::min(total, next + n + kLongMarginFrames);
        FeatureMatrix read;
        read.columns = rows.columns;
        read.time_s.assign(rows.time_s.begin() + (from - offset),
                           rows.time_s.begin() + (to - offset));
        read.values.assign(rows.values.begin() + (from - offset) * cols,
                           rows.values.begin() + (to - offset) * cols);
        append_attribution(attribute(read), static_cast<std::size_t>(next - from),
                           static_cast<std::size_t>(n), out.attribution);
      }
      const auto first = rows.time_s.begin() + (next - offset);
      out.time_s.insert(out.time_s.end(), first, first + n);
      next += n;
    }
    const std::int64_t drop = std::max<std::int64_t>(0, next - keep - offset);
    rows.time_s.erase(rows.time_s.begin(), rows.time_s.begin() + drop);
    rows.values.erase(rows.values.begin(), rows.values.begin() + drop * cols);
    offset += drop;
  };
  const DecodedAudio decoded = extract_file_features(
      path, impl_->card.spec, impl_->card.config, {}, [&](const FeatureMatrix& piece) {
        rows.time_s.insert(rows.time_s.end(), piece.time_s.begin(), piece.time_s.end());
        rows.values.insert(rows.values.end(), piece.values.begin(), piece.values.end());
        total += static_cast<std::int64_t>(piece.n_rows());
        if (total > kLongTrackFrames) run_blocks(false);
      });
  if (total > kLongTrackFrames) {
    run_blocks(true);
  } else {
    out = run_features(rows, shown >= 0);
    if (with_attribution) out.attribution = attribute(rows);
    if (shown >= 0) *attention = AttentionRows::from_map(out.attention, out.n_windows());
    out.attention.clear();
  }
  if (attention) attention->n_columns = out.n_windows();
  out.source = path;
  out.duration_s = decoded.seconds;
  out.rms_dbfs = decoded.level.rms_dbfs();
  out.window_dbfs = decoded.window_dbfs;
  out.audio = decoded.audio;
  return out;
}

}  // namespace dynemo
