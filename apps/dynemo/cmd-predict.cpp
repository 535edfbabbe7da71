// `dynemo predict`: arousal and valence every 500 ms for audio files and whole libraries with a
// trained model (dynemo/predict.h does the work). A summary line per track on stdout; on stderr
// a progress bar with ETA and throughput (one line per 10 % when stderr is not a terminal), the
// failures, and the final done / skipped / failed count. Exit 1 when a track failed.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <iostream>
#include <string>

#include "cli.h"
#include "dynemo/predict.h"

namespace dynemo::cli {
namespace {

std::string mean_text(double mean) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%+.3f", mean);
  return buf;
}

class BatchPrinter {
 public:
  explicit BatchPrinter(bool terminal) : terminal_(terminal) {}

  void operator()(const BatchProgress& p) {
    const std::size_t handled = p.n_done + p.n_skipped + p.n_failed;
    const bool last = handled == p.n_total;
    const double rate = p.elapsed_s > 0 ? p.audio_s / p.elapsed_s : 0.0;  // x real time
    const std::size_t worked = p.n_done + p.n_failed;
    const double eta = worked > 0 ? p.elapsed_s / worked * (p.n_total - handled) : 0.0;
    char line[200];
    std::snprintf(line, sizeof line,
                  "%zu/%zu tracks (%zu done, %zu skipped, %zu failed)  %.0f s elapsed, ETA %.0f s, "
                  "%.0fx real time",
                  handled, p.n_total, p.n_done, p.n_skipped, p.n_failed, p.elapsed_s, eta, rate);
    if (terminal_) {
      const auto now = std::chrono::steady_clock::now();
      if (!last && now - last_draw_ < std::chrono::milliseconds(100)) return;
      last_draw_ = now;
      constexpr std::size_t kWidth = 24;
      const std::size_t filled = kWidth * handled / p.n_total;
      std::cerr << "\r[" << std::string(filled, '#') << std::string(kWidth - filled, '.') << "] "
                << line << "\033[K" << (last ? "\n" : "") << std::flush;
      return;
    }
    const std::size_t step = 10 * handled / p.n_total;
    if (step <= last_step_ && !last) return;
    last_step_ = step;
    std::cerr << "predict: " << line << std::endl;
  }

 private:
  bool terminal_;
  std::size_t last_step_ = 0;
  std::chrono::steady_clock::time_point last_draw_{};
};

}  // namespace

int run_predict(const CliArgs& all) {
  const PredictArgs& args = all.predict;
  BatchOptions options;
  options.output_dir = args.output_dir;
  options.format = args.format;
  options.jobs = args.jobs;
  options.attention = args.attention;
  options.explain = args.explain;
  options.force = args.force;
  const std::vector<BatchItem> items = plan_predictions(args.inputs, options);
  Predictor predictor(args.model.empty() ? default_model_path() : args.model);
  if (args.attention && !predictor.has_attention()) {
    std::cerr << "note: model " << predictor.card().model << " has no attention weights\n";
  }
  BatchPrinter printer(::isatty(STDERR_FILENO) != 0);
  const BatchResult result = run_batch(
      predictor, items, options,
      [](const BatchItem& item, const TrackPrediction& p) {
        const TrackSummary s = summarise(p);
        std::cout << item.input << ": arousal " << mean_text(s.arousal_mean) << ", valence "
                  << mean_text(s.valence_mean) << " (" << s.label << "), " << windows_text(s)
                  << " -> " << item.output << std::endl;
      },
      [&](const BatchProgress& p) { printer(p); });
  return report_batch_end("predict", "done", result, args.output_dir, false, std::cerr);
}

}  // namespace dynemo::cli
