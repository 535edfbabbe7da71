// Whole-library prediction: planning outputs, skipping finished tracks, parallel workers,
// atomic writes, and the error log (see predict.h).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <set>
#include <system_error>
#include <thread>

#include "dynemo/audio.h"
#include "dynemo/error.h"
#include "dynemo/io.h"
#include "dynemo/predict.h"

namespace dynemo {
namespace {

namespace fs = std::filesystem;

bool is_audio(const fs::path& p) {
  std::string ext = p.extension().string();
  if (ext.empty()) return false;
  ext.erase(0, 1);
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  const auto& known = audio_extensions();
  return std::find(known.begin(), known.end(), ext) != known.end();
}

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

void make_parent(const std::string& path) {
  std::error_code ec;
  fs::create_directories(fs::path(path).parent_path(), ec);
  if (ec)
    throw IoError(fs::path(path).parent_path().string() + ": cannot create the folder (" +
                  ec.message() + ")");
}

}  // namespace

std::vector<BatchItem> plan_batch(const std::vector<std::string>& inputs,
                                  const BatchOptions& options) {
  const std::string ext = "." + options.format;
  std::vector<BatchItem> items;
  std::map<std::string, std::string> by_output;
  auto add = [&](const fs::path& input, const fs::path& relative) {
    fs::path out = fs::path(options.output_dir) / relative;
    out.replace_extension(ext);
    const std::string key = out.lexically_normal().string();
    const auto [it, inserted] = by_output.emplace(key, input.string());
    if (!inserted) {
      if (it->second == input.string()) return;  // the same file named twice
      throw Error("predict: " + it->second + " and " + input.string() + " would both write " + key);
    }
    items.push_back({input.string(), key});
  };
  for (const std::string& arg : inputs) {
    std::error_code ec;
    const fs::path path(arg);
    if (fs::is_directory(path, ec)) {
      std::vector<fs::path> found;
      for (fs::recursive_directory_iterator
               it(path, fs::directory_options::skip_permission_denied, ec),
           end;
           it != end; it.increment(ec)) {
        if (ec) throw Error(arg + ": cannot read the directory (" + ec.message() + ")");
        if (it->is_regular_file(ec) && is_audio(it->path())) found.push_back(it->path());
      }
      if (ec) throw Error(arg + ": cannot read the directory (" + ec.message() + ")");
      std::sort(found.begin(), found.end());
      for (const fs::path& f : found) add(f, f.lexically_relative(path));
    } else if (fs::exists(path, ec)) {
      add(path, path.filename());
    } else {
      throw Error(arg + ": no such file or directory");
    }
  }
  if (items.empty()) throw Error("predict: no audio files found in the inputs");
  return items;
}

namespace {

// A path or message as one errors.log field: backslash, tab, newline and carriage return
// escaped (\\, \t, \n, \r), so that no name can split or forge a line.
std::string log_field(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out += c;
    }
  }
  return out;
}

}  // namespace

TrackPrediction predict_item(Predictor& predictor, const BatchItem& item,
                             const BatchOptions& options) {
  const bool want_attention = options.attention && predictor.has_attention();
  const TrackPrediction p = predictor.predict_file(item.input, want_attention);
  make_parent(item.output);
  if (options.format == "json") {
    write_file_atomic(item.output, prediction_json_text(p, predictor.card()));
  } else {
    if (want_attention) {
      fs::path att(item.output);
      att.replace_extension(".attention.csv");
      write_file_atomic(att.string(), attention_csv(p));
    }
    write_file_atomic(item.output, prediction_csv_text(p, predictor.card()));
  }
  return p;
}

void write_error_log(const std::string& output_dir, const std::vector<BatchFailure>& failed) {
  const std::string log = (fs::path(output_dir) / "errors.log").string();
  std::error_code ec;
  if (failed.empty()) {
    fs::remove(log, ec);
    return;
  }
  std::string text;
  for (const BatchFailure& f : failed)
    text += log_field(f.input) + "\t" + log_field(f.message) + "\n";
  make_parent(log);
  write_file_atomic(log, text);
}

BatchResult run_batch(Predictor& predictor, const std::vector<BatchItem>& items,
                      const BatchOptions& options,
                      const std::function<void(const BatchItem&, const TrackPrediction&)>& on_track,
                      const std::function<void(const BatchProgress&)>& on_progress) {
  if (options.jobs < 1) throw ConfigError("predict: jobs must be >= 1");
  if (options.format != "csv" && options.format != "json") {
    throw ConfigError("predict: format '" + options.format + "' is not csv or json");
  }
  const auto start = std::chrono::steady_clock::now();
  BatchResult result;
  BatchProgress progress;
  progress.n_total = items.size();
  std::mutex mutex;
  std::atomic<std::size_t> next{0};

  auto finish = [&](const BatchItem& item, const TrackPrediction* p, const std::string* error,
                    bool skipped) {
    std::lock_guard<std::mutex> lock(mutex);
    if (skipped) {
      ++result.n_skipped;
    } else if (error) {
      result.failed.push_back({item.input, *error});
    } else {
      ++result.n_done;
      result.audio_s += p->duration_s;
      if (on_track) on_track(item, *p);
    }
    progress.n_done = result.n_done;
    progress.n_skipped = result.n_skipped;
    progress.n_failed = result.failed.size();
    progress.audio_s = result.audio_s;
    progress.elapsed_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (on_progress) on_progress(progress);
  };

  auto worker = [&] {
    for (std::size_t i = next++; i < items.size(); i = next++) {
      const BatchItem& item = items[i];
      if (!options.force && prediction_is_current(item.output, predictor.card())) {
        finish(item, nullptr, nullptr, true);
        continue;
      }
      try {
        const TrackPrediction p = predict_item(predictor, item, options);
        finish(item, &p, nullptr, false);
      } catch (const std::exception& e) {
        const std::string message = e.what();
        finish(item, nullptr, &message, false);
      }
    }
  };
  std::vector<std::thread> threads;
  const int n_threads = std::min<int>(options.jobs, static_cast<int>(items.size()));
  for (int t = 1; t < n_threads; ++t) threads.emplace_back(worker);
  worker();
  for (std::thread& t : threads) t.join();

  std::sort(result.failed.begin(), result.failed.end(),
            [](const BatchFailure& a, const BatchFailure& b) { return a.input < b.input; });
  write_error_log(options.output_dir, result.failed);
  result.elapsed_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace dynemo
