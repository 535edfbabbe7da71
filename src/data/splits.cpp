// Splits of a dataset's songs: seeded k-fold and hold-out, the official emoMusic sets and the
// MediaEval 2015 protocol, and their JSON form. Shuffles are our own Fisher-Yates over
// std::mt19937 draws (whose sequence the standard fixes), so a seed gives the same split with
// every standard library; std::shuffle and std::uniform_int_distribution are not portable.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "dynemo/data.h"
#include "dynemo/error.h"

namespace dynemo {
namespace {

using Json = nlohmann::ordered_json;

const char* const kKinds[] = {"kfold", "official", "mediaeval2015", "holdout"};

// The dataset's song ids in dataset order; DataError on an empty or repeated id.
std::vector<std::string> song_ids(const Dataset& dataset, const char* what) {
  std::vector<std::string> ids;
  std::set<std::string> seen;
  for (const AnnotatedSong& song : dataset.songs) {
    if (song.song_id.empty() || !seen.insert(song.song_id).second) {
      throw DataError(
          std::string(what) + ": dataset '" + dataset.name + "' has " +
          (song.song_id.empty() ? "an empty song id" : "song id '" + song.song_id + "' twice") +
          ", expected unique ids");
    }
    ids.push_back(song.song_id);
  }
  return ids;
}

// Uniform integer in [0, bound) from 32-bit mt19937 draws: mask to the next power of two and
// reject values >= bound (no modulo bias, no distribution object). bound in [1, 2^32].
std::uint32_t uniform_below(std::mt19937& generator, std::uint64_t bound) {
  std::uint64_t mask = bound - 1;
  for (int shift = 1; shift < 64; shift *= 2) mask |= mask >> shift;
  for (;;) {
    const std::uint64_t x = static_cast<std::uint64_t>(generator()) & mask;
    if (x < bound) return static_cast<std::uint32_t>(x);
  }
}

// Positions 0..n-1 in a seeded random order: Fisher-Yates, i from n-1 down to 1 swapping with a
// uniform j in [0, i].
std::vector<std::size_t> shuffled_positions(std::size_t n, unsigned seed) {
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  std::mt19937 generator(seed);
  for (std::size_t i = n; i-- > 1;) std::swap(order[i], order[uniform_below(generator, i + 1)]);
  return order;
}

// ids[positions], in dataset order (positions sorted), for readable split files.
std::vector<std::string> pick(const std::vector<std::string>& ids,
                              std::vector<std::size_t> positions) {
  std::sort(positions.begin(), positions.end());
  std::vector<std::string> out;
  out.reserve(positions.size());
  for (std::size_t p : positions) out.push_back(ids[p]);
  return out;
}

// A numeric song id ("1024") as a number; false for anything else ("a12", "", "12b").
bool numeric_id(const std::string& id, unsigned long& value) {
  if (id.empty() || id.size() > 9) return false;
  value = 0;
  for (char c : id) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + static_cast<unsigned long>(c - '0');
  }
  return true;
}

// --- JSON ----------------------------------------------------------------------------------

std::vector<std::string> id_list(const Json& value, const std::string& where) {
  if (!value.is_array()) throw DataError("split JSON: " + where + " is not an array of song ids");
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (!value[i].is_string() || value[i].get<std::string>().empty()) {
      throw DataError("split JSON: " + where + "[" + std::to_string(i) + "] is " + value[i].dump() +
                      ", expected a non-empty song id string");
    }
    ids.push_back(value[i].get<std::string>());
  }
  return ids;
}

const Json& member(const Json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end()) throw DataError(std::string("split JSON: missing key \"") + key + "\"");
  return *it;
}

// Each id once over all the lists; names the two places of a repeated one.
void check_disjoint(
    const std::vector<std::pair<std::string, const std::vector<std::string>*>>& lists) {
  std::map<std::string, std::string> where;
  for (const auto& [name, ids] : lists) {
    for (const std::string& id : *ids) {
      const auto [it, added] = where.emplace(id, name);
      if (!added) {
        throw DataError("split JSON: song '" + id + "' is in " + it->second + " and in " + name +
                        ", expected each song once");
      }
    }
  }
}

}  // namespace

Split kfold_split(const Dataset& dataset, std::size_t k, unsigned seed) {
  const std::vector<std::string> ids = song_ids(dataset, "kfold split");
  if (k < 2 || k > ids.size()) {
    throw ConfigError("kfold split: k=" + std::to_string(k) + " folds for the " +
                      std::to_string(ids.size()) + " songs of dataset '" + dataset.name +
                      "', expected 2 <= k <= the number of songs");
  }
  const std::vector<std::size_t> order = shuffled_positions(ids.size(), seed);
  std::vector<std::vector<std::size_t>> positions(k);
  for (std::size_t i = 0; i < order.size(); ++i) positions[i % k].push_back(order[i]);
  Split split;
  split.kind = "kfold";
  split.seed = seed;
  for (const std::vector<std::size_t>& fold : positions) split.folds.push_back(pick(ids, fold));
  return split;
}

Split official_split(const Dataset& dataset) {
  if (dataset.official_set.empty()) {
    throw ConfigError("official split: dataset '" + dataset.name +
                      "' defines no official development/evaluation sets (emoMusic does)");
  }
  Split split;
  split.kind = "official";
  for (const std::string& id : song_ids(dataset, "official split")) {
    const auto it = dataset.official_set.find(id);
    if (it == dataset.official_set.end()) continue;  // a song outside both sets takes no part
    if (it->second == "development") {
      split.train.push_back(id);
    } else if (it->second == "evaluation") {
      split.test.push_back(id);
    } else {
      throw DataError("official split: song " + id + " is in set '" + it->second +
                      "', expected 'development' or 'evaluation'");
    }
  }
  if (split.train.empty() || split.test.empty()) {
    throw ConfigError("official split: " + std::to_string(split.train.size()) +
                      " development and " + std::to_string(split.test.size()) +
                      " evaluation songs in dataset '" + dataset.name +
                      "', expected at least one of each");
  }
  return split;
}

Split mediaeval2015_split(const Dataset& dataset) {
  Split split;
  split.kind = "mediaeval2015";
  for (const std::string& id : song_ids(dataset, "mediaeval2015 split")) {
    unsigned long value = 0;
    if (!numeric_id(id, value) || value == 0 || value > 2058) continue;  // not a DEAM 2015 id
    (value <= 2000 ? split.train : split.test).push_back(id);
  }
  if (split.train.empty() || split.test.empty()) {
    throw ConfigError("mediaeval2015 split: " + std::to_string(split.train.size()) +
                      " development songs (ids 1..2000) and " + std::to_string(split.test.size()) +
                      " test songs (ids 2001..2058) in dataset '" + dataset.name +
                      "', expected at least one of each");
  }
  return split;
}

Split holdout_split(const Dataset& dataset, double test_fraction, unsigned seed) {
  const std::vector<std::string> ids = song_ids(dataset, "holdout split");
  if (!(test_fraction > 0.0 && test_fraction < 1.0)) {
    throw ConfigError("holdout split: test fraction " + std::to_string(test_fraction) +
                      ", expected a value in (0, 1)");
  }
  if (ids.size() < 2) {
    throw ConfigError("holdout split: dataset '" + dataset.name + "' has " +
                      std::to_string(ids.size()) + " songs, expected at least 2");
  }
  const std::size_t n = ids.size();
  std::size_t n_test = static_cast<std::size_t>(std::llround(test_fraction * n));
  n_test = std::min(std::max<std::size_t>(n_test, 1), n - 1);
  const std::vector<std::size_t> order = shuffled_positions(n, seed);
  Split split;
  split.kind = "holdout";
  split.seed = seed;
  split.test = pick(ids, {order.begin(), order.begin() + n_test});
  split.train = pick(ids, {order.begin() + n_test, order.end()});
  return split;
}

std::string split_to_json(const Split& split) {
  Json json = Json::object();
  json["kind"] = split.kind;
  json["seed"] = split.seed;
  json["folds"] = split.folds;
  json["train"] = split.train;
  json["test"] = split.test;
  return json.dump(2) + "\n";
}

Split split_from_json(const std::string& json_text) {
  Json json;
  try {
    json = Json::parse(json_text);
  } catch (const Json::exception& e) {  // parse_error, and out_of_range for a number like 1e309
    throw DataError(std::string("split JSON: not valid JSON: ") + e.what());
  }
  if (!json.is_object()) throw DataError("split JSON: expected an object at the top level");
  for (const auto& item : json.items()) {
    if (item.key() != "kind" && item.key() != "seed" && item.key() != "folds" &&
        item.key() != "train" && item.key() != "test") {
      throw DataError("split JSON: unknown key \"" + item.key() +
                      "\", expected kind, seed, folds, train, test");
    }
  }
  Split split;
  const Json& kind = member(json, "kind");
  if (!kind.is_string()) throw DataError("split JSON: \"kind\" is not a string");
  split.kind = kind.get<std::string>();
  if (std::find(std::begin(kKinds), std::end(kKinds), split.kind) == std::end(kKinds)) {
    throw DataError("split JSON: kind '" + split.kind +
                    "', expected kfold, official, mediaeval2015 or holdout");
  }
  const Json& seed = member(json, "seed");
  if (!seed.is_number_unsigned() || seed.get<std::uint64_t>() > 0xffffffffull) {
    throw DataError("split JSON: seed " + seed.dump() + ", expected an integer in [0, 2^32)");
  }
  split.seed = static_cast<unsigned>(seed.get<std::uint64_t>());

  const Json& folds = member(json, "folds");
  if (!folds.is_array()) throw DataError("split JSON: \"folds\" is not an array of arrays");
  for (std::size_t f = 0; f < folds.size(); ++f) {
    split.folds.push_back(id_list(folds[f], "folds[" + std::to_string(f) + "]"));
  }
  split.train = id_list(member(json, "train"), "train");
  split.test = id_list(member(json, "test"), "test");

  std::vector<std::pair<std::string, const std::vector<std::string>*>> lists;
  if (split.kind == "kfold") {
    if (split.folds.size() < 2 || !split.train.empty() || !split.test.empty()) {
      throw DataError("split JSON: kfold with " + std::to_string(split.folds.size()) + " folds, " +
                      std::to_string(split.train.size()) + " train and " +
                      std::to_string(split.test.size()) +
                      " test songs, expected at least 2 folds and no train/test lists");
    }
    for (std::size_t f = 0; f < split.folds.size(); ++f) {
      if (split.folds[f].empty()) {
        throw DataError("split JSON: folds[" + std::to_string(f) + "] is empty");
      }
      lists.emplace_back("folds[" + std::to_string(f) + "]", &split.folds[f]);
    }
  } else {
    if (!split.folds.empty() || split.test.empty()) {
      throw DataError("split JSON: " + split.kind + " with " + std::to_string(split.folds.size()) +
                      " folds and " + std::to_string(split.test.size()) +
                      " test songs, expected no folds and at least one test song");
    }
    lists.emplace_back("train", &split.train);
    lists.emplace_back("test", &split.test);
  }
  check_disjoint(lists);
  return split;
}

}  // namespace dynemo
