// What a run folder and a model sidecar hold: JSON of metrics and configuration, prediction
// files. No LibTorch here.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dynemo/train.h"
#include "models/model-file.h"

namespace dynemo::train {

using Json = nlohmann::ordered_json;

Json metrics_json(const RunMetrics& m);

// Description of the data a run used: dataset, feature spec/hash/config/columns, song count.
Json data_json(const SequenceSet& data);

// The sidecar of a model trained on `data` with `config`: the data description, the
// normalisation, the training songs, metrics (may be null), this dynemo's version and git SHA.
models::ModelSidecar model_sidecar(const SequenceSet& data, const TrainConfig& config,
                                   const std::vector<float>& mean, const std::vector<float>& std,
                                   const std::vector<std::string>& training_songs,
                                   const Json& metrics, int best_epoch);

// predictions/<song_id>.csv for every song in `predictions` (window start times, in the audio
// file, as dynemo evaluate reads them), with the sd columns from `sd` ([T * 2] per song) when
// given. Each file written atomically.
void write_predictions(const std::string& dir, const SequenceSet& data,
                       const std::map<std::string, std::vector<float>>& predictions,
                       const std::map<std::string, std::vector<float>>* sd = nullptr);

// Creates `dir` and its parents; IoError naming it on failure.
void make_dirs(const std::string& dir);

}  // namespace dynemo::train
