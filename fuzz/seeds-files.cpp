// Seeds of the sidecar and cache harnesses (seeds.h): the shipped model sidecars made small, and
// feature sidecars and cache files written by the library for the settings of fuzz-fixtures.h.
#include <filesystem>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "data/cache-store.h"
#include "dynemo/io.h"
#include "fuzz-fixtures.h"
#include "seeds.h"
#include "zip-fixtures.h"

namespace dynemo::fuzz {
namespace {

using Json = nlohmann::ordered_json;

// Arrays cut to their first 3 items, recursively: a sidecar of 2 KB with every field of the
// 30-60 KB original (normalisation statistics, columns and songs are long lists).
Json shrink(const Json& j) {
  if (j.is_array()) {
    Json out = Json::array();
    for (std::size_t i = 0; i < j.size() && i < 3; ++i) out.push_back(shrink(j[i]));
    return out;
  }
  if (j.is_object()) {
    Json out = Json::object();
    for (const auto& item : j.items()) out[item.key()] = shrink(item.value());
    return out;
  }
  return j;
}

void add_model_sidecars(const SeedWriter& seeds, const std::string& source_dir) {
  const std::filesystem::path models = std::filesystem::path(source_dir) / "models";
  for (const auto& entry : std::filesystem::directory_iterator(models)) {
    if (entry.path().extension() != ".json") continue;
    const Json small = shrink(Json::parse(read_text_file(entry.path().string(), "model sidecar")));
    const std::string name = entry.path().stem().string();
    seeds.add("model-sidecar", name, small.dump(1));
    Json bare = small;
    bare.erase("metrics");  // a model without cross-validation metrics
    seeds.add("model-sidecar", name + "-no-metrics", bare.dump());
  }
}

// Rows 0, 0.5, 1.0 s of the fuzz feature set, values i * 0.25.
FeatureMatrix small_table() {
  FeatureMatrix table;
  table.columns = feature_columns(kFuzzSpec);
  table.time_s = {0.0, 0.5, 1.0};
  for (std::size_t i = 0; i < table.time_s.size() * table.columns.size(); ++i) {
    table.values.push_back(0.25f * static_cast<float>(i % 7));
  }
  return table;
}

void add_feature_sidecars(const SeedWriter& seeds) {
  const FeatureMatrix table = small_table();
  const FeatureProvenance provenance = fuzz_feature_provenance();
  write_features_sidecar(seeds.path("feature-sidecar", "current.json"), table.columns, table.time_s,
                         provenance);
  FeatureProvenance other = provenance;
  other.audio_offset_s = 30.0;
  other.audio_duration_s = 10.0;
  other.format = "npy";
  write_features_sidecar(seeds.path("feature-sidecar", "other-range.json"), table.columns,
                         table.time_s, other);
}

void add_cache(const SeedWriter& seeds) {
  using namespace cache_detail;
  const FeatureMatrix table = small_table();
  const EntryKey key{0x0123456789abcdefULL, 0xfedcba9876543210ULL,
                     feature_hash(kFuzzSpec, FeatureConfig{})};
  const std::string entry = encode_entry("0", key, table);
  seeds.add("cache", "entry", "e" + entry);
  seeds.add("cache", "entry-cut", "e" + entry.substr(0, entry.size() / 2));
  const std::string index = index_json(kFuzzCacheDataset, kFuzzSpec, FeatureConfig{},
                                       {{"0", entry_file_name("0"), key.audio_hash, 3}});
  seeds.add("cache", "folder", "i" + join_parts({index, entry}));
  seeds.add("cache", "folder-no-entry", "i" + index);
}

}  // namespace

// Small weights archives as LibTorch lays them out (tests/zip-fixtures.h), one with a source
// that is not a declaration; the shipped .pt files are megabytes, past the harness's max_len.
void add_weights_archives(const SeedWriter& seeds) {
  seeds.add("weights-archive", "module", test::stored_zip(test::weights_archive_records()));
  seeds.add("weights-archive", "def",
            test::stored_zip(test::weights_archive_records(
                "class Module(Module):\n  def forward(self):\n    return 1\n")));
}

void add_file_seeds(const SeedWriter& seeds, const std::string& source_dir) {
  add_model_sidecars(seeds, source_dir);
  add_weights_archives(seeds);
  add_feature_sidecars(seeds);
  add_cache(seeds);
}

}  // namespace dynemo::fuzz
