// extract_file_features: whole or in pieces (see dynemo/file-features.h).
//
// A piece k covers the rows whose times lie in [start_k, start_k + piece) with start_k = base +
// k * piece, piece a whole number of row steps (hop_s, or the own-row period of compare-lld). It
// is analysed on samples [read_start, read_end): read_start is start_k less the margin, rounded
// down to a multiple of the STFT hop and of 20 ms (the ComParE and listener frame grids), so the
// piece's frames are the file's frames; read_end leaves the margin after its last window. Rows
// outside the piece's own range are dropped; the last piece, which reaches the end of the input,
// keeps all of its rows, so the rows that depend on the end are computed as in the whole file.
#include "dynemo/file-features.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <optional>
#include <vector>

#include "dynemo/error.h"
#include "features/extract-with.h"
#include "features/feature-set.h"
#include "features/psychoacoustic.h"
#include "features/stft.h"
#include "features/summary.h"

namespace dynemo {
namespace {

using features::FeatureSetDef;
using compare_normaliser = features::compare::DeltaNormaliser;

// What the sets of a spec need from a piecewise analysis.
struct SpecNeeds {
  bool tunings = false;         // and the dB maxima: WholeInputStats
  bool psychoacoustic = false;  // frames of the whole input first, then its rows
  double own_row_period_s = 0.0;
  double longest_span_s = 0.0;
};

SpecNeeds needs_of(const std::string& spec, const FeatureConfig& config) {
  SpecNeeds needs;
  needs.longest_span_s = config.window_s;
  for (const std::string& name : parse_feature_spec(spec)) {
    for (const FeatureSetDef& d : features::feature_set_defs()) {
      if (d.info.name != name) continue;
      needs.tunings = needs.tunings || d.uses_tunings;
      needs.psychoacoustic = needs.psychoacoustic || d.whole_input_frames;
      needs.own_row_period_s = std::max(needs.own_row_period_s, d.own_row_period_s);
      needs.longest_span_s = std::max(needs.longest_span_s, d.row_span_s);
    }
  }
  return needs;
}

// Seconds the range holds, when the header says; -1 when it does not.
double range_length_s(const std::string& path, const AudioLoadOptions& range) {
  const double total = probe_audio(path).duration_s();
  if (total <= 0) return range.duration_s > 0 ? range.duration_s : -1.0;
  const double left = std::max(0.0, total - range.offset_s);
  return range.duration_s > 0 ? std::min(left, range.duration_s) : left;
}

// The decoded samples of a range, read block by block, with those before a point dropped.
class SampleWindow {
 public:
  SampleWindow(const std::string& path, const AudioLoadOptions& range) : reader_(path, range) {}

  // Buffers samples up to `end` (absolute index), or to the end of the input.
  void fill(long long end) {
    while (!ended_ && buffered_end() < end) {
      const auto want = static_cast<std::size_t>(end - buffered_end());
      if (reader_.read(samples_, want) == 0) ended_ = true;
    }
  }
  void drop_before(long long index) {
    const long long n = std::clamp(index - first_, 0LL, static_cast<long long>(samples_.size()));
    samples_.erase(samples_.begin(), samples_.begin() + static_cast<std::ptrdiff_t>(n));
    first_ += n;
  }
  long long first() const { return first_; }
  long long buffered_end() const { return first_ + static_cast<long long>(samples_.size()); }
  bool ended() const { return ended_; }
  const float* at(long long index) const { return samples_.data() + (index - first_); }
  const SignalLevel& level() const { return reader_.level(); }
  const AudioInfo& info() const { return reader_.info(); }

 private:
  AudioReader reader_;
  std::vector<float> samples_;
  long long first_ = 0;
  bool ended_ = false;
};

// The pieces' placement, in samples of the analysis rate.
struct PiecePlan {
  double sample_rate_hz = 0.0;
  double base_s = 0.0;   // start of piece 0's rows
  double step_s = 0.0;   // row step
  long long steps = 0;   // rows per piece
  long long grid = 1;    // read starts are multiples of this
  long long margin = 0;  // samples read before and after a piece's rows
  double tail_s = 0.0;   // the longest row span, after the last row start

  double start_s(long long k) const { return base_s + static_cast<double>(k * steps) * step_s; }
  long long read_start(long long k) const {
    const double first = std::floor((start_s(k) * sample_rate_hz - static_cast<double>(margin)) /
                                    static_cast<double>(grid));
    return std::max(0LL, static_cast<long long>(first) * grid);
  }
  long long read_end(long long k) const {
    return static_cast<long long>(std::ceil((start_s(k + 1) + tail_s) * sample_rate_hz)) + margin;
  }
};

PiecePlan plan_pieces(const FeatureConfig& config, const SpecNeeds& needs,
                      const FileFeatureOptions& options) {
  PiecePlan plan;
  plan.sample_rate_hz = config.sample_rate_hz;
  const bool own_rows = needs.own_row_period_s > 0.0;
  // Pieces from the input's first sample whatever offset_s: what the sets take from the whole
  // input (first_pass) and the ComParE deltas' normaliser start there.
  plan.base_s = 0.0;
  plan.step_s = own_rows ? needs.own_row_period_s : config.hop_s;
  plan.steps = std::max(1LL, std::llround(options.piece_s / plan.step_s));
  plan.grid = std::lcm(static_cast<long long>(config.hop_length),
                       std::max(1LL, std::llround(0.020 * config.sample_rate_hz)));
  plan.margin = static_cast<long long>(std::ceil(options.margin_s * config.sample_rate_hz));
  plan.tail_s = needs.longest_span_s;
  return plan;
}

// Piece k's samples [read_start, end) buffered in `window` (those before dropped); `last` when
// the input ends inside its read.
struct LoadedPiece {
  long long read_start = 0;
  long long end = 0;
  bool last = false;
};
LoadedPiece load_piece(SampleWindow& window, const PiecePlan& plan, long long k) {
  const long long read_start = plan.read_start(k), read_end = plan.read_end(k);
  window.drop_before(read_start);
  window.fill(read_end);
  return {read_start, std::min(read_end, window.buffered_end()),
          window.ended() && window.buffered_end() <= read_end};
}

// The first STFT frame (centred at frame * hop) that piece k gathers whole-input statistics
// from: those centred from its row start on (from the input's start for piece 0).
long long first_owned_frame(const PiecePlan& plan, long long k, int hop_length) {
  if (k == 0) return 0;
  return static_cast<long long>(
      std::ceil(plan.start_s(k) * plan.sample_rate_hz / hop_length - 1e-9));
}

// What the sets take from the whole range, gathered piece by piece in a first pass: the spectral
// and chroma sets' statistics from the STFT frames, the psychoacoustic set's frame-level values;
// each piece adds the frames centred in [its start, the next piece's start).
struct WholeRange {
  std::optional<features::WholeInputStats> spectral;
  features::PsychoacousticFrames psychoacoustic;
  std::size_t n_samples = 0;
};

WholeRange first_pass(const std::string& path, const AudioLoadOptions& range,
                      const FeatureConfig& config, const PiecePlan& plan, const SpecNeeds& needs) {
  features::WholeInputGatherer gatherer(config);
  WholeRange whole;
  SampleWindow window(path, range);
  const double sr = config.sample_rate_hz;
  for (long long k = 0;; ++k) {
    const auto [read_start, end, last] = load_piece(window, plan, k);
    if (needs.tunings) {
      const features::FrameMatrix mag = features::stft_magnitude(
          window.at(read_start), static_cast<std::size_t>(end - read_start), config.n_fft,
          config.hop_length);
      const long long frame0 = read_start / config.hop_length;
      const auto local = [&](long long frame) {
        return static_cast<std::size_t>(
            std::clamp(frame - frame0, 0LL, static_cast<long long>(mag.n_frames)));
      };
      const std::size_t t0 = local(first_owned_frame(plan, k, config.hop_length));
      const std::size_t t1 =
          last ? mag.n_frames : local(first_owned_frame(plan, k + 1, config.hop_length));
      gatherer.add(mag, t0, t1);
    }
    if (needs.psychoacoustic) {
      // The frames of a piece that is not the last lie far from its end: its end stands in for
      // the input's length, which only decides about frames at the input's end.
      const features::SignalPiece piece{window.at(read_start), static_cast<std::size_t>(read_start),
                                        static_cast<std::size_t>(end - read_start),
                                        static_cast<std::size_t>(end)};
      const double from_s = k == 0 ? 0.0 : plan.start_s(k);
      const double to_s = last ? std::numeric_limits<double>::infinity() : plan.start_s(k + 1);
      features::add_psychoacoustic_frames(piece, sr, from_s, to_s, whole.psychoacoustic);
    }
    if (last) {
      whole.n_samples = static_cast<std::size_t>(end);
      break;
    }
  }
  if (needs.tunings) whole.spectral = gatherer.result();
  return whole;
}

// The LLD row (10 ms) of the whole input from which piece k carries the voicing deltas'
// normaliser.
long long first_owned_lld_row(const PiecePlan& plan, long long k) {
  if (k == 0) return 0;
  return static_cast<long long>(std::floor(plan.start_s(k) / 0.010 + 1e-9));
}

// Appends to `levels` the level of each row's window, x[0, n) starting at first_s.
void add_window_levels(const float* x, std::size_t n, double sample_rate_hz, double first_s,
                       const std::vector<double>& times, double window_s,
                       std::vector<float>& levels) {
  for (double t : times) {
    levels.push_back(
        static_cast<float>(window_level_dbfs(x, n, sample_rate_hz, first_s, t, window_s)));
  }
}

// Appends rows [from, to) of `part` to `out` with the given times.
void append_rows(const FeatureMatrix& part, std::size_t from, std::size_t to,
                 const std::vector<double>& times, FeatureMatrix& out) {
  const std::size_t cols = part.n_cols();
  out.time_s.insert(out.time_s.end(), times.begin(), times.end());
  out.values.insert(out.values.end(),
                    part.values.begin() + static_cast<std::ptrdiff_t>(from * cols),
                    part.values.begin() + static_cast<std::ptrdiff_t>(to * cols));
}

DecodedAudio in_pieces(const std::string& path, const std::string& spec,
                       const FeatureConfig& config, const AudioLoadOptions& range,
                       const SpecNeeds& needs,
                       const std::function<void(const FeatureMatrix&)>& on_rows,
                       const FileFeatureOptions& options) {
  const PiecePlan plan = plan_pieces(config, needs, options);
  features::PieceState state;
  features::FrameMatrix psychoacoustic_rows;
  if (needs.tunings || needs.psychoacoustic) {
    WholeRange whole = first_pass(path, range, config, plan, needs);
    state.whole = whole.spectral;
    if (needs.psychoacoustic) {
      // Every window of the whole range; the pieces take theirs by row number.
      psychoacoustic_rows = features::psychoacoustic_windows(
          std::move(whole.psychoacoustic), config.sample_rate_hz, config,
          features::window_starts(whole.n_samples, config));
      state.psychoacoustic_rows = &psychoacoustic_rows;
    }
  }
  const bool own_rows = needs.own_row_period_s > 0.0;
  const double sr = config.sample_rate_hz;
  // The first row of the whole input that starts at or after t (window rows: offset_s + j hop_s).
  const auto first_row_at = [&config](double t) {
    return std::max(0LL,
                    static_cast<long long>(std::ceil((t - config.offset_s) / config.hop_s - 1e-9)));
  };

  SampleWindow window(path, range);
  long long n_rows = 0;
  std::vector<float> levels;  // of the rows handed on
  for (long long k = 0;; ++k) {
    const auto [read_start, end, last] = load_piece(window, plan, k);
    // This piece's rows: those of the whole input starting in [start_s(k), start_s(k + 1)),
    // [j0, j1); all from j0 on in the last piece. A piece before offset_s has none, and is
    // still analysed: the ComParE deltas' normaliser runs from the input's first row.
    long long j0 = k * plan.steps, j1 = (k + 1) * plan.steps;
    if (!own_rows) j0 = first_row_at(plan.start_s(k)), j1 = first_row_at(plan.start_s(k + 1));
    if (last) j1 = std::numeric_limits<long long>::max();
    const bool has_rows = j0 < j1;
    // The LLD rows of this piece start at read_start (a multiple of 20 ms).
    const long long lld0 = std::llround(static_cast<double>(read_start) / (0.010 * sr));
    for (compare_normaliser& n : state.normaliser) {
      n.from_row = static_cast<std::size_t>(first_owned_lld_row(plan, k) - lld0);
      n.next_row = static_cast<std::size_t>(first_owned_lld_row(plan, k + 1) - lld0);
    }
    state.first_row = static_cast<std::size_t>(j0);
    FeatureConfig piece_config = config;
    const double first_start_s =
        has_rows ? config.offset_s + static_cast<double>(j0) * config.hop_s : plan.start_s(k);
    piece_config.offset_s = own_rows ? 0.0 : first_start_s - static_cast<double>(read_start) / sr;
    const FeatureMatrix part = features::extract_features_with(
        spec, window.at(read_start), static_cast<std::size_t>(end - read_start), sr, piece_config,
        path, &state);

    // Row j of the part is row `first_index + j` of the whole input.
    const long long first_index =
        own_rows ? std::llround(static_cast<double>(read_start) / (needs.own_row_period_s * sr))
                 : j0;
    FeatureMatrix rows;
    rows.columns = part.columns;
    std::vector<double> times;
    std::size_t from = part.n_rows(), to = 0;
    for (std::size_t j = 0; has_rows && j < part.n_rows(); ++j) {
      const long long index = first_index + static_cast<long long>(j);
      if (index < j0 || index >= j1) continue;
      from = std::min(from, j);
      to = j + 1;
      // The times extract_features gives the whole input.
      times.push_back(own_rows ? needs.own_row_period_s * static_cast<double>(index)
                               : config.offset_s + static_cast<double>(index) * config.hop_s);
    }
    if (!last && has_rows && static_cast<long long>(times.size()) != j1 - j0) {
      throw Error("features: internal error: piece " + std::to_string(k) + " of " + path +
                  " gave " + std::to_string(times.size()) + " of its " + std::to_string(j1 - j0) +
                  " rows");
    }
    if (!times.empty()) {
      append_rows(part, from, to, times, rows);
      add_window_levels(window.at(read_start), static_cast<std::size_t>(end - read_start), sr,
                        static_cast<double>(read_start) / sr, times, config.window_s, levels);
      on_rows(rows);
      n_rows += static_cast<long long>(times.size());
    }
    if (last) {
      if (n_rows == 0) {
        throw AudioError(AudioErrorKind::too_short, path,
                         "too short: no whole window starts at offset_s " +
                             std::to_string(config.offset_s) + " s or later");
      }
      return {static_cast<double>(window.buffered_end()) / sr, window.level(), window.info(),
              std::move(levels)};
    }
  }
}

// The whole range in memory.
DecodedAudio whole(const std::string& path, const std::string& spec, const FeatureConfig& config,
                   const AudioLoadOptions& range,
                   const std::function<void(const FeatureMatrix&)>& on_rows) {
  AudioReader reader(path, range);
  std::vector<float> samples;
  while (reader.read(samples, 1 << 20) > 0) {
  }
  const FeatureMatrix rows =
      extract_features(spec, samples.data(), samples.size(), config.sample_rate_hz, config, path);
  std::vector<float> levels;
  add_window_levels(samples.data(), samples.size(), config.sample_rate_hz, 0.0, rows.time_s,
                    config.window_s, levels);
  on_rows(rows);
  return {static_cast<double>(samples.size()) / config.sample_rate_hz, reader.level(),
          reader.info(), std::move(levels)};
}

}  // namespace

double window_level_dbfs(const float* x, std::size_t n, double sample_rate_hz, double first_s,
                         double start_s, double window_s) {
  // Sample indices of x, as the window grid places them (floor of time x rate).
  const auto index = [&](double t) {
    const double i = std::floor((t - first_s) * sample_rate_hz + 1e-9);
    return static_cast<std::size_t>(std::clamp(i, 0.0, static_cast<double>(n)));
  };
  const std::size_t begin = index(start_s), end = index(start_s + window_s);
  SignalLevel level;
  if (end > begin) level.add(x + begin, end - begin);
  return level.rms_dbfs();
}

DecodedAudio extract_file_features(const std::string& path, const std::string& spec,
                                   const FeatureConfig& config, AudioLoadOptions range,
                                   const std::function<void(const FeatureMatrix& rows)>& on_rows,
                                   const FileFeatureOptions& options) {
  validate(config);
  if (!(options.piece_s >= 1.0 && options.margin_s >= 2.0 && options.whole_file_max_s >= 0.0)) {
    throw ConfigError(
        "extract_file_features: piece_s >= 1 s, margin_s >= 2 s and "
        "whole_file_max_s >= 0 expected");
  }
  const SpecNeeds needs = needs_of(spec, config);
  range.target_sample_rate_hz = config.sample_rate_hz;
  const double length_s = range_length_s(path, range);
  if (length_s >= 0 && length_s <= options.whole_file_max_s) {
    return whole(path, spec, config, range, on_rows);
  }
  return in_pieces(path, spec, config, range, needs, on_rows, options);
}

FeatureMatrix file_features(const std::string& path, const std::string& spec,
                            const FeatureConfig& config, const AudioLoadOptions& range,
                            DecodedAudio* decoded, const FileFeatureOptions& options) {
  FeatureMatrix all;
  const DecodedAudio got = extract_file_features(
      path, spec, config, range,
      [&all](const FeatureMatrix& rows) {
        if (all.columns.empty()) all.columns = rows.columns;
        all.time_s.insert(all.time_s.end(), rows.time_s.begin(), rows.time_s.end());
        all.values.insert(all.values.end(), rows.values.begin(), rows.values.end());
      },
      options);
  if (decoded) *decoded = got;
  return all;
}

}  // namespace dynemo
