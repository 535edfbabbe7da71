// The one option table of the dynemo CLI. Every subcommand and every option is a row here;
// add_commands turns the rows into CLI11 options, so `--help` always matches this file and
// prints each default (taken from the argument structs, which take them from the library).
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "cli.h"
#include "dynemo/data.h"
#include "dynemo/settings.h"

namespace dynemo::cli {
namespace {

// Where a parsed value goes.
using Target =
    std::variant<std::string*, std::vector<std::string>*, int*, unsigned*, double*, bool*>;

enum class Need { optional, required };

// A numeric option's range, checked on parsing and shown in --help. An option that sets a
// FeatureConfig / TrainConfig key takes the library's range for it (dynemo/settings.h).
using Range = std::optional<SettingRange>;
const Range kNoRange = std::nullopt;
const Range kLibraryRange = std::nullopt;

// --jobs: the batch engine's limit (dynemo/batch.h).
SettingRange jobs_range() { return {"jobs", 1.0, 256.0}; }

struct OptionRow {
  const char* command;  // subcommand(s) the option belongs to: "split" or "train,cv"
  const char* names;    // CLI11 name string; no leading dash = positional
  const char* help;
  Target (*target)(CliArgs&);  // the field the value is stored in
  Need need = Need::optional;
  Range range = kNoRange;
  std::vector<std::string> choices = {};  // allowed values, if a closed set
  const char* config_key = nullptr;       // FeatureConfig / TrainConfig JSON key it sets, if any
};

struct CommandRow {
  const char* name;
  const char* description;
  int (*run)(const CliArgs&);
};

const std::vector<CommandRow>& command_table() {
  static const std::vector<CommandRow> table = {
      {"features",
       "Extract per-window feature tables from audio files: OUT/<path>.<format> plus a JSON "
       "sidecar OUT/<path>.json recording how they were made (named as predict names its "
       "outputs), resumable, errors in OUT/errors.log.",
       run_features},
      {"list",
       "Print a registry: `dynemo list features` shows the feature sets (`--format markdown` "
       "writes docs/features.md).",
       run_list},
      {"dataset", "Describe a dataset: `dynemo dataset info --dataset deam --root DIR`.",
       run_dataset},
      {"evaluate",
       "Score prediction files (<song_id>.csv: time_s,arousal,valence[,arousal_sd,valence_sd]) "
       "against a dataset's annotations: every metric per dimension (with sds, their "
       "calibration), as a Markdown table and JSON.",
       run_evaluate},
      {"cache",
       "Extract a feature set for a whole dataset once (parallel, resumable, keyed by audio "
       "content and feature configuration).",
       run_cache},
      {"split",
       "Write a split of a dataset's songs (k-fold, official, MediaEval 2015, hold-out) as JSON.",
       run_split},
      {"train",
       "Train a model on every song of a dataset (features cached on first use): OUT/model.pt + "
       "model.json (sidecar), epochs.csv, config.json.",
       run_train},
      {"cv",
       "k-fold cross-validation by song of one or more models (--models A,B,...), with RIDGE and "
       "MEAN reference rows: OUT/<model>/ runs and OUT/comparison.md.",
       run_cv},
      {"blend",
       "One model of several trained ones, predicting the weighted mean of theirs: of model "
       "files, OUT.json (components copied beside it); of `dynemo cv` model folders made on "
       "the same split, OUT/ as a cv folder of the blend (fold blends, held-out predictions, "
       "metrics) whose metrics `--cv-run` puts in the blend of the final models.",
       run_blend},
      {"predict",
       "Arousal and valence every 500 ms for audio files or whole folders with a trained model: "
       "OUT/<path>.csv|json per track, a summary line per track, resumable.",
       run_predict},
      {"stream",
       "Live arousal and valence: raw PCM on standard input (or --input FILE) in, one line per "
       "500 ms window out as soon as it is ready, e.g. `ffmpeg -i song.mp3 -f s16le -ac 1 -ar "
       "44100 - | dynemo stream`.",
       run_stream},
      {"explain",
       "An HTML page explaining one track's prediction: curves with their ±1 sd band over the "
       "loudness, what moved them (loudness, rhythm, timbre, harmony, voice), the "
       "valence-arousal trajectory, the attention map, the chromagram.",
       run_explain},
      {"report",
       "An HTML page of a cross-validation run: predicted vs annotated curves, error "
       "histograms, the metrics table, attention maps.",
       run_report},
  };
  return table;
}

const std::vector<OptionRow>& option_table() {
  using A = CliArgs;
  static const std::vector<OptionRow> table = {
      // dynemo features
      {"features", "-s,--set",
       "Feature sets to extract, joined by ',' or '+' (e.g. spectral,cqt); see `dynemo list "
       "features`",
       [](A& a) -> Target { return &a.features.spec; }, Need::required},
      {"features", "inputs", "Audio files, or directories searched recursively for audio files",
       [](A& a) -> Target { return &a.features.inputs; }, Need::required},
      {"features", "-o,--output", "Output directory (created if missing)",
       [](A& a) -> Target { return &a.features.output_dir; }, Need::required},
      {"features",
       "-f,--format",
       "Feature file format",
       [](A& a) -> Target { return &a.features.format; },
       Need::optional,
       kNoRange,
       {"csv", "npy"}},
      {"features", "-j,--jobs", "Files processed in parallel",
       [](A& a) -> Target { return &a.features.jobs; }, Need::optional, jobs_range()},
      {"features",
       "--sample-rate",
       "Analysis sample rate in Hz; audio is resampled to it",
       [](A& a) -> Target { return &a.features.config.sample_rate_hz; },
       Need::optional,
       kLibraryRange,
       {},
       "sample_rate_hz"},
      {"features",
       "--window-s",
       "Summary window length in seconds",
       [](A& a) -> Target { return &a.features.config.window_s; },
       Need::optional,
       kLibraryRange,
       {},
       "window_s"},
      {"features",
       "--hop-s",
       "Step between summary windows in seconds",
       [](A& a) -> Target { return &a.features.config.hop_s; },
       Need::optional,
       kLibraryRange,
       {},
       "hop_s"},
      {"features",
       "--offset-s",
       "Start of the first summary window in the decoded audio (s)",
       [](A& a) -> Target { return &a.features.config.offset_s; },
       Need::optional,
       kLibraryRange,
       {},
       "offset_s"},
      {"features",
       "--n-fft",
       "STFT frame length in samples",
       [](A& a) -> Target { return &a.features.config.n_fft; },
       Need::optional,
       kLibraryRange,
       {},
       "n_fft"},
      {"features",
       "--hop-length",
       "STFT frame hop in samples",
       [](A& a) -> Target { return &a.features.config.hop_length; },
       Need::optional,
       kLibraryRange,
       {},
       "hop_length"},
      {"features", "--audio-offset-s",
       "Decode the audio from this time (s); output times still count from the file start",
       [](A& a) -> Target { return &a.features.audio_offset_s; }, Need::optional,
       SettingRange{"audio_offset_s", 0.0, 86400.0, false, false, "s"}},
      {"features", "--audio-duration-s", "Decode this many seconds of audio; -1 = to the end",
       [](A& a) -> Target { return &a.features.audio_duration_s; }, Need::optional,
       SettingRange{"audio_duration_s", -1.0, 86400.0, false, false, "s"}},
      {"features", "--force", "Extract files again even if their output is current",
       [](A& a) -> Target { return &a.features.force; }},
      {"features", "--opensmile-names",
       "Name columns as openSMILE does, without the set prefix (compare-lld, mediaeval2015, "
       "compare-lld-stats), to compare a file column by column with openSMILE's output",
       [](A& a) -> Target { return &a.features.opensmile_names; }},
      // dynemo dataset
      {"dataset",
       "what",
       "What to show",
       [](A& a) -> Target { return &a.dataset_info.what; },
       Need::required,
       kNoRange,
       {"info"}},
      // Where a dataset is: dataset, evaluate, cache, split, train, cv
      {"dataset,evaluate,cache,split,train,cv", "-d,--dataset",
       "Dataset (see `dynemo dataset info`)", [](A& a) -> Target { return &a.dataset.name; },
       Need::required, kNoRange, dataset_names()},
      {"dataset,evaluate,cache,split,train,cv", "-r,--root",
       "Dataset folder (official layout or the ../shared/data one)",
       [](A& a) -> Target { return &a.dataset.root; }},
      {"dataset,evaluate,cache,split,train,cv", "--manifest",
       "custom: CSV song_id,audio_path[,offset_s]",
       [](A& a) -> Target { return &a.dataset.manifest; }},
      {"dataset,evaluate,cache,split,train,cv", "--annotations",
       "custom: CSV song_id,time_s,arousal,valence",
       [](A& a) -> Target { return &a.dataset.annotations; }},
      // dynemo evaluate
      {"evaluate", "-p,--pred", "Folder of prediction files <song_id>.csv",
       [](A& a) -> Target { return &a.evaluate.pred_dir; }, Need::required},
      {"evaluate", "--split", "Split JSON (dynemo split): score only its test songs",
       [](A& a) -> Target { return &a.evaluate.split; }},
      {"evaluate", "--json", "Also write the JSON report to this file",
       [](A& a) -> Target { return &a.evaluate.json_output; }},
      // dynemo cache
      {"cache", "-s,--set", "Feature sets to cache (see `dynemo list features`)",
       [](A& a) -> Target { return &a.cache.spec; }},
      {"cache", "-c,--cache-dir",
       "Cache folder (default: $XDG_CACHE_HOME/dynemo or ~/.cache/dynemo)",
       [](A& a) -> Target { return &a.cache.cache_dir; }},
      {"cache", "-j,--jobs", "Songs processed in parallel",
       [](A& a) -> Target { return &a.cache.jobs; }, Need::optional, jobs_range()},
      // dynemo split
      {"split",
       "-k,--kind",
       "Split kind",
       [](A& a) -> Target { return &a.split.kind; },
       Need::optional,
       kNoRange,
       {"kfold", "official", "mediaeval2015", "holdout"}},
      {"split", "--folds", "kfold: number of folds", [](A& a) -> Target { return &a.split.k; },
       Need::optional, SettingRange{"folds", 2.0, 1000.0}},
      {"split", "--test-fraction", "holdout: fraction of songs held out",
       [](A& a) -> Target { return &a.split.test_fraction; }, Need::optional,
       SettingRange{"test_fraction", 0.0, 1.0, true, true}},
      {"split", "--seed", "Seed of the shuffle (kfold, holdout)",
       [](A& a) -> Target { return &a.split.seed; }, Need::optional,
       SettingRange{"seed", 0.0, 4294967295.0}},
      {"split", "-o,--output", "Where to write the split JSON",
       [](A& a) -> Target { return &a.split.output; }, Need::required},
      // dynemo train, dynemo cv
      {"train,cv", "-s,--set", "Feature sets (see `dynemo list features`), cached on first use",
       [](A& a) -> Target { return &a.train.spec; }},
      {"train,cv", "-c,--cache-dir", "Feature cache folder (default as `dynemo cache`)",
       [](A& a) -> Target { return &a.train.cache_dir; }},
      {"train,cv", "-j,--jobs", "Songs whose features are extracted in parallel",
       [](A& a) -> Target { return &a.train.jobs; }, Need::optional, jobs_range()},
      {"train,cv", "-o,--output", "Run folder (created; an interrupted run resumes in it)",
       [](A& a) -> Target { return &a.train.output; }, Need::required},
      {"train,cv", "--config", "Training config JSON (as config.json of a run); options win",
       [](A& a) -> Target { return &a.train.config_file; }},
      {"train,cv",
       "-m,--model",
       "Model name (see `dynemo list models`)",
       [](A& a) -> Target { return &a.train.config.model; },
       Need::optional,
       kLibraryRange,
       {},
       "model"},
      {"train", "--cv-run", "A `dynemo cv` folder of this model: its metrics go in the sidecar",
       [](A& a) -> Target { return &a.train.cv_run; }},
      {"cv", "--models", "Comma-separated model names compared in one table (default: --model)",
       [](A& a) -> Target { return &a.train.models; }},
      {"cv", "--split",
       "kfold split JSON (`dynemo split`, or split.json of another cv run) whose folds to use "
       "instead of drawing them with --seed",
       [](A& a) -> Target { return &a.train.split; }},
      {"train,cv",
       "--folds",
       "cv: number of folds (by song)",
       [](A& a) -> Target { return &a.train.config.folds; },
       Need::optional,
       kLibraryRange,
       {},
       "folds"},
      {"train,cv",
       "--epochs",
       "Maximum training epochs",
       [](A& a) -> Target { return &a.train.config.max_epochs; },
       Need::optional,
       kLibraryRange,
       {},
       "max_epochs"},
      {"train,cv",
       "--patience",
       "Early stopping: epochs without a validation improvement",
       [](A& a) -> Target { return &a.train.config.patience; },
       Need::optional,
       kLibraryRange,
       {},
       "patience"},
      {"train,cv",
       "--batch-size",
       "Songs per training step",
       [](A& a) -> Target { return &a.train.config.batch_size; },
       Need::optional,
       kLibraryRange,
       {},
       "batch_size"},
      {"train,cv",
       "--lr",
       "RMSProp learning rate",
       [](A& a) -> Target { return &a.train.config.learning_rate; },
       Need::optional,
       kLibraryRange,
       {},
       "learning_rate"},
      {"train,cv",
       "--dropout",
       "Dropout between layers",
       [](A& a) -> Target { return &a.train.config.dropout; },
       Need::optional,
       kLibraryRange,
       {},
       "dropout"},
      {"train,cv",
       "--weight-decay",
       "L2 penalty",
       [](A& a) -> Target { return &a.train.config.weight_decay; },
       Need::optional,
       kLibraryRange,
       {},
       "weight_decay"},
      {"train,cv",
       "--join",
       "Share of training sequences made of two songs joined in time (0-1)",
       [](A& a) -> Target { return &a.train.config.join_fraction; },
       Need::optional,
       kLibraryRange,
       {},
       "join_fraction"},
      {"train,cv",
       "--loss",
       "Training loss",
       [](A& a) -> Target { return &a.train.config.loss; },
       Need::optional,
       kLibraryRange,
       {"mse", "ccc"},
       "loss"},
      {"train,cv",
       "--per-dimension",
       "One model per dimension instead of a joint head",
       [](A& a) -> Target { return &a.train.config.per_dimension; },
       Need::optional,
       kLibraryRange,
       {},
       "per_dimension"},
      {"train,cv",
       "--smooth",
       "Triangle smoothing of the outputs over N frames (Ma et al.: 25)",
       [](A& a) -> Target { return &a.train.config.smoothing_frames; },
       Need::optional,
       kLibraryRange,
       {},
       "smoothing_frames"},
      {"train,cv",
       "--pretrain-epochs",
       "DLSTM: denoising-autoencoder epochs before training",
       [](A& a) -> Target { return &a.train.config.pretrain_epochs; },
       Need::optional,
       kLibraryRange,
       {},
       "pretrain_epochs"},
      {"train,cv",
       "--seeds",
       "Ensemble members per model (seed, seed+1, ...), averaged",
       [](A& a) -> Target { return &a.train.config.seeds; },
       Need::optional,
       kLibraryRange,
       {},
       "seeds"},
      {"train,cv",
       "--seed",
       "Seed of folds, data order and initialisation",
       [](A& a) -> Target { return &a.train.config.seed; },
       Need::optional,
       kLibraryRange,
       {},
       "seed"},
      {"train,cv",
       "--threads",
       "LibTorch threads",
       [](A& a) -> Target { return &a.train.config.threads; },
       Need::optional,
       kLibraryRange,
       {},
       "threads"},
      // dynemo blend
      {"blend", "inputs", "Model files (.json), or `dynemo cv` model folders (OUT/<model>)",
       [](A& a) -> Target { return &a.blend.inputs; }, Need::required},
      {"blend", "-o,--output", "The blend's model file, or with cv folders its folder",
       [](A& a) -> Target { return &a.blend.output; }, Need::required},
      {"blend", "-w,--weights",
       "Comma-separated weight per input, W for both outputs or A:V for arousal and valence "
       "apart (0 in one of them allowed), scaled to add up to 1 per output (default: equal)",
       [](A& a) -> Target { return &a.blend.weights; }},
      {"blend", "--cv-run",
       "A folder written by `dynemo blend` of cv folders of these models: "
       "its metrics (and the predictive sd) go in the blend",
       [](A& a) -> Target { return &a.blend.cv_run; }},
      {"blend", "-r,--root", "cv folders: the dataset folder, if not the one they record",
       [](A& a) -> Target { return &a.blend.root; }},
      // dynemo predict
      {"predict", "inputs", "Audio files, or directories searched recursively for audio files",
       [](A& a) -> Target { return &a.predict.inputs; }, Need::required},
      {"predict", "-o,--output", "Output directory (created if missing)",
       [](A& a) -> Target { return &a.predict.output_dir; }},
      {"predict", "-m,--model", "Model file (.pt with its .json); default: the shipped model",
       [](A& a) -> Target { return &a.predict.model; }},
      {"predict",
       "-f,--format",
       "Output format per track",
       [](A& a) -> Target { return &a.predict.format; },
       Need::optional,
       kNoRange,
       {"csv", "json"}},
      {"predict", "-j,--jobs", "Tracks processed in parallel",
       [](A& a) -> Target { return &a.predict.jobs; }, Need::optional, jobs_range()},
      {"predict", "--attention", "Also write the attention weights (attention models)",
       [](A& a) -> Target { return &a.predict.attention; }},
      {"predict", "--explain",
       "Also write why: each window's prediction split over loudness, rhythm, timbre, harmony "
       "and voice features (exact Shapley values; JSON \"attribution\", or "
       "<stem>.attribution.csv beside a CSV)",
       [](A& a) -> Target { return &a.predict.explain; }},
      {"predict", "--force", "Predict tracks again even if their output exists",
       [](A& a) -> Target { return &a.predict.force; }},
      // dynemo stream
      {"stream", "-i,--input", "Audio file to stream instead of raw PCM on standard input",
       [](A& a) -> Target { return &a.stream.input; }},
      {"stream", "-m,--model",
       "Model file (a causal context model); default: the shipped causal model",
       [](A& a) -> Target { return &a.stream.model; }},
      {"stream", "--sample-rate", "Sample rate of the PCM on standard input, Hz (8000-384000)",
       [](A& a) -> Target { return &a.stream.sample_rate_hz; }, Need::optional,
       SettingRange{"sample_rate_hz", 8000.0, 384000.0, false, false, "Hz"}},
      {"stream", "--channels",
       "Interleaved channels of the PCM on standard input (1-64, WAV order)",
       [](A& a) -> Target { return &a.stream.channels; }, Need::optional,
       SettingRange{"channels", 1.0, 64.0}},
      {"stream",
       "--sample-format",
       "Samples on standard input: s16 (signed 16-bit little-endian) or f32 (32-bit float)",
       [](A& a) -> Target { return &a.stream.sample_format; },
       Need::optional,
       kNoRange,
       {"s16", "f32"}},
      {"stream",
       "-f,--format",
       "Output lines: csv (provenance comments, then time_s,arousal,valence,arousal_sd,"
       "valence_sd) or jsonl",
       [](A& a) -> Target { return &a.stream.format; },
       Need::optional,
       kNoRange,
       {"csv", "jsonl"}},
      {"stream", "--realtime", "With --input: push the file at playback speed, like a live source",
       [](A& a) -> Target { return &a.stream.realtime; }},
      // dynemo explain
      {"explain", "input", "Audio file", [](A& a) -> Target { return &a.explain.input; },
       Need::required},
      {"explain", "-o,--output", "HTML file to write",
       [](A& a) -> Target { return &a.explain.output; }, Need::required},
      {"explain", "--png", "Also write each plot as a PNG into this folder",
       [](A& a) -> Target { return &a.explain.png_dir; }},
      {"explain", "-m,--model", "Model file; default: the shipped model",
       [](A& a) -> Target { return &a.explain.model; }},
      // dynemo report
      {"report", "run", "Run folder of one model written by `dynemo cv` (OUT/<model>)",
       [](A& a) -> Target { return &a.report.run_dir; }, Need::required},
      {"report", "-o,--output", "HTML file to write (default: RUN/report.html)",
       [](A& a) -> Target { return &a.report.output; }},
      {"report", "--songs", "Song ids to plot (default: the best, median and worst by RMSE)",
       [](A& a) -> Target { return &a.report.songs; }},
      {"report", "-r,--root", "Dataset folder, if not the one recorded in the run",
       [](A& a) -> Target { return &a.report.root; }},
      {"report", "-c,--cache-dir", "Feature cache folder (default as `dynemo cache`)",
       [](A& a) -> Target { return &a.report.cache_dir; }},
      // dynemo list
      {"list",
       "what",
       "Registry to print",
       [](A& a) -> Target { return &a.list.what; },
       Need::required,
       kNoRange,
       {"features", "models"}},
      {"list",
       "-f,--format",
       "Output format: an aligned text table, or the Markdown document of docs/features.md",
       [](A& a) -> Target { return &a.list.format; },
       Need::optional,
       kNoRange,
       {"text", "markdown"}},
  };
  return table;
}

// The range of a row: the library's for a config key, else the row's own.
Range range_of(const OptionRow& row) {
  if (row.config_key != nullptr) {
    for (const auto* ranges : {&feature_config_ranges(), &train_config_ranges()}) {
      for (const SettingRange& r : *ranges) {
        if (r.key == row.config_key) return r;
      }
    }
  }
  return row.range;
}

// A number check with a readable message ("must be in 0.01..60 s, got 1e+308"), shown in
// --help as "in 0.01..60 s". Text that is not a number is left to the conversion, which
// reports it.
CLI::Validator range_check(const SettingRange& range) {
  return CLI::Validator(
      [range](std::string& text) -> std::string {
        double value = 0.0;
        if (!CLI::detail::lexical_cast(text, value)) return std::string();
        if (range.contains(value)) return std::string();
        return "must be in " + range.text() + ", got " + number_text(value);
      },
      "in " + range.text());
}

bool applies_to(const OptionRow& row, const std::string& command) {
  for (const std::string& name : CLI::detail::split(row.command, ',')) {
    if (name == command) return true;
  }
  return false;
}

CLI::Option* add_row(CLI::App& command, const OptionRow& row, CliArgs& args) {
  const Target target = row.target(args);
  if (bool* const* flag = std::get_if<bool*>(&target)) {
    return command.add_flag(row.names, **flag, row.help);  // a switch: no value, no default
  }
  CLI::Option* option = std::visit(
      [&](auto* field) { return command.add_option(row.names, *field, row.help); }, target);
  // A required option has no default to show.
  if (row.need == Need::required) {
    option->required();
  } else {
    option->capture_default_str();
  }
  if (const Range range = range_of(row)) option->check(range_check(*range));
  if (!row.choices.empty()) option->check(CLI::IsMember(row.choices));
  return option;
}

}  // namespace

std::vector<ConfigOption> config_options(const std::string& command) {
  std::vector<ConfigOption> out;
  for (const OptionRow& row : option_table()) {
    if (row.config_key == nullptr || !applies_to(row, command)) continue;
    // The long name: the part of "-s,--set" that starts with "--".
    std::string option;
    for (const std::string& name : CLI::detail::split(row.names, ',')) {
      if (name.rfind("--", 0) == 0) option = name;
    }
    out.push_back({row.config_key, option, row.help});
  }
  return out;
}

std::vector<Command> add_commands(CLI::App& app, CliArgs& args) {
  std::vector<Command> commands;
  for (const CommandRow& row : command_table()) {
    CLI::App* command = app.add_subcommand(row.name, row.description);
    for (const OptionRow& option : option_table()) {
      if (applies_to(option, row.name)) add_row(*command, option, args);
    }
    commands.push_back({command, row.run});
  }
  return commands;
}

void record_given(const std::vector<Command>& commands, CliArgs& args) {
  for (const Command& command : commands) {
    if (!command.app->parsed()) continue;
    for (const CLI::Option* option : command.app->get_options()) {
      if (option->count() == 0) continue;
      for (const std::string& name : option->get_lnames()) args.given.push_back("--" + name);
    }
  }
}

}  // namespace dynemo::cli
