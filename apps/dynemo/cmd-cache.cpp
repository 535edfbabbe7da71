// `dynemo cache`: extract a feature set for a whole dataset once (dynemo/cache.h does the work).
// Progress goes to stderr: a redrawn bar with ETA on a terminal, otherwise one line per 10 %, so
// CI logs stay small. Bad files are listed at the end; the exit code is 1 if any failed.
#include <unistd.h>
#include <cstdlib>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>

#include "cli.h"
#include "dynemo/cache.h"
#include "dynemo/data.h"
#include "dynemo/error.h"
#include "dynemo/runtime.h"

namespace dynemo::cli {
namespace {

constexpr std::size_t kSkippedListed = 10;  // song ids printed for "skipped (no audio)"

std::string seconds_text(double s) {
  char buffer[32];
  if (s < 10) {
    std::snprintf(buffer, sizeof buffer, "%.1f s", s);
  } else if (s < 60) {
    std::snprintf(buffer, sizeof buffer, "%.0f s", s);
  } else {
    std::snprintf(buffer, sizeof buffer, "%d:%02d min", static_cast<int>(s) / 60,
                  static_cast<int>(s) % 60);
  }
  return buffer;
}

// Draws CacheProgress on stderr: a bar redrawn at most every 100 ms on a terminal, one line per
// 10 % step otherwise.
class ProgressPrinter {
 public:
  explicit ProgressPrinter(bool terminal) : terminal_(terminal) {}

  void operator()(const CacheProgress& p) {
    if (p.n_done == 0) {
      std::cerr << "cache: " << p.n_songs << " songs: " << p.n_up_to_date << " up to date, "
                << p.n_skipped << " without audio, " << p.n_to_do << " to extract" << std::endl;
      return;
    }
    const bool last = p.n_done == p.n_to_do;
    const double eta =
        p.elapsed_s / static_cast<double>(p.n_done) * static_cast<double>(p.n_to_do - p.n_done);
    const int percent = static_cast<int>(100 * p.n_done / p.n_to_do);
    if (terminal_) {
      const auto now = std::chrono::steady_clock::now();
      if (!last && now - last_draw_ < std::chrono::milliseconds(100)) return;
      last_draw_ = now;
      constexpr int kWidth = 30;
      const int filled = static_cast<int>(kWidth * p.n_done / p.n_to_do);
      std::cerr << "\r[" << std::string(filled, '#') << std::string(kWidth - filled, '.') << "] "
                << p.n_done << "/" << p.n_to_do << " " << percent << "%  "
                << seconds_text(p.elapsed_s) << " elapsed, ETA " << seconds_text(eta);
      if (p.n_failed > 0) std::cerr << ", " << p.n_failed << " failed";
      std::cerr << "\033[K";
      if (last) std::cerr << '\n';
      std::cerr << std::flush;
      return;
    }
    const int step = percent / 10;
    if (step <= last_step_ && !last) return;
    last_step_ = step;
    std::cerr << "cache: " << p.n_done << "/" << p.n_to_do << " (" << percent << "%), "
              << seconds_text(p.elapsed_s) << " elapsed, ETA " << seconds_text(eta);
    if (p.n_failed > 0) std::cerr << ", " << p.n_failed << " failed";
    std::cerr << std::endl;
  }

 private:
  bool terminal_;
  int last_step_ = 0;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace

CacheResult build_cache_reporting(const Dataset& dataset, CacheOptions options) {
  if (options.cache_dir.empty()) options.cache_dir = default_cache_dir();
  ProgressPrinter printer(::isatty(STDERR_FILENO) != 0);
  const CacheResult result =
      build_cache(dataset, options, [&](const CacheProgress& p) { printer(p); });

  if (!result.skipped.empty()) {
    std::cerr << "skipped " << result.skipped.size() << " songs without audio:";
    for (std::size_t i = 0; i < result.skipped.size() && i < kSkippedListed; ++i) {
      std::cerr << ' ' << result.skipped[i];
    }
    if (result.skipped.size() > kSkippedListed) {
      std::cerr << " ... (" << result.skipped.size() - kSkippedListed << " more)";
    }
    std::cerr << '\n';
  }
  for (const CacheFailure& failure : result.failed) {
    std::cerr << "error: song " << failure.song_id << ": " << failure.message << '\n';
  }
  std::cout << "cache: " << result.n_extracted << " extracted, " << result.n_up_to_date
            << " up to date, " << result.skipped.size() << " skipped (no audio), "
            << result.failed.size() << " failed in " << seconds_text(result.elapsed_s) << " -> "
            << result.dir << std::endl;
  return result;
}

int run_cache(const CliArgs& cli_args) {
  const CacheArgs& args = cli_args.cache;
  restart_with_huge_pages(command_line().argv);  // fresh 4 KiB pages: half a file's time
  reuse_large_buffers();  // song after song: the same spectrogram-sized buffers
  validate(args.config);
  parse_feature_spec(args.spec);

  const Dataset dataset = load_dataset(dataset_source(cli_args.dataset));
  CacheOptions options;
  options.spec = args.spec;
  options.config = args.config;
  options.jobs = args.jobs;
  options.cache_dir = args.cache_dir;
  return build_cache_reporting(dataset, options).failed.empty() ? 0 : 1;
}

}  // namespace dynemo::cli
