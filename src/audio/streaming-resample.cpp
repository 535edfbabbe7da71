// StreamingResampler: resample() (resample.cpp) over a signal that arrives in pieces.
#include <soxr.h>

#include <algorithm>
#include <cmath>
#include <sstream>

#include "audio/soxr-slack.h"
#include "dynemo/audio.h"
#include "dynemo/error.h"

namespace dynemo {

struct StreamingResampler::Impl {
  double ratio = 1.0;
  bool copy = false;
  soxr_t soxr = nullptr;
  std::size_t n_in = 0, n_out = 0;
  std::vector<float> block;  // soxr's output buffer, reused

  ~Impl() {
    if (soxr) soxr_delete(soxr);
  }

  void check(soxr_error_t error) const {
    if (error == nullptr) return;
    std::ostringstream text;
    text << "resample: soxr failed on a live stream: " << error;
    throw Error(text.str());
  }

  // Feeds n samples (nullptr: end of input) and appends whatever soxr gives.
  void run(const float* samples, std::size_t n, std::vector<float>& out) {
    std::size_t consumed = 0;
    for (;;) {
      std::size_t used = 0, produced = 0;
      const bool flushing = samples == nullptr;
      const std::size_t room = block.size() - audio_detail::kSoxrOutputSlack;  // soxr-slack.h
      check(soxr_process(soxr, flushing ? nullptr : samples + consumed, n - consumed, &used,
                         block.data(), room, &produced));
      consumed += used;
      out.insert(out.end(), block.begin(), block.begin() + static_cast<std::ptrdiff_t>(produced));
      n_out += produced;
      if (flushing ? produced == 0 : (consumed == n && produced < room)) break;
    }
  }
};

StreamingResampler::StreamingResampler(double in_rate_hz, double out_rate_hz)
    : impl_(std::make_unique<Impl>()) {
  for (double rate : {in_rate_hz, out_rate_hz}) {
    if (!(std::isfinite(rate) && rate > 0)) {
      std::ostringstream text;
      text << "resample: rate " << rate << " Hz; expected a positive rate in Hz";
      throw ConfigError(text.str());
    }
  }
  impl_->ratio = out_rate_hz / in_rate_hz;
  impl_->copy = in_rate_hz == out_rate_hz;
  if (impl_->copy) return;
  // The specification resample() uses, so that both give the same samples.
  const soxr_io_spec_t io = soxr_io_spec(SOXR_FLOAT32_I, SOXR_FLOAT32_I);
  const soxr_quality_spec_t quality = soxr_quality_spec(SOXR_HQ, 0);
  const soxr_runtime_spec_t runtime = soxr_runtime_spec(1);
  soxr_error_t error = nullptr;
  impl_->soxr = soxr_create(in_rate_hz, out_rate_hz, 1, &error, &io, &quality, &runtime);
  impl_->check(error);
  impl_->block.resize(8192 + audio_detail::kSoxrOutputSlack);
}

StreamingResampler::~StreamingResampler() = default;

void StreamingResampler::push(const float* samples, std::size_t n, std::vector<float>& out) {
  impl_->n_in += n;
  if (impl_->copy) {
    out.insert(out.end(), samples, samples + n);
    impl_->n_out += n;
    return;
  }
  if (n > 0) impl_->run(samples, n, out);
}

void StreamingResampler::finish(std::vector<float>& out) {
  if (impl_->copy) return;
  const auto total =
      static_cast<std::size_t>(std::ceil(static_cast<double>(impl_->n_in) * impl_->ratio));
  std::vector<float> tail;
  if (impl_->n_in > 0) impl_->run(nullptr, 0, tail);
  // As resample(): soxr's output cut or zero-padded to the librosa length. Samples already given
  // beyond it (soxr rounding up) cannot be taken back; they are at most one or two.
  const std::size_t given = impl_->n_out - tail.size();
  const std::size_t want = total > given ? total - given : 0;
  tail.resize(want, 0.0f);
  out.insert(out.end(), tail.begin(), tail.end());
  impl_->n_out = given + want;
}

double StreamingResampler::lag_s(double in_rate_hz, double out_rate_hz) {
  if (in_rate_hz == out_rate_hz) return 0.0;
  StreamingResampler r(in_rate_hz, out_rate_hz);
  const auto piece = static_cast<std::size_t>(std::max(1.0, std::round(in_rate_hz / 100.0)));
  const std::vector<float> silence(piece, 0.0f);
  std::vector<float> out;
  double worst = 0.0;
  std::size_t n_in = 0;
  for (int i = 0; i < 200; ++i) {
    r.push(silence.data(), piece, out);
    n_in += piece;
    worst = std::max(worst, static_cast<double>(n_in) / in_rate_hz -
                                static_cast<double>(out.size()) / out_rate_hz);
  }
  return worst;
}

}  // namespace dynemo
