// One track explained: decode once at the model's rate, predict (with attention for attention
// models), and compute what the page shows beside the prediction: the waveform envelope, the
// loudness of each prediction window and the chroma of each window.
#include <algorithm>
#include <cmath>

#include "dynemo/audio.h"
#include "dynemo/error.h"
#include "dynemo/explain.h"
#include "dynemo/features.h"
#include "dynemo/file-features.h"

namespace dynemo {
namespace {

constexpr std::size_t kEnvelopeBins = 800;  // one per pixel column of the strip
constexpr std::size_t kPeaks = 3;
constexpr double kFloorDb = -80.0;

// RMS in dBFS of [start_s, start_s + window_s) of the samples (window_level_dbfs), at least
// kFloorDb.
double window_db(const Audio& audio, double start_s, double window_s) {
  return std::max(kFloorDb, window_level_dbfs(audio.samples.data(), audio.samples.size(),
                                              audio.sample_rate_hz, 0.0, start_s, window_s));
}

// [n, 12] chroma_stft of the windows starting at `time_s` (rows of `chroma` matched by time).
std::vector<float> chroma_rows(const FeatureMatrix& chroma, const std::vector<double>& time_s,
                               const std::string& source) {
  std::size_t first = chroma.n_cols();
  for (std::size_t c = 0; c < chroma.n_cols(); ++c) {
    const std::string& name = chroma.columns[c];
    if (name.size() >= 13 && name.compare(name.size() - 13, 13, "chroma_stft_0") == 0) first = c;
  }
  if (first + 12 > chroma.n_cols()) {
    throw Error(source + ": the chroma set has no chroma_stft_0..11 columns");
  }
  std::vector<float> out(time_s.size() * 12, 0.0f);
  std::size_t row = 0;
  for (std::size_t i = 0; i < time_s.size(); ++i) {
    while (row < chroma.n_rows() && chroma.time_s[row] < time_s[i] - 1e-6) ++row;
    if (row >= chroma.n_rows() || std::fabs(chroma.time_s[row] - time_s[i]) > 1e-6) continue;
    for (std::size_t k = 0; k < 12; ++k) out[i * 12 + k] = chroma.at(row, first + k);
  }
  return out;
}

}  // namespace

void waveform_envelope(const std::vector<float>& samples, std::size_t n_bins,
                       std::vector<float>* min_out, std::vector<float>* max_out) {
  min_out->clear();
  max_out->clear();
  n_bins = std::min(n_bins, samples.size());
  for (std::size_t b = 0; b < n_bins; ++b) {
    const std::size_t begin = b * samples.size() / n_bins;
    const std::size_t end = (b + 1) * samples.size() / n_bins;
    const auto [lo, hi] = std::minmax_element(samples.begin() + static_cast<std::ptrdiff_t>(begin),
                                              samples.begin() + static_cast<std::ptrdiff_t>(end));
    min_out->push_back(*lo);
    max_out->push_back(*hi);
  }
}

void summarise(TrackExplanation& e) {
  const TrackPrediction& p = e.prediction;
  const std::size_t n = p.n_windows();
  if (p.arousal.size() != n || p.valence.size() != n) {
    throw Error(p.source + ": " + std::to_string(n) + " windows but " +
                std::to_string(p.arousal.size()) + " arousal and " +
                std::to_string(p.valence.size()) + " valence values");
  }
  if (n == 0) throw Error(p.source + ": the prediction has no windows");
  if (!e.loudness_db.empty() && e.loudness_db.size() != n) {
    throw Error(p.source + ": " + std::to_string(e.loudness_db.size()) + " loudness values for " +
                std::to_string(n) + " windows");
  }
  if (!e.chroma.empty() && e.chroma.size() != 12 * n) {
    throw Error(p.source + ": " + std::to_string(e.chroma.size()) + " chroma values for " +
                std::to_string(n) + " windows; expected 12 per window");
  }
  e.summary = summarise(p);
  if (e.attention.empty() && !p.attention.empty()) {
    e.attention = AttentionRows::from_map(p.attention, n);
  }
  if (!e.attention.empty() && e.attention.n_rows() != n) {
    throw Error(p.source + ": " + std::to_string(e.attention.n_rows()) + " attention rows for " +
                std::to_string(n) + " windows");
  }
  e.attention_peaks =
      e.attention.empty() ? std::vector<std::size_t>{} : attention_peaks(e.attention, kPeaks);
}

namespace {

// Tracks longer than this are read in pieces (bounded memory: a 20 min track whole would hold
// 1.2 GB of audio, spectrogram and chroma at once).
constexpr double kWholeTrackMaxS = 180.0;
constexpr double kPieceS = 60.0;
constexpr double kPieceMarginS = 2.0;  // context on both sides of a piece (centred frames)

// The envelope, loudness and chroma of a long track, piece by piece, on the prediction's windows.
void describe_in_pieces(const std::string& audio_path, const ModelCard& card, TrackExplanation& e) {
  const double rate = card.config.sample_rate_hz;
  const double window_s = card.config.window_s;
  const std::vector<double>& starts = e.prediction.time_s;
  const auto total = static_cast<std::size_t>(std::llround(e.prediction.duration_s * rate));
  const std::size_t bins = std::min(kEnvelopeBins, std::max<std::size_t>(total, 1));
  e.envelope_min.assign(bins, 0.0f);
  e.envelope_max.assign(bins, 0.0f);
  std::vector<bool> seen(bins, false);
  e.loudness_db.assign(starts.size(), kFloorDb);
  e.chroma.assign(starts.size() * 12, 0.0f);
  std::size_t next = 0;  // first window not described yet
  for (double piece = 0.0; next < starts.size(); piece += kPieceS) {
    const double read_from = std::max(0.0, piece - kPieceMarginS);
    AudioLoadOptions load;
    load.target_sample_rate_hz = rate;
    load.offset_s = read_from;
    load.duration_s = (piece - read_from) + kPieceS + window_s + kPieceMarginS;
    Audio audio = load_audio(audio_path, load);
    const auto first = static_cast<std::size_t>(std::llround(read_from * rate));
    // Envelope over this piece's own samples [piece, piece + kPieceS).
    const auto own_begin = static_cast<std::size_t>(std::llround(piece * rate)) - first;
    const std::size_t own_end =
        std::min(audio.samples.size(),
                 static_cast<std::size_t>(std::llround((piece + kPieceS) * rate)) - first);
    for (std::size_t i = own_begin; i < own_end && first + i < total; ++i) {
      // The bin waveform_envelope puts it in: b with floor(b * total / bins) <= g.
      const std::size_t g = first + i;
      const std::size_t b = ((g + 1) * bins + total - 1) / total - 1;
      const float v = audio.samples[i];
      if (!seen[b]) e.envelope_min[b] = e.envelope_max[b] = v, seen[b] = true;
      e.envelope_min[b] = std::min(e.envelope_min[b], v);
      e.envelope_max[b] = std::max(e.envelope_max[b], v);
    }
    // Windows starting in this piece.
    std::size_t end = next;
    while (end < starts.size() && starts[end] < piece + kPieceS - 1e-9) ++end;
    if (end == next) continue;
    FeatureConfig config = card.config;
    config.offset_s = starts[next] - read_from;
    FeatureMatrix chroma;
    if (count_windows(audio.samples.size(), config) > 0) {
      chroma = extract_features("chroma", audio.samples.data(), audio.samples.size(), rate, config,
                                audio_path);
      for (double& t : chroma.time_s) t += read_from;
    }
    const std::vector<double> piece_starts(starts.begin() + static_cast<std::ptrdiff_t>(next),
                                           starts.begin() + static_cast<std::ptrdiff_t>(end));
    const std::vector<float> rows = chroma.n_rows()
                                        ? chroma_rows(chroma, piece_starts, audio_path)
                                        : std::vector<float>(piece_starts.size() * 12, 0.0f);
    std::copy(rows.begin(), rows.end(), e.chroma.begin() + static_cast<std::ptrdiff_t>(next * 12));
    audio.sample_rate_hz = rate;
    for (std::size_t k = next; k < end; ++k) {
      e.loudness_db[k] = window_db(audio, starts[k] - read_from, window_s);
    }
    next = end;
  }
}

}  // namespace

TrackExplanation explain_track(const std::string& audio_path, const std::string& model_path) {
  Predictor predictor(model_path);
  const ModelCard& card = predictor.card();
  if (probe_audio(audio_path).duration_s() > kWholeTrackMaxS) {
    TrackExplanation e;
    e.model = card.model;
    e.model_path = model_path;
    // Block by block as the rows arrive; the attention kept over the windows each block reads.
    e.prediction = predictor.explain_file(audio_path, &e.attention);
    describe_in_pieces(audio_path, card, e);
    summarise(e);
    return e;
  }
  AudioLoadOptions load;
  load.target_sample_rate_hz = card.config.sample_rate_hz;
  const Audio audio = load_audio(audio_path, load);

  TrackExplanation e;
  e.model = card.model;
  e.model_path = model_path;
  const FeatureMatrix features =
      extract_features(card.spec, audio.samples.data(), audio.samples.size(), audio.sample_rate_hz,
                       card.config, audio_path);
  e.prediction = predictor.predict_features(features, predictor.has_attention());
  e.prediction.attribution = predictor.attribute(features);
  e.prediction.source = audio_path;
  e.prediction.duration_s = audio.duration_s();
  SignalLevel level;  // of the analysed samples
  level.add(audio.samples.data(), audio.samples.size());
  e.prediction.rms_dbfs = level.rms_dbfs();

  waveform_envelope(audio.samples, kEnvelopeBins, &e.envelope_min, &e.envelope_max);
  for (double t : e.prediction.time_s) {
    const double level = window_level_dbfs(audio.samples.data(), audio.samples.size(),
                                           audio.sample_rate_hz, 0.0, t, card.config.window_s);
    e.prediction.window_dbfs.push_back(static_cast<float>(level));
    e.loudness_db.push_back(std::max(kFloorDb, level));
  }
  const FeatureMatrix chroma =
      extract_features("chroma", audio.samples.data(), audio.samples.size(), audio.sample_rate_hz,
                       card.config, audio_path);
  e.chroma = chroma_rows(chroma, e.prediction.time_s, audio_path);
  summarise(e);
  return e;
}

}  // namespace dynemo
