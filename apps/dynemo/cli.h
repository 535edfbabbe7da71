// The dynemo command line: parsed arguments, the option table that fills them, and one run
// function per subcommand. Private to apps/dynemo.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "dynemo/batch.h"
#include "dynemo/cache.h"
#include "dynemo/data.h"
#include "dynemo/features.h"
#include "dynemo/train.h"

namespace dynemo::cli {

// `dynemo features`: extract feature tables from audio files.
struct FeaturesArgs {
  std::string spec;                 // "spectral,cqt" or "spectral+cqt"
  std::vector<std::string> inputs;  // audio files and/or directories (walked recursively)
  std::string output_dir;           // one <stem>.<format> + <stem>.json per input
  std::string format = "csv";       // "csv" or "npy"
  int jobs = 1;                     // files processed in parallel
  FeatureConfig config;             // analysis settings, defaults from the library
  double audio_offset_s = 0.0;      // decode from here (times still count from file start)
  double audio_duration_s = -1.0;   // decode this much; < 0 = to the end
  bool opensmile_names = false;     // columns without the set prefix (openSMILE-based sets only)
  bool force = false;               // redo files whose output is already current
};

// `dynemo list <what>`: print a registry.
struct ListArgs {
  std::string what;             // "features"
  std::string format = "text";  // "text" (aligned table) or "markdown" (docs/features.md)
};

// Where a dataset is: one set of options (CliArgs::dataset) for every command that reads one
// (dataset, evaluate, cache, split, train, cv).
struct DatasetArgs {
  std::string name;         // deam, emomusic, pmemo, custom
  std::string root;         // dataset folder
  std::string manifest;     // custom: song_id,audio_path[,offset_s]
  std::string annotations;  // custom: song_id,time_s,arousal,valence
};

// The library's description of where a dataset is.
inline DatasetSource dataset_source(const DatasetArgs& a) {
  return DatasetSource{a.name, a.root, a.manifest, a.annotations};
}

// `dynemo dataset info`: what the loader found.
struct DatasetInfoArgs {
  std::string what = "info";
};

// `dynemo evaluate`: score prediction files against a dataset's annotations.
struct EvaluateArgs {
  std::string pred_dir;     // <song_id>.csv with time_s,arousal,valence
  std::string split;        // optional split JSON: score its test songs only
  std::string json_output;  // optional: write the full JSON report here too
};

// `dynemo cache`: extract a feature set for a whole dataset once.
struct CacheArgs {
  std::string spec = "spectral";
  std::string cache_dir;  // default: <root>/.dynemo-cache
  int jobs = 1;
  FeatureConfig config;
};

// `dynemo split`: write a split of a dataset's songs as JSON.
struct SplitArgs {
  std::string kind = "kfold";  // kfold, official, mediaeval2015, holdout
  int k = 10;
  double test_fraction = 0.2;
  int seed = 1;
  std::string output;
};

// `dynemo train` and `dynemo cv`: train on a dataset's cached features.
struct TrainArgs {
  std::string spec = "spectral";  // feature sets (cached on first use)
  std::string cache_dir;          // default: default_cache_dir()
  int jobs = 1;                   // feature extraction in parallel
  std::string config_file;        // TrainConfig JSON; options given on the command line win
  std::string models;             // cv: comma-separated model names (else config.model)
  std::string output;             // run folder
  std::string cv_run;  // train: a `dynemo cv` model folder whose metrics go in the sidecar
  std::string split;   // cv: a kfold split JSON whose folds replace the seeded draw
  TrainConfig config;  // bound to the options; defaults from the library
};

// `dynemo predict`: arousal and valence of audio files with a trained model.
struct PredictArgs {
  std::vector<std::string> inputs;  // files and/or directories (walked recursively)
  std::string output_dir = "predictions";
  std::string model;           // default: default_model_path()
  std::string format = "csv";  // "csv" or "json"
  int jobs = 1;
  bool attention = false;  // add the attention weights
  bool explain = false;    // add the attributions to musical feature groups
  bool force = false;      // redo tracks whose output exists
};

// `dynemo stream`: live predictions from raw PCM on stdin or from an audio file.
struct StreamArgs {
  std::string input;                  // audio file; empty: raw PCM on standard input
  std::string model;                  // default: default_model_path()
  double sample_rate_hz = 44100.0;    // of the PCM on stdin
  int channels = 1;                   // of the PCM on stdin (interleaved)
  std::string sample_format = "s16";  // s16 (little-endian) or f32 (native float)
  std::string format = "csv";         // csv or jsonl
  bool realtime = false;              // --input: push the file at playback speed
};

// `dynemo explain`: an HTML page (and optionally PNGs) explaining one track's prediction.
struct ExplainArgs {
  std::string input;    // audio file
  std::string output;   // report.html
  std::string png_dir;  // optional: separate PNG images
  std::string model;    // default: default_model_path()
};

// `dynemo report`: an HTML page of a cross-validation run.
struct ReportArgs {
  std::string run_dir;             // a `dynemo cv` model folder (OUT/<model>)
  std::string output;              // default: <run_dir>/report.html
  std::vector<std::string> songs;  // songs to plot (default: best, median and worst)
  std::string root;                // dataset folder, if not the one in config.json
  std::string cache_dir;           // feature cache (attention maps), default as `cache`
};

// `dynemo blend`: one model of several, predicting the weighted mean of theirs.
struct BlendArgs {
  std::vector<std::string> inputs;  // model files, or `dynemo cv` model folders (all one kind)
  std::string output;               // the blend's model file (or, of cv folders, its folder)
  std::string weights;              // comma-separated, one per input; default: equal
  std::string cv_run;               // a blended cv folder whose metrics go in the sidecar
  std::string root;                 // cv folders: dataset folder, if not the one they record
};

struct CliArgs {
  std::vector<std::string> given;  // long names of the options given on the command line
  DatasetArgs dataset;             // the dataset of dataset, evaluate, cache, split, train, cv
  FeaturesArgs features;
  ListArgs list;
  DatasetInfoArgs dataset_info;
  EvaluateArgs evaluate;
  CacheArgs cache;
  SplitArgs split;
  TrainArgs train;
  PredictArgs predict;
  StreamArgs stream;
  ExplainArgs explain;
  ReportArgs report;
  BlendArgs blend;
};

// Subcommands. Each returns the process exit code; library errors propagate as exceptions.
int run_features(const CliArgs& args);
int run_list(const CliArgs& args);
int run_dataset(const CliArgs& args);
int run_evaluate(const CliArgs& args);
int run_cache(const CliArgs& args);
int run_split(const CliArgs& args);
int run_train(const CliArgs& args);
int run_cv(const CliArgs& args);
int run_predict(const CliArgs& args);
int run_stream(const CliArgs& args);
int run_explain(const CliArgs& args);
int run_report(const CliArgs& args);
int run_blend(const CliArgs& args);
int run_list_models(const CliArgs& args);  // `list models`

// The process's command line, kept by main() for the commands the light binary hands over to
// dynemo-ml (ml-exec.cpp).
struct CommandLine {
  int argc = 0;
  char** argv = nullptr;
};
void set_command_line(int argc, char** argv);
const CommandLine& command_line();

// Adds every subcommand of the table to `app`, each with its options bound to `args`.
// Returns the subcommands in table order with the run function of each.
struct Command {
  CLI::App* app;
  int (*run)(const CliArgs&);
};
std::vector<Command> add_commands(CLI::App& app, CliArgs& args);

// The `dynemo features` option that sets a FeatureConfig field, from the option table.
struct ConfigOption {
  std::string key;     // the field's name in the config JSON ("sample_rate_hz")
  std::string option;  // its long option ("--sample-rate")
  std::string help;    // its help text
};
// Every option row of `command` that sets a config field (FeatureConfig for "features",
// TrainConfig for "train"), in table order.
std::vector<ConfigOption> config_options(const std::string& command = "features");

// Records in args.given the long name of every option of the parsed subcommand that was given.
void record_given(const std::vector<Command>& commands, CliArgs& args);

// The cache folder given, or the library's default_cache_dir().
inline std::string cache_dir_or_default(const std::string& dir) {
  return dir.empty() ? default_cache_dir() : dir;
}

// build_cache with the progress bar, the skipped and failed songs on stderr and the summary line
// on stdout (what `dynemo cache` prints). An empty options.cache_dir means the default.
CacheResult build_cache_reporting(const Dataset& dataset, CacheOptions options);

// Prints the end of a batch command: on stderr the failures unless already printed, why it
// stopped early, whether errors.log could not be written; on `summary` "<command>: N
// <done_word>, M skipped, K failed[, L not attempted]". Returns the exit code: 0 when every
// input was done or skipped, else 1.
int report_batch_end(const std::string& command, const char* done_word, const BatchResult& result,
                     const std::string& output_dir, bool failures_already_printed,
                     std::ostream& summary);

}  // namespace dynemo::cli
