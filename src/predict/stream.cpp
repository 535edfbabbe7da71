// Stream (dynemo/stream.h): mono mix -> resampler to the model's rate -> ListenerStream feature
// rows -> the model over each new row and its context rows.
#include "dynemo/stream.h"

#include <cmath>
#include <sstream>

#include "dynemo/audio.h"
#include "dynemo/error.h"
#include "features/listener-stream.h"

namespace dynemo {
namespace {

constexpr double kMinRate_hz = 8000.0, kMaxRate_hz = 384000.0;
constexpr int kMaxChannels = 64;

void check_format(const StreamFormat& f) {
  if (!(std::isfinite(f.sample_rate_hz) && f.sample_rate_hz >= kMinRate_hz &&
        f.sample_rate_hz <= kMaxRate_hz)) {
    std::ostringstream text;
    text << f.source << ": sample rate " << f.sample_rate_hz << " Hz is out of range ["
         << kMinRate_hz << ", " << kMaxRate_hz << "]";
    throw ConfigError(text.str());
  }
  if (f.channels < 1 || f.channels > kMaxChannels) {
    throw ConfigError(f.source + ": " + std::to_string(f.channels) +
                      " channels is out of range [1, " + std::to_string(kMaxChannels) + "]");
  }
}

}  // namespace

struct Stream::Impl {
  Predictor& predictor;
  StreamFormat format;
  FeatureConfig config;
  StreamingResampler resampler;
  features::ListenerStream features;
  std::size_t context = 0;
  std::vector<float> weights;  // of each channel in the mono fold
  std::vector<float> partial;  // samples of an incomplete frame
  std::vector<float> mono, model_rate;
  FeatureMatrix rows;  // the context rows, then the new ones
  std::vector<StreamRow> out;
  std::size_t n_rows = 0, n_frames = 0;
  bool failed = false;
  double latency_s = 0.0;

  Impl(Predictor& p, const StreamFormat& f)
      : predictor(p),
        format(f),
        config(p.card().config),
        resampler(f.sample_rate_hz, p.card().config.sample_rate_hz),
        features(p.card().config),
        context(p.context_frames()),
        weights(interleaved_mono_weights(f.channels)) {
    // The features' look-ahead, both resamplers' lag and 10 ms for pieces smaller than the
    // measurement's, rounded up to 10 ms.
    const double lag =
        StreamingResampler::lag_s(f.sample_rate_hz, config.sample_rate_hz) +
        StreamingResampler::lag_s(config.sample_rate_hz, features::kListenerRate_hz) + 0.01;
    latency_s = std::ceil((features::ListenerStream::kLookAheadS + lag) * 100.0 - 1e-6) / 100.0;
  }

  void predict_new_rows(std::size_t n_context) {
    out.clear();
    if (rows.n_rows() <= n_context) return;
    const TrackPrediction p = predictor.predict_rows(rows, n_context);
    for (std::size_t k = 0; k < p.n_windows(); ++k) {
      out.push_back(p.row(k));
    }
    n_rows += p.n_windows();
    // Keep the last `context` rows for the next windows.
    const std::size_t drop = rows.n_rows() - std::min(rows.n_rows(), context);
    rows.time_s.erase(rows.time_s.begin(), rows.time_s.begin() + static_cast<std::ptrdiff_t>(drop));
    rows.values.erase(rows.values.begin(),
                      rows.values.begin() + static_cast<std::ptrdiff_t>(drop * rows.n_cols()));
  }
};

Stream::Stream(Predictor& predictor, const StreamFormat& format) {
  check_format(format);
  const ModelCard& card = predictor.card();
  if (card.spec != "listener") {
    throw ConfigError("model " + card.path + " reads '" + card.spec +
                      "' features; live streams are computed for the 'listener' set (the default "
                      "model's), whose every value depends on a bounded stretch of audio");
  }
  if (!predictor.causal()) {
    throw ConfigError("model " + card.path + " (" + card.model +
                      ") reads whole tracks, not a bounded past: it cannot follow a live stream");
  }
  impl_ = std::make_unique<Impl>(predictor, format);
}

Stream::~Stream() = default;

const std::vector<StreamRow>& Stream::push(const float* samples, std::size_t n) {
  Impl& s = *impl_;
  if (s.failed) throw ConfigError(s.format.source + ": the stream failed earlier; start a new one");
  try {
    check_samples(samples, n, s.format.source,
                  s.n_frames * static_cast<std::size_t>(s.format.channels) + s.partial.size());
  } catch (const AudioError&) {
    s.failed = true;
    throw;
  }
  // Complete frames, folded to mono as load_audio folds a file in WAV order.
  const auto c = static_cast<std::size_t>(s.format.channels);
  const float* w = s.weights.data();
  const auto fold = [&](const float* frame) {
    if (c == 1) return 0.0f + frame[0];
    if (c == 2) return (0.0f + frame[0] + frame[1]) / 2.0f;
    float sum = 0.0f;
    for (std::size_t j = 0; j < c; ++j) sum += w[j] * frame[j];
    return sum;
  };
  s.mono.clear();
  std::size_t i = 0;
  if (!s.partial.empty()) {
    while (s.partial.size() < c && i < n) s.partial.push_back(samples[i++]);
    if (s.partial.size() < c) {
      s.out.clear();
      return s.out;
    }
    s.mono.push_back(fold(s.partial.data()));
    s.partial.clear();
  }
  for (; i + c <= n; i += c) s.mono.push_back(fold(samples + i));
  s.partial.assign(samples + i, samples + n);
  s.n_frames += s.mono.size();

  s.model_rate.clear();
  s.resampler.push(s.mono.data(), s.mono.size(), s.model_rate);
  const std::size_t n_context = s.rows.n_rows();
  s.features.push(s.model_rate.data(), s.model_rate.size(), s.rows);
  s.predict_new_rows(n_context);
  return s.out;
}

const std::vector<StreamRow>& Stream::flush() {
  Impl& s = *impl_;
  if (s.failed) throw ConfigError(s.format.source + ": the stream failed earlier; start a new one");
  s.model_rate.clear();
  s.resampler.finish(s.model_rate);
  const std::size_t n_context = s.rows.n_rows();
  s.features.push(s.model_rate.data(), s.model_rate.size(), s.rows);
  s.features.finish(s.rows);
  s.predict_new_rows(n_context);
  return s.out;
}

double Stream::latency_s() const { return impl_->latency_s; }

double Stream::hop_s() const { return impl_->config.hop_s; }
std::size_t Stream::n_rows() const { return impl_->n_rows; }
double Stream::pushed_s() const {
  return static_cast<double>(impl_->n_frames) / impl_->format.sample_rate_hz;
}

}  // namespace dynemo
