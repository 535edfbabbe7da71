// TrainConfig: validation and the JSON form written into every run folder and model sidecar.
#include <algorithm>
#include <string>
#include <utility>

#include <nlohmann/json.hpp>

#include "common/json-int.h"
#include "dynemo/error.h"
#include "dynemo/settings.h"
#include "dynemo/train.h"
#include "models/model.h"

namespace dynemo {
namespace {

using Json = nlohmann::ordered_json;

[[noreturn]] void bad(const std::string& field, const std::string& value,
                      const std::string& expected) {
  throw ConfigError("train: " + field + "=" + value + " is invalid: expected " + expected);
}

}  // namespace

const std::vector<ModelFamily>& model_families() {
  static const std::vector<ModelFamily> families = [] {
    std::vector<ModelFamily> out;
    for (const models::ModelInfo& i : models::model_infos()) {
      out.push_back({i.pattern, i.example, i.description, i.reference});
    }
    return out;
  }();
  return families;
}

void validate(const TrainConfig& c) {
  if (c.loss != "mse" && c.loss != "ccc") bad("loss", c.loss, "mse or ccc");
  const std::pair<const char*, double> fields[] = {{"learning_rate", c.learning_rate},
                                                   {"batch_size", c.batch_size},
                                                   {"max_epochs", c.max_epochs},
                                                   {"patience", c.patience},
                                                   {"min_delta", c.min_delta},
                                                   {"validation_fraction", c.validation_fraction},
                                                   {"dropout", c.dropout},
                                                   {"weight_decay", c.weight_decay},
                                                   {"join_fraction", c.join_fraction},
                                                   {"pretrain_epochs", c.pretrain_epochs},
                                                   {"smoothing_frames", c.smoothing_frames},
                                                   {"seeds", c.seeds},
                                                   {"seed", c.seed},
                                                   {"threads", c.threads},
                                                   {"folds", c.folds}};
  for (const auto& [key, value] : fields) {
    const SettingRange& r = setting_range(train_config_ranges(), key);
    if (!r.contains(value)) {
      bad(key, number_text(value),
          r.text() + (std::string(key) == "threads" ? " (the cores of this machine)" : ""));
    }
  }
  if (c.ridge_alphas.empty()) bad("ridge_alphas", "[]", "at least one alpha > 0");
  for (double a : c.ridge_alphas) {
    if (!(a > 0)) bad("ridge_alphas", number_text(a), "alphas > 0");
  }
  if (!models::is_closed_form(c.model)) {
    models::ModelOptions probe;
    probe.n_features = 1;
    models::make_model(c.model, probe);  // throws ConfigError naming the problem
  }
}

std::string train_config_to_json(const TrainConfig& c) {
  Json j;
  j["model"] = c.model;
  j["loss"] = c.loss;
  j["optimizer"] = "rmsprop";
  j["learning_rate"] = c.learning_rate;
  j["batch_size"] = c.batch_size;
  j["max_epochs"] = c.max_epochs;
  j["patience"] = c.patience;
  j["min_delta"] = c.min_delta;
  j["validation_fraction"] = c.validation_fraction;
  j["dropout"] = c.dropout;
  j["weight_decay"] = c.weight_decay;
  j["join_fraction"] = c.join_fraction;
  j["per_dimension"] = c.per_dimension;
  j["teacher_forcing"] = c.teacher_forcing;
  j["pretrain_epochs"] = c.pretrain_epochs;
  j["ridge_alphas"] = c.ridge_alphas;
  j["smoothing_frames"] = c.smoothing_frames;
  j["seeds"] = c.seeds;
  j["seed"] = c.seed;
  j["threads"] = c.threads;
  j["folds"] = c.folds;
  return j.dump(2);
}

TrainConfig train_config_from_json(const std::string& json_text) {
  Json j;
  try {
    j = Json::parse(json_text);
  } catch (const Json::exception& e) {
    throw ConfigError(std::string("train config: not valid JSON: ") + e.what());
  }
  if (!j.is_object()) throw ConfigError("train config: expected a JSON object");
  TrainConfig c;
  for (const auto& [key, value] : j.items()) {
    try {
      if (key == "model")
        c.model = value.get<std::string>();
      else if (key == "loss")
        c.loss = value.get<std::string>();
      else if (key == "optimizer") {
        if (value.get<std::string>() != "rmsprop") bad(key, value.dump(), "\"rmsprop\"");
      } else if (key == "learning_rate")
        c.learning_rate = value.get<double>();
      else if (key == "batch_size")
        c.batch_size = json_int<int>(value, key);
      else if (key == "max_epochs")
        c.max_epochs = json_int<int>(value, key);
      else if (key == "patience")
        c.patience = json_int<int>(value, key);
      else if (key == "min_delta")
        c.min_delta = value.get<double>();
      else if (key == "validation_fraction")
        c.validation_fraction = value.get<double>();
      else if (key == "dropout")
        c.dropout = value.get<double>();
      else if (key == "weight_decay")
        c.weight_decay = value.get<double>();
      else if (key == "join_fraction")
        c.join_fraction = value.get<double>();
      else if (key == "per_dimension")
        c.per_dimension = value.get<bool>();
      else if (key == "teacher_forcing")
        c.teacher_forcing = value.get<bool>();
      else if (key == "pretrain_epochs")
        c.pretrain_epochs = json_int<int>(value, key);
      else if (key == "ridge_alphas")
        c.ridge_alphas = value.get<std::vector<double>>();
      else if (key == "smoothing_frames")
        c.smoothing_frames = json_int<int>(value, key);
      else if (key == "seeds")
        c.seeds = json_int<int>(value, key);
      else if (key == "seed")
        c.seed = json_int<unsigned>(value, key);
      else if (key == "threads")
        c.threads = json_int<int>(value, key);
      else if (key == "folds")
        c.folds = json_int<int>(value, key);
      else
        throw ConfigError("train config: unknown field '" + key + "'");
    } catch (const Json::exception&) {
      throw ConfigError("train config: field '" + key + "' has the wrong type or range (" +
                        value.dump() + ")");
    }
  }
  return c;
}

}  // namespace dynemo
