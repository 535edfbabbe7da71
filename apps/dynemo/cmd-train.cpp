// `dynemo train` and `dynemo cv`: load a dataset, make sure its features are cached, pair them
// with the ratings and train (on every song) or cross-validate one or more models. One progress
// line per epoch on stderr; `cv` prints the comparison table (Markdown) on stdout and writes it
// to OUT/comparison.md. The work is in the library (dynemo/train.h).
#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli.h"
#include "dynemo/cache.h"
#include "dynemo/error.h"
#include "dynemo/io.h"
#include "dynemo/train.h"

namespace dynemo::cli {
namespace {

using Json = nlohmann::ordered_json;

std::string read_text(const std::string& path) { return read_text_file(path, "file"); }

// The config file (if any) with every option given on the command line laid over it.
TrainConfig merged_config(const TrainArgs& args, const std::vector<std::string>& given) {
  if (args.config_file.empty()) return args.config;
  Json base;
  try {
    base = Json::parse(train_config_to_json(train_config_from_json(read_text(args.config_file))));
  } catch (const ConfigError& e) {
    throw ConfigError(args.config_file + ": " + e.what());
  }
  const Json cli = Json::parse(train_config_to_json(args.config));
  for (const ConfigOption& o : config_options("train")) {
    for (const std::string& g : given) {
      if (g == o.option) base[o.key] = cli.at(o.key);
    }
  }
  return train_config_from_json(base.dump());
}

SequenceSet load_sequences(const TrainArgs& args, const DatasetArgs& where) {
  const Dataset dataset = load_dataset(dataset_source(where));
  CacheOptions options;
  options.spec = args.spec;
  options.jobs = args.jobs;
  options.cache_dir = args.cache_dir;
  const CacheResult cache = build_cache_reporting(dataset, options);
  const CachedFeatures features =
      load_cached(cache_dir_or_default(args.cache_dir), dataset.name, args.spec);
  std::vector<std::string> skipped;
  SequenceSet data = build_sequences(dataset, features, &skipped);
  std::size_t frames = 0;
  for (const SongSequence& s : data.songs) frames += s.n_frames();
  std::cerr << "data: " << data.songs.size() << " songs, " << frames << " rated frames, "
            << data.n_features() << " features (" << args.spec << ")";
  if (!skipped.empty()) std::cerr << "; " << skipped.size() << " songs without features left out";
  std::cerr << std::endl;
  if (data.songs.size() < 2) {
    throw DataError(where.name + ": fewer than 2 songs have both ratings and features");
  }
  return data;
}

void print_progress(const TrainProgress& p) {
  char line[256];
  const std::string fold =
      p.n_folds > 0 ? "fold " + std::to_string(p.fold) + "/" + std::to_string(p.n_folds) : "all";
  if (p.stage == "train") {
    std::snprintf(line, sizeof line,
                  "%s %s member %d epoch %d/%d  train %.4f  val %.4f%s  %.0f s, ETA %.0f s",
                  p.model.c_str(), fold.c_str(), p.member + 1, p.epoch, p.max_epochs, p.train_loss,
                  p.val_loss, p.improved ? " *" : "  ", p.elapsed_s, p.eta_s);
  } else if (p.stage == "pretrain") {
    std::snprintf(line, sizeof line, "%s %s member %d pretrain epoch %d  loss %.4f  %.0f s",
                  p.model.c_str(), fold.c_str(), p.member + 1, p.epoch, p.train_loss, p.elapsed_s);
  } else if (p.stage == "resume") {
    std::snprintf(line, sizeof line, "%s %s member %d resumed after epoch %d", p.model.c_str(),
                  fold.c_str(), p.member + 1, p.epoch);
  } else {
    std::snprintf(line, sizeof line, "%s %s %s  train %.4f  val %.4f  %.0f s", p.model.c_str(),
                  fold.c_str(), p.stage.c_str(), p.train_loss, p.val_loss, p.elapsed_s);
  }
  std::cerr << line << std::endl;
}

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> out;
  std::string current;
  for (char c : text + ",") {
    if (c == ',') {
      if (!current.empty()) out.push_back(current);
      current.clear();
    } else if (c != ' ') {
      current += c;
    }
  }
  return out;
}

}  // namespace

int run_train(const CliArgs& all) {
  const TrainArgs& args = all.train;
  TrainConfig config = merged_config(args, all.given);
  validate(config);
  const std::string cv_metrics =
      args.cv_run.empty() ? std::string() : read_text(args.cv_run + "/metrics.json");
  const SequenceSet data = load_sequences(args, all.dataset);
  train_all(data, config, args.output, print_progress, cv_metrics);
  std::cout << "model: " << args.output << "/model.pt + model.json (" << config.model << ", "
            << data.songs.size() << " songs)" << std::endl;
  return 0;
}

int run_cv(const CliArgs& all) {
  const TrainArgs& args = all.train;
  TrainConfig base = merged_config(args, all.given);
  Split folds;
  if (!args.split.empty()) {
    try {
      folds = split_from_json(read_text(args.split));
    } catch (const DataError& e) {
      throw DataError(args.split + ": " + e.what());
    }
    const auto n = static_cast<int>(folds.folds.size());
    if (folds.kind != "kfold") {
      throw ConfigError(args.split + ": a '" + folds.kind + "' split; cv takes a 'kfold' split");
    }
    if (std::find(all.given.begin(), all.given.end(), "--folds") == all.given.end()) {
      base.folds = n;
    } else if (base.folds != n) {
      throw ConfigError(args.split + ": " + std::to_string(n) + " folds, but --folds " +
                        std::to_string(base.folds));
    }
  }
  std::vector<std::string> names = split_list(args.models.empty() ? base.model : args.models);
  // The reference rows of every table: a linear model and the training mean.
  for (const char* reference : {"RIDGE", "MEAN"}) {
    bool present = false;
    for (const std::string& n : names) present = present || n == reference;
    if (!present) names.push_back(reference);
  }
  for (const std::string& name : names) {
    TrainConfig c = base;
    c.model = name;
    validate(c);
  }
  const SequenceSet data = load_sequences(args, all.dataset);
  std::vector<CvResult> results;
  for (const std::string& name : names) {
    TrainConfig c = base;
    c.model = name;
    results.push_back(cross_validate(data, c, args.output + "/" + name, print_progress,
                                     args.split.empty() ? nullptr : &folds));
  }
  const std::string table = "# " + std::to_string(base.folds) + "-fold cross-validation by song, " +
                            data.dataset + ", " + std::to_string(data.songs.size()) +
                            " songs, features " + data.spec + "\n\n" + comparison_markdown(results);
  write_file_atomic(args.output + "/comparison.md", table);
  std::cout << table;
  return 0;
}

}  // namespace dynemo::cli
