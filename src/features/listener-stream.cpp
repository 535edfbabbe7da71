// ListenerStream (listener-stream.h): each window's LLD rows from a segment reaching
// kLookBackS before it and kLookAheadS after it; the 20 ms spectrum frames (onset flux, log-mel,
// chroma, contrast) computed once each and kept for kListenerPulseContext_s for the rhythm.
#include "features/listener-stream.h"

#include <algorithm>
#include <cmath>

#include "dynemo/error.h"

namespace dynemo::features {
namespace {

constexpr std::size_t kHop = kListenerHop;            // 20 ms at 16 kHz
constexpr std::size_t kHalfFrame = kListenerFft / 2;  // centred frames reach this far
constexpr std::size_t kLldHop = kListenerHop / 2;     // 10 ms LLD rows
constexpr double kRate = kListenerRate_hz;

std::size_t samples_at(double s) { return static_cast<std::size_t>(std::ceil(s * kRate - 1e-6)); }

// Drops rows [0, n) of m.
void drop_rows(FrameMatrix& m, std::size_t n) {
  n = std::min(n, m.n_frames);
  m.data.erase(m.data.begin(), m.data.begin() + static_cast<std::ptrdiff_t>(n * m.n_values));
  m.n_frames -= n;
}

// Appends rows [from, to) of src to dst.
void append_rows(FrameMatrix& dst, const FrameMatrix& src, std::size_t from, std::size_t to) {
  dst.n_values = src.n_values;
  dst.data.insert(dst.data.end(),
                  src.data.begin() + static_cast<std::ptrdiff_t>(from * src.n_values),
                  src.data.begin() + static_cast<std::ptrdiff_t>(to * src.n_values));
  dst.n_frames += to - from;
}

}  // namespace

ListenerStream::ListenerStream(const FeatureConfig& config)
    : config_(config), resampler_(config.sample_rate_hz, kRate) {
  config_.offset_s = 0.0;
  validate(config_);
}

void ListenerStream::push(const float* samples, std::size_t n, FeatureMatrix& out) {
  if (finished_) throw ConfigError("listener stream: push after finish");
  n_in_ += n;
  resampler_.push(samples, n, y_);
  const std::size_t available = y0_ + y_.size();
  std::size_t k_end = next_window_;
  while (samples_at(start_of(k_end) + config_.window_s + kLookAheadS) <= available) ++k_end;
  if (k_end > next_window_) emit(k_end, false, out);
}

void ListenerStream::finish(FeatureMatrix& out) {
  if (finished_) return;
  finished_ = true;
  resampler_.finish(y_);
  const std::size_t k_end = count_windows(n_in_, config_);
  if (k_end > next_window_) emit(k_end, true, out);
}

// Spectrum frames up to frame_end from the signal [.., signal_end): frame i is centred on sample
// i * kHop; frames from spectrum_end_ - 1 on are computed from a segment that starts early
// enough for the frame before the first new one (the flux needs it) to lie inside.
void ListenerStream::compute_spectrum(std::size_t frame_end, std::size_t signal_end) {
  if (frame_end <= spectrum_end_) return;
  const std::size_t first = spectrum_end_ >= 3 ? spectrum_end_ - 3 : 0;
  const std::size_t a = first * kHop;
  const ListenerSpectrumFrames f = listener_spectrum_frames(y_.data() + (a - y0_), signal_end - a);
  const std::size_t from = spectrum_end_ - first;
  const std::size_t to = std::min(frame_end - first, f.mel_db.n_frames);
  if (to <= from) return;
  append_rows(spectrum_.mel_db, f.mel_db, from, to);
  append_rows(spectrum_.flux, f.flux, from, to);
  append_rows(spectrum_.contrast, f.contrast, from, to);
  append_rows(spectrum_.chroma, f.chroma, from, to);
  spectrum_end_ = first + to;
}

void ListenerStream::emit(std::size_t k_end, bool final, FeatureMatrix& out) {
  if (out.columns.empty()) out.columns = feature_columns("listener");
  const std::size_t available = y0_ + y_.size();
  const double last_end_s = start_of(k_end - 1) + config_.window_s;

  // Spectrum frames: every frame whose 64 ms span has arrived (all of them at the end).
  const std::size_t frame_end =
      final ? available / kHop + 1
            : (available >= kHalfFrame ? (available - kHalfFrame) / kHop + 1 : 0);
  compute_spectrum(frame_end, available);

  // LLD rows from kLookBackS before the first window to kLookAheadS after the last one (or the
  // end), the RASTA filter continuing from the previous piece.
  const std::size_t a = lld_start(next_window_);
  const std::size_t b =
      final ? available : std::min(available, samples_at(last_end_s + kLookAheadS));
  compare::LldCarry carry;
  carry.rasta.first_row = carry.period.first_row = a / kLldHop;
  if (state_row_ > 0) {
    carry.rasta.start_row = carry.period.start_row = state_row_;
    carry.rasta.start = &rasta_;
    carry.period.start = &period_;
  }
  carry.rasta.capture_row = carry.period.capture_row = state_row(k_end);
  const ListenerLldFrames lld = listener_lld_frames(y_.data() + (a - y0_), b - a, &carry);
  if (carry.rasta.has_captured && carry.period.has_captured && carry.rasta.capture_row > 0) {
    rasta_ = carry.rasta.captured;
    period_ = carry.period.captured;
    state_row_ = carry.rasta.capture_row;
  }

  std::vector<double> starts;
  for (std::size_t k = next_window_; k < k_end; ++k) starts.push_back(start_of(k));
  const FrameMatrix rows =
      listener_rows(lld, static_cast<double>(a) / kRate, spectrum_,
                    static_cast<double>(spectrum0_ * kHop) / kRate, starts, config_.window_s);
  out.time_s.insert(out.time_s.end(), starts.begin(), starts.end());
  out.values.insert(out.values.end(), rows.data.begin(), rows.data.end());
  next_window_ = k_end;
  trim();
}

// The LLD row window k's piece restores the carried state at: kStateLeadS before the window,
// so that the rows the window's smoothing and deltas reach back to are computed from it.
std::size_t ListenerStream::state_row(std::size_t k) const {
  const double s = start_of(k) - kStateLeadS;
  return s > 0 ? static_cast<std::size_t>(std::floor(s / 0.01 + 1e-9)) : 0;
}

// kLookBackS before the state row: the pitch tracker has settled by then.
std::size_t ListenerStream::default_lld_start(std::size_t k) const {
  const std::size_t row_sample = state_row(k) * kLldHop;
  const auto back = static_cast<std::size_t>(std::llround(kLookBackS * kRate));
  return row_sample > back ? (row_sample - back) / kHop * kHop : 0;
}

// The LLD piece starts kLookBackS before window k, or earlier where the carried period tracker
// reads from (a voiced stretch in which it found no period), on the 20 ms grid.
std::size_t ListenerStream::lld_start(std::size_t k) const {
  std::size_t a = default_lld_start(k);
  if (state_row_ > 0) a = std::min(a, period_.read_at / kHop * kHop);
  return a;
}

// Keeps the audio the next window's LLD segment and the next spectrum frames start from, and the
// spectrum frames of its pulse context.
void ListenerStream::trim() {
  const double next_s = start_of(next_window_);
  const std::size_t keep_audio =
      std::min(lld_start(next_window_), (spectrum_end_ >= 3 ? spectrum_end_ - 3 : 0) * kHop);
  if (keep_audio > y0_) {
    y_.erase(y_.begin(), y_.begin() + static_cast<std::ptrdiff_t>(keep_audio - y0_));
    y0_ = keep_audio;
  }
  const double context_s = next_s + config_.window_s - kListenerPulseContext_s - 0.1;
  const auto keep_frames =
      static_cast<std::size_t>(std::max(0.0, std::floor(context_s * kRate / kHop)));
  if (keep_frames > spectrum0_) {
    const std::size_t n = std::min(keep_frames, spectrum_end_) - spectrum0_;
    drop_rows(spectrum_.mel_db, n);
    drop_rows(spectrum_.flux, n);
    drop_rows(spectrum_.contrast, n);
    drop_rows(spectrum_.chroma, n);
    spectrum0_ += n;
  }
}

}  // namespace dynemo::features
