// Reading a feature cache: the folder for a setting, index.json (written here too, so its
// format lives in one file) and the entries it lists.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cache-store.h"
#include "dynemo/cache.h"
#include "dynemo/error.h"
#include "dynemo/version.h"

namespace dynemo {
namespace cache_detail {

namespace {
constexpr const char* kIndexKind = "dynemo.feature_cache";
constexpr int kIndexVersion = 1;
}  // namespace

std::string index_json(const std::string& dataset_name, const std::string& spec,
                       const FeatureConfig& config, const std::vector<IndexSong>& songs) {
  nlohmann::ordered_json doc;
  doc["kind"] = kIndexKind;
  doc["version"] = kIndexVersion;
  doc["dynemo_version"] = kVersion;
  doc["git_sha"] = kGitSha;
  doc["dataset"] = dataset_name;
  doc["spec"] = spec;
  doc["feature_hash"] = feature_hash(spec, config);
  doc["config"] = nlohmann::ordered_json::parse(feature_config_to_json(config));
  doc["columns"] = feature_columns(spec);
  nlohmann::ordered_json list = nlohmann::ordered_json::array();
  for (const IndexSong& song : songs) {
    nlohmann::ordered_json item;
    item["song_id"] = song.song_id;
    item["file"] = song.file;
    item["audio_hash"] = hex64(song.audio_hash);
    item["n_rows"] = song.n_rows;
    list.push_back(std::move(item));
  }
  doc["songs"] = std::move(list);
  return doc.dump(1) + "\n";
}

}  // namespace cache_detail

std::string default_cache_dir() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) {
    return std::string(xdg) + "/dynemo";
  }
  if (const char* home = std::getenv("HOME"); home && *home) {
    return std::string(home) + "/.cache/dynemo";
  }
  return ".dynemo-cache";
}

std::string cache_folder(const std::string& cache_dir, const std::string& dataset_name,
                         const std::string& spec, const FeatureConfig& config) {
  return (std::filesystem::path(cache_dir) / dataset_name / feature_hash(spec, config)).string();
}

CachedFeatures load_cached(const std::string& cache_dir, const std::string& dataset_name,
                           const std::string& spec, const FeatureConfig& config) {
  namespace fs = std::filesystem;
  using namespace cache_detail;

  CachedFeatures cached;
  cached.dir = cache_folder(cache_dir, dataset_name, spec, config);
  cached.spec = spec;
  cached.feature_hash = feature_hash(spec, config);
  cached.config = config;
  cached.columns = feature_columns(spec);

  const std::string index_path = (fs::path(cached.dir) / "index.json").string();
  std::ifstream in(index_path, std::ios::binary);
  if (!in) {
    throw IoError("no feature cache at " + index_path + " (dataset " + dataset_name + ", set " +
                  spec + "): run `dynemo cache` first");
  }
  std::ostringstream text;
  text << in.rdbuf();
  nlohmann::json doc;
  try {
    doc = nlohmann::json::parse(text.str());
  } catch (const nlohmann::json::exception& e) {
    throw IoError(index_path + ": invalid JSON: " + e.what());
  }

  try {
    // The version compared as JSON: converting a "version" like 1e300 to int would be undefined
    // behaviour (an index.json of fuzz/cache.cpp reaches it).
    if (doc.value("kind", "") != kIndexKind ||
        doc.value("version", nlohmann::json()) != kIndexVersion) {
      throw IoError(index_path + ": not a version " + std::to_string(kIndexVersion) +
                    " feature cache index");
    }
    if (doc.at("feature_hash").get<std::string>() != cached.feature_hash ||
        doc.at("columns").get<std::vector<std::string>>() != cached.columns) {
      throw IoError(index_path + ": made for feature hash " +
                    doc.at("feature_hash").get<std::string>() + ", expected " +
                    cached.feature_hash);
    }
    for (const nlohmann::json& item : doc.at("songs")) {
      const std::string song_id = item.at("song_id").get<std::string>();
      const std::string path = (fs::path(cached.dir) / item.at("file").get<std::string>()).string();
      EntryHeader header;
      FeatureMatrix features = read_entry(path, header);
      if (header.song_id != song_id || header.key.feature_hash != cached.feature_hash ||
          header.n_cols != cached.columns.size()) {
        throw IoError("cache entry " + path + ": holds song " + header.song_id + " with " +
                      std::to_string(header.n_cols) + " columns for feature hash " +
                      header.key.feature_hash + ", expected song " + song_id + " with " +
                      std::to_string(cached.columns.size()) + " columns for " +
                      cached.feature_hash);
      }
      features.columns = cached.columns;
      cached.audio_hash[song_id] = header.key.audio_hash;
      cached.songs.emplace(song_id, std::move(features));
    }
  } catch (const nlohmann::json::exception& e) {
    throw IoError(index_path + ": malformed index: " + e.what());
  }
  return cached;
}

}  // namespace dynemo
