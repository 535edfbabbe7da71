// `dynemo evaluate`: score prediction files <pred>/<song_id>.csv against a dataset's annotations
// (the test songs of --split, or every song), print the Markdown table and optionally write the
// JSON report. Exit 1 when no song could be scored. The work is in the library (evaluation.h).
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>

#include "cli.h"
#include "dynemo/audio.h"
#include "dynemo/data.h"
#include "dynemo/error.h"
#include "dynemo/evaluation.h"
#include "dynemo/io.h"

namespace dynemo::cli {
namespace {

std::string read_text(const std::string& path) { return read_text_file(path, "split file"); }

}  // namespace

int run_evaluate(const CliArgs& all) {
  const EvaluateArgs& args = all.evaluate;
  const Dataset dataset = load_dataset(dataset_source(all.dataset));

  std::unique_ptr<Split> split;
  if (!args.split.empty()) {
    try {
      split = std::make_unique<Split>(split_from_json(read_text(args.split)));
    } catch (const DataError& e) {
      throw DataError(args.split + ": " + e.what());
    }
  }
  const EvaluationSongs songs = evaluation_songs(dataset, split.get());
  const std::map<std::string, SongPrediction> predictions =
      read_prediction_dir(args.pred_dir, songs.song_ids);
  const EvaluationReport report = evaluate_predictions(dataset, songs.song_ids, predictions,
                                                       audio_durations(dataset, predictions));

  std::vector<std::string> all_ids;
  for (const AnnotatedSong& s : dataset.songs) all_ids.push_back(s.song_id);
  const std::vector<std::string> foreign = foreign_prediction_files(args.pred_dir, all_ids);

  std::cout << evaluation_markdown(report);
  if (!songs.unknown.empty()) {
    std::cout << songs.unknown.size() << " songs of the split are not in the dataset (ignored)\n";
  }
  if (!foreign.empty()) {
    std::cout << foreign.size() << " prediction files name no song of " << dataset.name
              << " (ignored):";
    for (std::size_t i = 0; i < foreign.size() && i < 10; ++i) std::cout << ' ' << foreign[i];
    std::cout << (foreign.size() > 10 ? " ...\n" : "\n");
  }
  if (!args.json_output.empty()) {
    EvaluationProvenance provenance;
    provenance.dataset = dataset.name;
    provenance.dataset_root = dataset.root;
    provenance.predictions = args.pred_dir;
    provenance.split = args.split;
    provenance.split_kind = split ? split->kind : "";
    provenance.split_unknown = songs.unknown;
    provenance.foreign_files = foreign;
    write_file_atomic(args.json_output, evaluation_json(report, provenance));
  }
  if (!report.has_metrics) {
    std::cerr << "error: evaluate: no song could be scored (" << report.counts.n_songs
              << " songs asked for, " << report.counts.songs_missing.size()
              << " without a prediction file in " << args.pred_dir << ")\n";
    return 1;
  }
  return 0;
}

}  // namespace dynemo::cli
