// `dynemo features`: decode each input, extract the requested feature sets and write
// OUT/<path>.<csv|npy> with its sidecar OUT/<path>.json, named as `predict` names its outputs
// (dynemo/batch.h). Files are independent: a bad one is reported and listed in OUT/errors.log,
// the others go on; outputs already current are skipped (--force redoes them); the exit code
// says whether any failed.
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
#include "dynemo/batch.h"
#include "dynemo/error.h"
#include "dynemo/features.h"
#include "dynemo/file-features.h"
#include "dynemo/io.h"
#include "dynemo/runtime.h"

namespace dynemo::cli {
namespace {

namespace fs = std::filesystem;

FeatureProvenance provenance_of(const std::string& input, const FeaturesArgs& args) {
  FeatureProvenance p;
  p.input = input;
  p.spec = args.spec;
  p.config = args.config;
  p.format = args.format;
  p.audio_offset_s = args.audio_offset_s;
  p.audio_duration_s = args.audio_duration_s;
  return p;
}

std::string sidecar_of(const BatchItem& item) {
  return fs::path(item.output).replace_extension(".json").string();
}

// Decodes, extracts and writes one input (data file, then its sidecar) piece by piece, so that
// memory stays bounded whatever its length; returns the seconds of audio. Throws whatever the
// library throws; nothing is left at the output paths then.
double process_file(const BatchItem& item, const FeaturesArgs& args,
                    const std::vector<std::string>& columns) {
  AudioLoadOptions range;
  range.offset_s = args.audio_offset_s;
  range.duration_s = args.audio_duration_s;
  FeatureTableWriter table(item.output, args.format, columns);
  std::vector<double> times;
  const auto append = [&](const FeatureMatrix& rows) {
    FeatureMatrix out = rows;
    out.columns = columns;
    // The library counts from the first decoded sample; report times from the file start.
    for (double& t : out.time_s) t += args.audio_offset_s;
    times.insert(times.end(), out.time_s.begin(), out.time_s.end());
    table.append(out);
  };
  const double seconds =
      extract_file_features(item.input, args.spec, args.config, range, append).seconds;
  table.finish();
  write_features_sidecar(sidecar_of(item), columns, times, provenance_of(item.input, args));
  return seconds;
}

}  // namespace

int run_features(const CliArgs& cli_args) {
  const FeaturesArgs& args = cli_args.features;
  restart_with_huge_pages(command_line().argv);  // fresh 4 KiB pages: half a file's time
  reuse_large_buffers();  // file after file: the same spectrogram-sized buffers

  // Everything that would fail for every file is checked once, before any work.
  validate(args.config);
  parse_feature_spec(args.spec);
  const std::vector<std::string> columns =
      args.opensmile_names ? opensmile_columns(args.spec) : feature_columns(args.spec);
  const std::vector<BatchItem> items = plan_batch(args.inputs, args.output_dir, args.format);

  std::error_code ec;
  fs::create_directories(args.output_dir, ec);
  if (ec || !fs::is_directory(args.output_dir)) {
    throw IoError("cannot create output directory " + args.output_dir + ": " +
                  (ec ? ec.message() : std::string("a file of that name exists")));
  }

  BatchWork work;
  if (!args.force) {
    work.is_done = [&](const BatchItem& item) {
      return features_output_is_current(sidecar_of(item), item.output,
                                        provenance_of(item.input, args), columns);
    };
  }
  work.run = [&](const BatchItem& item) { return process_file(item, args, columns); };
  work.on_item = [](const BatchItem& item, const BatchFailure* failure, bool skipped) {
    if (failure) {
      std::cerr << "error: " << failure->message << std::endl;
    } else if (!skipped) {
      std::cout << "wrote " << item.output << std::endl;
    }
  };
  const BatchResult result = run_items(items, args.jobs, work, args.output_dir);
  return report_batch_end("features", "written", result, args.output_dir, true, std::cout);
}

}  // namespace dynemo::cli
