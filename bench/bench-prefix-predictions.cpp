// What a model would score if each window saw only the past: for every held-out song of a
// `dynemo cv` run, each window is predicted by its fold's model from that window and at most
// W - 1 windows before it (the last output of the model run over those windows), as a causal,
// bounded-past use of a whole-track model (LSTM_AT attends over the whole track) would predict
// it. Writes OUT/<song>.csv (time_s,arousal,valence) for `dynemo evaluate -p OUT`.
//
// Usage: bench-prefix-predictions RUN/MODEL OUT [W=20]
// The features come from the dataset cache of the run's spec (`dynemo cache` first).
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "dynemo/cache.h"
#include "dynemo/data.h"
#include "dynemo/io.h"
#include "dynemo/predict.h"

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: bench-prefix-predictions RUN/MODEL OUT [W=20]\n");
    return 2;
  }
  const std::string run = argv[1], out = argv[2];
  const std::size_t w = argc > 3 ? static_cast<std::size_t>(std::stoul(argv[3])) : 20;
  try {
    dynemo::set_model_threads(1);
    const dynemo::Split split =
        dynemo::split_from_json(dynemo::read_text_file(run + "/split.json", "split"));
    std::filesystem::create_directories(out);
    for (std::size_t k = 0; k < split.folds.size(); ++k) {
      dynemo::Predictor model(run + "/fold-" + std::to_string(k + 1) + "/model");
      const dynemo::CachedFeatures cached =
          dynemo::load_cached(dynemo::default_cache_dir(), model.card().dataset, model.card().spec,
                              model.card().config);
      for (const std::string& id : split.folds[k]) {
        const dynemo::FeatureMatrix& m = cached.songs.at(id);
        std::ostringstream csv;
        csv << "time_s,arousal,valence\n";
        for (std::size_t t = 0; t < m.n_rows(); ++t) {
          const std::size_t first = t + 1 > w ? t + 1 - w : 0;
          dynemo::FeatureMatrix past;
          past.columns = m.columns;
          past.time_s.assign(m.time_s.begin() + first, m.time_s.begin() + t + 1);
          past.values.assign(m.values.begin() + first * m.n_cols(),
                             m.values.begin() + (t + 1) * m.n_cols());
          const dynemo::TrackPrediction p = model.predict_features(past);
          char line[96];
          std::snprintf(line, sizeof line, "%.3f,%.7g,%.7g\n", m.time_s[t], p.arousal.back(),
                        p.valence.back());
          csv << line;
        }
        dynemo::write_file_atomic(out + "/" + id + ".csv", csv.str());
      }
      std::fprintf(stderr, "fold %zu/%zu done\n", k + 1, split.folds.size());
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench-prefix-predictions: %s\n", e.what());
    return 1;
  }
  return 0;
}
