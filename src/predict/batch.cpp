// Whole-library prediction over the batch engine (dynemo/batch.h): one track predicted and
// written, and the batch of them (see predict.h).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <mutex>
#include <string>
#include <system_error>

#include "dynemo/audio.h"
#include "dynemo/error.h"
#include "dynemo/io.h"
#include "dynemo/predict.h"

namespace dynemo {
namespace {

namespace fs = std::filesystem;

std::string attention_csv(const TrackPrediction& p) {
  std::string out = "time_s";
  char cell[32];
  for (double t : p.time_s) {
    std::snprintf(cell, sizeof cell, ",%.3f", t);
    out += cell;
  }
  out += '\n';
  const std::size_t n = p.n_windows();
  for (std::size_t r = 0; r < n; ++r) {
    std::snprintf(cell, sizeof cell, "%.3f", p.time_s[r]);
    out += cell;
    for (std::size_t c = 0; c < n; ++c) {
      std::snprintf(cell, sizeof cell, ",%.6g", p.attention[r * n + c]);
      out += cell;
    }
    out += '\n';
  }
  return out;
}

// Beside a CSV prediction: <stem>.attribution.csv.
std::string attribution_path(const std::string& output) {
  fs::path path(output);
  path.replace_extension(".attribution.csv");
  return path.string();
}

// With --explain, a finished output also needs its attributions.
bool has_attribution(const std::string& output, const std::string& format) {
  if (format != "json") return fs::exists(attribution_path(output));
  std::ifstream in(output, std::ios::binary);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return text.find("\n \"attribution\": {") != std::string::npos;
}

void make_parent(const std::string& path) {
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  if (ec)
    throw IoError(fs::path(path).parent_path().string() + ": cannot create the folder (" +
                  ec.message() + ")");
}

}  // namespace

TrackPrediction predict_item(Predictor& predictor, const BatchItem& item,
                             const BatchOptions& options) {
  const bool want_attention = options.attention && predictor.has_attention();
  const TrackPrediction p = predictor.predict_file(item.input, want_attention, options.explain);
  make_parent(item.output);
  if (options.format == "json") {
    write_file_atomic(item.output, prediction_json_text(p, predictor.card()));
  } else {
    if (options.explain) write_file_atomic(attribution_path(item.output), attribution_csv_text(p));
    if (want_attention) {
      fs::path att(item.output);
      att.replace_extension(".attention.csv");
      write_file_atomic(att.string(), attention_csv(p));
    }
    write_file_atomic(item.output, prediction_csv_text(p, predictor.card()));
  }
  return p;
}

BatchResult run_batch(Predictor& predictor, const std::vector<BatchItem>& items,
                      const BatchOptions& options,
                      const std::function<void(const BatchItem&, const TrackPrediction&)>& on_track,
                      const std::function<void(const BatchProgress&)>& on_progress) {
  if (options.format != "csv" && options.format != "json") {
    throw ConfigError("predict: format '" + options.format + "' is not csv or json");
  }
  std::mutex mutex;  // on_track: one call at a time
  BatchWork work;
  if (!options.force) {
    work.is_done = [&predictor, &options](const BatchItem& item) {
      return prediction_is_current(item.output, predictor.card()) &&
             (!options.explain || has_attribution(item.output, options.format));
    };
  }
  work.run = [&](const BatchItem& item) {
    const TrackPrediction p = predict_item(predictor, item, options);
    if (on_track) {
      std::lock_guard<std::mutex> lock(mutex);
      on_track(item, p);
    }
    return p.duration_s;
  };
  work.on_progress = on_progress;
  return run_items(items, options.jobs, work, options.output_dir);
}

}  // namespace dynemo
