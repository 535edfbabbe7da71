// `dynemo split`: load a dataset, split its songs (k-fold, official, MediaEval 2015, hold-out)
// and write the split as JSON (atomically), with a one-paragraph summary on stdout.
#include <filesystem>
#include <iostream>
#include <string>
#include <system_error>

#include "cli.h"
#include "dynemo/data.h"
#include "dynemo/error.h"
#include "dynemo/io.h"

namespace dynemo::cli {
namespace {

namespace fs = std::filesystem;

Split make_split(const Dataset& dataset, const SplitArgs& args) {
  if (args.kind == "kfold") {
    return kfold_split(dataset, static_cast<std::size_t>(args.k), static_cast<unsigned>(args.seed));
  }
  if (args.kind == "official") return official_split(dataset);
  if (args.kind == "mediaeval2015") return mediaeval2015_split(dataset);
  if (args.kind == "holdout") {
    return holdout_split(dataset, args.test_fraction, static_cast<unsigned>(args.seed));
  }
  throw ConfigError("dynemo split: unknown kind '" + args.kind +
                    "', expected kfold, official, mediaeval2015 or holdout");
}

// "kfold (seed 1): 3 folds of 4, 4, 3 songs (11 songs)" / "holdout (seed 1): 8 train, 2 test".
std::string summary(const Split& split) {
  std::string out = split.kind;
  if (split.kind == "kfold" || split.kind == "holdout") {
    out += " (seed " + std::to_string(split.seed) + ")";
  }
  out += ": ";
  if (split.kind == "kfold") {
    std::size_t total = 0;
    out += std::to_string(split.folds.size()) + " folds of ";
    for (std::size_t f = 0; f < split.folds.size(); ++f) {
      out += (f ? ", " : "") + std::to_string(split.folds[f].size());
      total += split.folds[f].size();
    }
    out += " songs (" + std::to_string(total) + " songs)";
  } else {
    out += std::to_string(split.train.size()) + " train, " + std::to_string(split.test.size()) +
           " test songs";
  }
  return out;
}

}  // namespace

int run_split(const CliArgs& all) {
  const SplitArgs& args = all.split;
  if (args.seed < 0)
    throw ConfigError("dynemo split: --seed " + std::to_string(args.seed) + ", expected >= 0");
  const Dataset dataset = load_dataset(dataset_source(all.dataset));
  const Split split = make_split(dataset, args);

  const fs::path output(args.output);
  if (output.has_parent_path()) {
    std::error_code ec;
    fs::create_directories(output.parent_path(), ec);
    if (ec) {
      throw IoError(output.parent_path().string() + ": cannot create the folder: " + ec.message());
    }
  }
  write_file_atomic(args.output, split_to_json(split));
  std::cout << "split: " << dataset.name << ", " << summary(split) << "\n"
            << "written: " << args.output << "\n";
  return 0;
}

}  // namespace dynemo::cli
