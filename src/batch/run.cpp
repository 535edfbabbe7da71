// run_items and write_error_log (dynemo/batch.h).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <exception>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <new>
#include <set>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "dynemo/batch.h"
#include "dynemo/error.h"
#include "dynemo/io.h"

namespace dynemo {
namespace {

namespace fs = std::filesystem;

constexpr int kMaxJobs = 256;

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

// The inverse of log_field.
std::string unescape_field(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\\' || i + 1 == text.size()) {
      out += text[i];
      continue;
    }
    const char c = text[++i];
    out += c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c;
  }
  return out;
}

// The failures an existing errors.log lists (none if it is missing or unreadable).
std::vector<BatchFailure> read_error_log(const fs::path& log) {
  std::vector<BatchFailure> out;
  std::ifstream in(log, std::ios::binary);
  for (std::string line; std::getline(in, line);) {
    const std::size_t tab = line.find('\t');
    if (tab == std::string::npos) continue;
    out.push_back({unescape_field(line.substr(0, tab)), unescape_field(line.substr(tab + 1))});
  }
  return out;
}

// The message of a failed input, which always names the input.
std::string failure_message(const std::string& input, const std::string& what) {
  return what.find(input) == std::string::npos ? input + ": " + what : what;
}

}  // namespace

BatchResult run_items(const std::vector<BatchItem>& items, int jobs, const BatchWork& work,
                      const std::string& output_dir) {
  if (jobs < 1 || jobs > kMaxJobs) {
    throw ConfigError("jobs must be in 1.." + std::to_string(kMaxJobs) + ", got " +
                      std::to_string(jobs));
  }
  const auto start = std::chrono::steady_clock::now();
  BatchResult result;
  BatchProgress progress;
  progress.n_total = items.size();
  std::mutex mutex;
  std::atomic<bool> stop{false};

  const auto finish = [&](const BatchItem& item, const BatchFailure* failure, bool skipped,
                          double audio_s) {
    std::lock_guard<std::mutex> lock(mutex);
    if (skipped) {
      ++result.n_skipped;
    } else if (failure) {
      result.failed.push_back(*failure);
    } else {
      ++result.n_done;
      result.audio_s += audio_s;
    }
    if (work.on_item) work.on_item(item, failure, skipped);
    progress.n_done = result.n_done;
    progress.n_skipped = result.n_skipped;
    progress.n_failed = result.failed.size();
    progress.audio_s = result.audio_s;
    progress.elapsed_s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (work.on_progress) work.on_progress(progress);
  };

  parallel_for(items.size(), jobs, [&](std::size_t i) {
    if (stop) return;
    const BatchItem& item = items[i];
    try {
      if (work.is_done && work.is_done(item)) {
        finish(item, nullptr, true, 0.0);
        return;
      }
      const double audio_s = work.run(item);
      finish(item, nullptr, false, audio_s);
    } catch (const NoSpaceError& e) {
      const BatchFailure f{item.input, failure_message(item.input, e.what())};
      {
        std::lock_guard<std::mutex> lock(mutex);
        if (!stop.exchange(true)) result.stopped_because = f.message;
      }
      finish(item, &f, false, 0.0);
    } catch (const std::bad_alloc&) {
      const BatchFailure f{item.input,
                           item.input + ": out of memory while processing it (std::bad_alloc)"};
      finish(item, &f, false, 0.0);
    } catch (const std::exception& e) {
      const BatchFailure f{item.input, failure_message(item.input, e.what())};
      finish(item, &f, false, 0.0);
    } catch (...) {
      const BatchFailure f{item.input, failure_message(item.input, "unknown failure")};
      finish(item, &f, false, 0.0);
    }
  });

  std::sort(result.failed.begin(), result.failed.end(),
            [](const BatchFailure& a, const BatchFailure& b) { return a.input < b.input; });
  result.n_not_attempted = items.size() - result.n_done - result.n_skipped - result.failed.size();
  if (!output_dir.empty()) {
    std::vector<std::string> attempted;
    for (const BatchItem& item : items) attempted.push_back(item.input);
    try {
      write_error_log(output_dir, result.failed, attempted);
    } catch (const std::exception& e) {
      result.error_log_problem = e.what();
    }
  }
  result.elapsed_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

void parallel_for(std::size_t n, int jobs, const std::function<void(std::size_t)>& fn) {
  std::atomic<std::size_t> next{0};
  const auto worker = [&] {
    for (std::size_t i = next++; i < n; i = next++) fn(i);
  };
  const std::size_t n_threads = std::min(n, static_cast<std::size_t>(std::max(jobs, 1)));
  std::vector<std::thread> threads;
  for (std::size_t t = 1; t < n_threads; ++t) threads.emplace_back(worker);
  worker();
  for (std::thread& t : threads) t.join();
}

void write_error_log(const std::string& output_dir, const std::vector<BatchFailure>& failed,
                     const std::vector<std::string>& attempted) {
  const fs::path log = fs::path(output_dir) / "errors.log";
  const std::set<std::string> now(attempted.begin(), attempted.end());
  std::vector<BatchFailure> lines;
  for (BatchFailure& earlier : read_error_log(log)) {
    if (now.count(earlier.input) == 0) lines.push_back(std::move(earlier));
  }
  lines.insert(lines.end(), failed.begin(), failed.end());
  std::error_code ec;
  if (lines.empty()) {
    fs::remove(log, ec);
    return;
  }
  std::stable_sort(lines.begin(), lines.end(),
                   [](const BatchFailure& a, const BatchFailure& b) { return a.input < b.input; });
  std::string text;
  for (const BatchFailure& f : lines) {
    text += log_field(f.input) + "\t" + log_field(f.message) + "\n";
  }
  write_file_atomic(log.string(), text);
}

}  // namespace dynemo
