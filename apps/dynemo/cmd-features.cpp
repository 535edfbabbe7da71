// `dynemo features`: decode each input, extract the requested feature sets and write
// OUT/<stem>.<csv|npy> with its sidecar OUT/<stem>.json. Files are independent: a bad one is
// reported and skipped, the others go on, and the exit code says whether any failed.
#include <algorithm>
#include <atomic>
#include <exception>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "cli.h"
#include "dynemo/audio.h"
#include "dynemo/error.h"
#include "dynemo/features.h"
#include "dynemo/io.h"

namespace dynemo::cli {
namespace {

namespace fs = std::filesystem;

struct Written {
  std::string data_path;
  std::size_t n_rows = 0;
  std::size_t n_cols = 0;
};

// Decodes, extracts and writes one input. Throws whatever the library throws.
Written process_file(const std::string& input, const FeaturesArgs& args) {
  AudioLoadOptions load;
  load.target_sample_rate_hz = args.config.sample_rate_hz;
  load.offset_s = args.audio_offset_s;
  load.duration_s = args.audio_duration_s;
  const Audio audio = load_audio(input, load);

  FeatureMatrix features = extract_features(args.spec, audio.samples.data(), audio.samples.size(),
                                            audio.sample_rate_hz, args.config, input);
  // The library counts from the first decoded sample; report times from the file start.
  for (double& t : features.time_s) t += args.audio_offset_s;
  if (args.opensmile_names) features.columns = opensmile_columns(args.spec);

  const fs::path stem = fs::path(args.output_dir) / fs::path(input).stem();
  Written written;
  written.data_path = stem.string() + "." + args.format;
  written.n_rows = features.n_rows();
  written.n_cols = features.n_cols();
  if (args.format == "npy") {
    write_features_npy(written.data_path, features);
  } else {
    write_features_csv(written.data_path, features);
  }

  FeatureProvenance provenance;
  provenance.input = input;
  provenance.spec = args.spec;
  provenance.config = args.config;
  provenance.format = args.format;
  provenance.audio_offset_s = args.audio_offset_s;
  provenance.audio_duration_s = args.audio_duration_s;
  write_features_sidecar(stem.string() + ".json", features, provenance);
  return written;
}

// The message for a failed input, which always names the input.
std::string failure_message(const std::string& input, const std::string& what) {
  return what.find(input) == std::string::npos ? input + ": " + what : what;
}

// Runs process_file over `files` on `n_workers` threads pulling from a shared index. Prints one
// line per file as it finishes; returns the number of failures.
std::size_t process_all(const std::vector<std::string>& files, const FeaturesArgs& args,
                        std::size_t n_workers) {
  std::atomic<std::size_t> next{0};
  std::atomic<std::size_t> failed{0};
  std::mutex print_mutex;

  auto worker = [&]() {
    for (std::size_t i = next.fetch_add(1); i < files.size(); i = next.fetch_add(1)) {
      const std::string& input = files[i];
      std::string error;
      Written written;
      try {
        written = process_file(input, args);
      } catch (const std::exception& e) {
        error = failure_message(input, e.what());
      } catch (...) {
        error = failure_message(input, "unknown failure");
      }
      std::lock_guard<std::mutex> lock(print_mutex);
      if (error.empty()) {
        std::cout << "wrote " << written.data_path << " (" << written.n_rows << " rows x "
                  << written.n_cols << " columns)" << std::endl;
      } else {
        ++failed;
        std::cerr << "error: " << error << std::endl;
      }
    }
  };

  if (n_workers <= 1) {
    worker();
  } else {
    std::vector<std::thread> threads;
    threads.reserve(n_workers);
    for (std::size_t i = 0; i < n_workers; ++i) threads.emplace_back(worker);
    for (std::thread& thread : threads) thread.join();
  }
  return failed.load();
}

}  // namespace

int run_features(const CliArgs& cli_args) {
  const FeaturesArgs& args = cli_args.features;

  // Everything that would fail for every file is checked once, before any work.
  validate(args.config);
  parse_feature_spec(args.spec);
  if (args.opensmile_names) opensmile_columns(args.spec);
  const std::vector<std::string> files = collect_inputs(args.inputs);
  check_unique_stems(files);

  std::error_code ec;
  fs::create_directories(args.output_dir, ec);
  if (ec || !fs::is_directory(args.output_dir)) {
    throw IoError("cannot create output directory " + args.output_dir + ": " +
                  (ec ? ec.message() : std::string("a file of that name exists")));
  }

  const std::size_t n_workers =
      std::min(files.size(), static_cast<std::size_t>(std::max(args.jobs, 1)));
  const std::size_t n_failed = process_all(files, args, n_workers);

  std::cout << "features: " << files.size() - n_failed << " written, " << n_failed << " failed"
            << std::endl;
  return n_failed == 0 ? 0 : 1;
}

}  // namespace dynemo::cli
