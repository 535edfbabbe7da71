// Live-stream latency and memory with the default model, one thread: the example clip pushed
// again and again in 0.5 s pieces (as a sound card delivers it), for `minutes` of audio.
//   compute latency: CPU time of each push that completes a window (push -> row), median, p99
//   and max; algorithmic latency: Stream::latency_s() (audio after a window's end before its row)
//   memory: resident set size after 1, 10 and every further 10 minutes of audio
// Usage: bench-stream [MINUTES=60] [AUDIO=examples/wesnoth_battle_epic_45s.flac]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

#include "dynemo/audio.h"
#include "dynemo/predict.h"
#include "dynemo/stream.h"

namespace {

double rss_mb() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  statm >> pages >> resident;
  return static_cast<double>(resident) * 4096.0 / (1024.0 * 1024.0);
}

double thread_cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

double percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(q * static_cast<double>(v.size())))];
}

}  // namespace

int main(int argc, char** argv) {
  const double minutes = argc > 1 ? std::atof(argv[1]) : 60.0;
  const std::string audio_path =
      argc > 2 ? argv[2]
               : std::string(DYNEMO_SOURCE_DIR) + "/examples/wesnoth_battle_epic_45s.flac";
  dynemo::set_model_threads(1);
  dynemo::Predictor predictor(dynemo::default_model_path());
  const dynemo::Audio audio = dynemo::load_audio(audio_path);
  dynemo::Stream stream(predictor);
  const std::size_t piece = 22050;  // 0.5 s at 44.1 kHz
  const auto total = static_cast<std::size_t>(minutes * 60.0 * 44100.0);
  std::vector<double> per_window_ms;
  std::size_t at = 0, pushed = 0, rows = 0;
  double next_report_min = 1.0;
  const double rss_start = rss_mb();
  std::printf("model %s, latency_s %.2f, start RSS %.1f MB\n", predictor.card().path.c_str(),
              stream.latency_s(), rss_start);
  while (pushed < total) {
    const std::size_t n = std::min(piece, audio.samples.size() - at);
    const double t0 = thread_cpu_ms();
    const std::size_t got = stream.push(audio.samples.data() + at, n).size();
    const double t1 = thread_cpu_ms();
    if (got > 0) per_window_ms.push_back((t1 - t0) / static_cast<double>(got));
    rows += got;
    at = (at + n) % audio.samples.size();
    pushed += n;
    const double minutes_in = static_cast<double>(pushed) / 44100.0 / 60.0;
    if (minutes_in >= next_report_min - 1e-9) {
      std::printf("%5.1f min of audio: RSS %.1f MB, %zu rows\n", minutes_in, rss_mb(), rows);
      std::fflush(stdout);
      next_report_min = next_report_min < 10.0 ? 10.0 : next_report_min + 10.0;
    }
  }
  rows += stream.flush().size();
  std::printf(
      "windows %zu; compute per window (CPU ms, one thread): median %.2f, p99 %.2f, "
      "max %.2f; %.0fx real time\n",
      rows, percentile(per_window_ms, 0.5), percentile(per_window_ms, 0.99),
      percentile(per_window_ms, 1.0), 500.0 / percentile(per_window_ms, 0.5));
  return 0;
}
