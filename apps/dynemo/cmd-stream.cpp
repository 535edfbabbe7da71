// `dynemo stream`: live arousal and valence from raw PCM on standard input (or an audio file),
// one line per 0.5 s window, written and flushed as soon as the window's row is ready
// (dynemo/stream.h does the work). Exit 1 for bad PCM or audio too short for one window.
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "cli.h"
#include "dynemo/audio.h"
#include "dynemo/error.h"
#include "dynemo/predict.h"
#include "dynemo/stream.h"

namespace dynemo::cli {
namespace {

class RowWriter {
 public:
  RowWriter(const ModelCard& card, const Stream& stream, bool jsonl) : jsonl_(jsonl) {
    std::string header;
    if (jsonl) {
      header = prediction_jsonl_header(card, stream.latency_s());
    } else {
      char line[96];
      std::snprintf(line, sizeof line, "# stream: latency_s %.2f (after each window's end)\n",
                    stream.latency_s());
      header = line + prediction_csv_header(card);
    }
    write(header);
  }

  void operator()(const std::vector<StreamRow>& rows) {
    if (rows.empty()) return;
    std::string text;
    for (const StreamRow& r : rows) {
      text += jsonl_ ? prediction_jsonl_row(r) : prediction_csv_row(r);
    }
    write(text);
  }

 private:
  static void write(const std::string& text) {
    if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() ||
        std::fflush(stdout) != 0) {
      throw IoError("stream: cannot write to standard output: " +
                    std::string(std::strerror(errno)));
    }
  }
  bool jsonl_;
};

// Raw interleaved PCM from standard input, pushed as it arrives (read() returns what the pipe
// holds, so rows are not held back waiting for a full buffer).
void stream_stdin(const StreamArgs& a, Stream& stream, RowWriter& writer) {
  const std::size_t width = a.sample_format == "s16" ? 2 : 4;
  std::vector<unsigned char> bytes(64 * 1024 + 4);
  std::vector<float> samples;
  std::size_t carry = 0;  // bytes of an incomplete sample at the front of `bytes`
  for (;;) {
    const ssize_t got = ::read(STDIN_FILENO, bytes.data() + carry, bytes.size() - carry - 4);
    if (got < 0) {
      if (errno == EINTR) continue;
      throw IoError("<stdin>: cannot read: " + std::string(std::strerror(errno)));
    }
    if (got == 0) break;
    const std::size_t have = carry + static_cast<std::size_t>(got);
    const std::size_t n = have / width;
    samples.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      const unsigned char* b = bytes.data() + i * width;
      if (width == 2) {
        const auto v = static_cast<std::int16_t>(static_cast<std::uint16_t>(b[0] | (b[1] << 8)));
        samples[i] = static_cast<float>(v) / 32768.0f;
      } else {
        const std::uint32_t u = static_cast<std::uint32_t>(b[0]) | (std::uint32_t{b[1]} << 8) |
                                (std::uint32_t{b[2]} << 16) | (std::uint32_t{b[3]} << 24);
        std::memcpy(&samples[i], &u, 4);
      }
    }
    carry = have - n * width;
    std::memmove(bytes.data(), bytes.data() + n * width, carry);
    writer(stream.push(samples.data(), n));
  }
  if (carry != 0) {
    throw AudioError(AudioErrorKind::truncated, "<stdin>",
                     "the input ends with " + std::to_string(carry) + " byte(s) of an incomplete " +
                         a.sample_format + " sample: not raw " + a.sample_format + " PCM?");
  }
}

// An audio file decoded at its own rate in pieces; --realtime paces the pieces like playback.
void stream_file(const StreamArgs& a, Stream& stream, RowWriter& writer, double rate_hz) {
  const double piece_s = a.realtime ? 0.1 : 10.0;
  const auto start = std::chrono::steady_clock::now();
  for (double offset = 0.0;; offset += piece_s) {
    AudioLoadOptions options;
    options.target_sample_rate_hz = 0.0;  // the file's rate: the stream resamples
    options.offset_s = offset;
    options.duration_s = piece_s;
    Audio piece;
    try {
      piece = load_audio(a.input, options);
    } catch (const AudioError& e) {
      if (e.kind() == AudioErrorKind::bad_range && offset > 0) break;  // ended on a piece edge
      throw;
    }
    if (a.realtime) {
      std::this_thread::sleep_until(start + std::chrono::duration<double>(offset));
    }
    writer(stream.push(piece.samples.data(), piece.samples.size()));
    if (piece.samples.size() < static_cast<std::size_t>(std::llround(piece_s * rate_hz))) break;
  }
}

}  // namespace

int run_stream(const CliArgs& args) {
  const StreamArgs& a = args.stream;
  set_model_threads(1);
  Predictor predictor(a.model.empty() ? default_stream_model_path() : a.model);
  StreamFormat format;
  if (a.input.empty()) {
    format.sample_rate_hz = a.sample_rate_hz;
    format.channels = a.channels;
    format.source = "<stdin>";
  } else {
    const AudioInfo info = probe_audio(a.input);
    format.sample_rate_hz = info.sample_rate_hz;
    format.channels = 1;  // load_audio gives the mono mix
    format.source = a.input;
  }
  Stream stream(predictor, format);
  RowWriter writer(predictor.card(), stream, a.format == "jsonl");
  if (a.input.empty()) {
    stream_stdin(a, stream, writer);
  } else {
    stream_file(a, stream, writer, format.sample_rate_hz);
  }
  writer(stream.flush());
  if (stream.n_rows() == 0) {
    throw AudioError(AudioErrorKind::too_short, format.source,
                     "too short: " + std::to_string(stream.pushed_s()) +
                         " s of audio, but one window needs " + std::to_string(stream.hop_s()) +
                         " s");
  }
  std::fprintf(stderr, "%s: %zu windows, %.1f s of audio, latency %.2f s\n", format.source.c_str(),
               stream.n_rows(), stream.pushed_s(), stream.latency_s());
  return 0;
}

}  // namespace dynemo::cli
