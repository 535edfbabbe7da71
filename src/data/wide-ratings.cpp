// DEAM's wide annotation layout, shared by DEAM and emoMusic (loaders.h): one row per song,
// one column per 0.5 s, header `song_id,sample_15000ms,sample_15500ms,...`.
#include <cmath>
#include <cstdint>
#include <limits>
#include <map>

#include "csv.h"
#include "dynemo/error.h"
#include "loaders.h"

namespace dynemo::data {
namespace {

// One dimension's file: times of its columns and each song's values (NaN = empty cell).
struct WideFile {
  std::vector<std::int64_t> time_ms;
  std::vector<std::string> ids;
  std::vector<std::vector<double>> values;   // [song][column]
  std::map<std::string, std::size_t> index;  // id -> position in ids
  std::size_t n_empty = 0;
};

// "sample_15000ms" -> 15000; -1 for anything else.
std::int64_t sample_ms(const std::string& name) {
  const std::string prefix = "sample_", suffix = "ms";
  if (name.size() <= prefix.size() + suffix.size() || name.compare(0, prefix.size(), prefix) != 0 ||
      name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0) {
    return -1;
  }
  const std::string digits =
      name.substr(prefix.size(), name.size() - prefix.size() - suffix.size());
  if (digits.size() > 12 || digits.find_first_not_of("0123456789") != std::string::npos) return -1;
  return std::stoll(digits);
}

WideFile read_wide(const std::string& path) {
  const CsvTable table = read_csv(path);
  WideFile file;
  if (table.header.size() < 2) {
    throw DataError(path + ":1: expected a header song_id,sample_<ms>ms,..., got " +
                    std::to_string(table.header.size()) + " column");
  }
  for (std::size_t c = 1; c < table.header.size(); ++c) {
    const std::int64_t ms = sample_ms(table.header[c]);
    if (ms < 0) {
      throw DataError(path + ":1:" + std::to_string(c + 1) + ": column '" + table.header[c] +
                      "' is not sample_<ms>ms");
    }
    if (!file.time_ms.empty() && ms <= file.time_ms.back()) {
      throw DataError(path + ":1:" + std::to_string(c + 1) + ": column '" + table.header[c] +
                      "' does not come after '" + table.header[c - 1] + "' (times must increase)");
    }
    file.time_ms.push_back(ms);
  }
  const double empty = std::numeric_limits<double>::quiet_NaN();
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const std::string& id = table.text(r, 0, "a song id");
    if (!file.index.emplace(id, file.ids.size()).second) {
      throw DataError(table.where(r, 0) + ": song " + id + " appears twice (first on line " +
                      std::to_string(table.line[file.index[id]]) + ")");
    }
    file.ids.push_back(id);
    std::vector<double> values(file.time_ms.size(), empty);
    for (std::size_t c = 1; c < table.header.size(); ++c) {
      if (const auto value = table.number_or_empty(r, c)) {
        values[c - 1] = *value;
      } else {
        ++file.n_empty;
      }
    }
    file.values.push_back(std::move(values));
  }
  return file;
}

}  // namespace

std::vector<AnnotatedSong> read_wide_ratings(const std::string& arousal_csv,
                                             const std::string& valence_csv,
                                             DatasetReport& report) {
  const WideFile arousal = read_wide(arousal_csv);
  const WideFile valence = read_wide(valence_csv);
  report.n_empty_cells += arousal.n_empty + valence.n_empty;

  std::vector<AnnotatedSong> songs;
  std::vector<std::string> arousal_only, valence_only, no_pair;
  std::size_t n_one_dimension = 0;  // times rated in one dimension only
  for (std::size_t s = 0; s < arousal.ids.size(); ++s) {
    const std::string& id = arousal.ids[s];
    const auto v = valence.index.find(id);
    if (v == valence.index.end()) {
      arousal_only.push_back(id);
      continue;
    }
    const std::vector<double>& a_values = arousal.values[s];
    const std::vector<double>& v_values = valence.values[v->second];
    AnnotatedSong song;
    song.song_id = id;
    // Merge the two (increasing) column times; keep a time where both have a value.
    std::size_t i = 0, j = 0;
    while (i < arousal.time_ms.size() || j < valence.time_ms.size()) {
      const bool take_a = i < arousal.time_ms.size() &&
                          (j == valence.time_ms.size() || arousal.time_ms[i] <= valence.time_ms[j]);
      const bool take_v = j < valence.time_ms.size() &&
                          (i == arousal.time_ms.size() || valence.time_ms[j] <= arousal.time_ms[i]);
      const bool has_a = take_a && !std::isnan(a_values[i]);
      const bool has_v = take_v && !std::isnan(v_values[j]);
      if (has_a && has_v) {
        song.time_s.push_back(static_cast<double>(arousal.time_ms[i]) / 1000.0);
        song.arousal.push_back(a_values[i]);
        song.valence.push_back(v_values[j]);
      } else if (has_a || has_v) {
        ++n_one_dimension;
      }
      if (take_a) ++i;
      if (take_v) ++j;
    }
    if (song.time_s.empty()) {
      no_pair.push_back(id);
      continue;
    }
    songs.push_back(std::move(song));
  }
  for (const std::string& id : valence.ids) {
    if (arousal.index.count(id) == 0) valence_only.push_back(id);
  }

  report.n_songs_dropped += arousal_only.size() + valence_only.size() + no_pair.size();
  if (!arousal_only.empty()) {
    report.notes.push_back(std::to_string(arousal_only.size()) + " songs in " + arousal_csv +
                           " but not in " + valence_csv + " dropped (" + list_some(arousal_only) +
                           ")");
  }
  if (!valence_only.empty()) {
    report.notes.push_back(std::to_string(valence_only.size()) + " songs in " + valence_csv +
                           " but not in " + arousal_csv + " dropped (" + list_some(valence_only) +
                           ")");
  }
  if (!no_pair.empty()) {
    report.notes.push_back(std::to_string(no_pair.size()) +
                           " songs without a time rated in both dimensions dropped (" +
                           list_some(no_pair) + ")");
  }
  if (n_one_dimension > 0) {
    report.notes.push_back(std::to_string(n_one_dimension) +
                           " ratings present in one dimension only skipped");
  }
  return songs;
}

}  // namespace dynemo::data
