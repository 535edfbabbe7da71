// The datasets' own openSMILE features as a feature set (data.h: load_dataset_features):
//   DEAM   <root>/features/<song_id>.csv, ';'-separated, `frameTime;<names>`, a row per 0.5 s;
//   PMEmo  <root>/features/dynamic_features.csv, ',' long table `musicId,frameTime,<names>`.
// frameTime is seconds from the clip start, the clock of the annotations, so rows pair with
// ratings by time directly (match_dataset_feature_rows).
#include <algorithm>
#include <cfloat>
#include <cmath>
#include <set>

#include "csv.h"
#include "dynemo/data.h"
#include "dynemo/error.h"
#include "loaders.h"

namespace dynemo {
namespace {

using data::CsvTable;

constexpr double kTimeTolerance_s = 1e-6;
constexpr const char* kTimeColumn = "frameTime";
constexpr const char* kPmemoIdColumn = "musicId";

// The feature columns of a table: every header cell but the key columns, named
// "<dataset>.<cell>". A trailing empty header cell (a separator at the end of each line) is
// ignored; any other empty name is a DataError.
struct FeatureColumns {
  std::vector<std::size_t> index;
  std::vector<std::string> names;
};

FeatureColumns feature_columns_of(const CsvTable& table, const std::vector<std::size_t>& keys,
                                  const std::string& dataset) {
  FeatureColumns columns;
  const std::size_t n = table.header.size();
  for (std::size_t c = 0; c < n; ++c) {
    if (std::find(keys.begin(), keys.end(), c) != keys.end()) continue;
    if (table.header[c].empty()) {
      if (c + 1 == n) break;
      throw DataError(table.path + ":1:" + std::to_string(c + 1) +
                      ": empty column name in the header");
    }
    columns.index.push_back(c);
    columns.names.push_back(dataset + "." + table.header[c]);
  }
  if (columns.index.empty()) {
    throw DataError(table.path + ":1: no feature columns in the header, only the keys");
  }
  return columns;
}

// Rows `rows` of `table` (all of one song) as a matrix sorted by time. Throws DataError for a
// time twice, an empty or non-finite cell, or a value outside the float range.
FeatureMatrix song_matrix(const CsvTable& table, std::vector<std::size_t> rows,
                          const std::vector<double>& row_time, std::size_t time_col,
                          const FeatureColumns& columns, const std::string& song_id) {
  std::stable_sort(rows.begin(), rows.end(),
                   [&](std::size_t a, std::size_t b) { return row_time[a] < row_time[b]; });
  FeatureMatrix matrix;
  matrix.columns = columns.names;
  matrix.time_s.reserve(rows.size());
  matrix.values.reserve(rows.size() * columns.index.size());
  for (std::size_t k = 0; k < rows.size(); ++k) {
    const std::size_t r = rows[k];
    if (k > 0 && row_time[r] == row_time[rows[k - 1]]) {
      throw DataError(table.where(r, time_col) + ": song " + song_id + " has two rows at " +
                      data::format_number(row_time[r]) + " s (lines " +
                      std::to_string(table.line[rows[k - 1]]) + " and " +
                      std::to_string(table.line[r]) + ")");
    }
    matrix.time_s.push_back(row_time[r]);
    for (const std::size_t c : columns.index) {
      const double value = table.number(r, c, "a feature value");
      if (std::fabs(value) > FLT_MAX) {
        throw DataError(table.where(r, c) + ": '" + table.rows[r][c] +
                        "' is outside the float range");
      }
      matrix.values.push_back(static_cast<float>(value));
    }
  }
  return matrix;
}

// The time of every row (DataError for an empty or non-numeric cell).
std::vector<double> row_times(const CsvTable& table, std::size_t time_col) {
  std::vector<double> times(table.rows.size());
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    times[r] = table.number(r, time_col, "a time in seconds");
  }
  return times;
}

std::string deam_file(const std::string& dir, const std::string& song_id) {
  return data::join_path(dir, song_id + ".csv");
}

std::map<std::string, FeatureMatrix> load_deam_features(const Dataset& dataset,
                                                        const std::string& dir) {
  std::map<std::string, FeatureMatrix> features;
  std::string first_song, first_path;
  for (const AnnotatedSong& song : dataset.songs) {
    const std::string path = deam_file(dir, song.song_id);
    if (!data::is_file(path)) continue;
    const CsvTable table = data::read_csv(path, ';');
    const std::size_t time_col = table.column(kTimeColumn);
    const FeatureColumns columns = feature_columns_of(table, {time_col}, dataset.name);
    if (!features.empty()) {
      const std::vector<std::string>& expected = features.begin()->second.columns;
      if (columns.names != expected) {
        std::string detail;
        if (columns.names.size() != expected.size()) {
          detail = std::to_string(columns.names.size()) + " feature columns, song " + first_song +
                   " (" + first_path + ") has " + std::to_string(expected.size());
        } else {
          const auto [mine, theirs] =
              std::mismatch(columns.names.begin(), columns.names.end(), expected.begin());
          const std::size_t k = static_cast<std::size_t>(mine - columns.names.begin());
          detail = "feature column " + std::to_string(k + 1) + " is '" + *mine + "', song " +
                   first_song + " (" + first_path + ") has '" + *theirs + "'";
        }
        throw DataError(path + ":1: song " + song.song_id + " has other columns than song " +
                        first_song + ": " + detail);
      }
    } else {
      first_song = song.song_id;
      first_path = path;
    }
    std::vector<std::size_t> rows(table.rows.size());
    for (std::size_t r = 0; r < rows.size(); ++r) rows[r] = r;
    features[song.song_id] =
        song_matrix(table, rows, row_times(table, time_col), time_col, columns, song.song_id);
  }
  if (features.empty()) {
    std::string example = dataset.songs.empty()
                              ? ""
                              : " (e.g. " + deam_file(dir, dataset.songs.front().song_id) + ")";
    throw ConfigError(dataset.name + ": no dataset features: looked for " + dir +
                      "/<song_id>.csv for the " + std::to_string(dataset.songs.size()) + " songs" +
                      example + ", none exists");
  }
  return features;
}

std::map<std::string, FeatureMatrix> load_pmemo_features(const Dataset& dataset,
                                                         const std::string& path) {
  if (!data::is_file(path)) {
    throw ConfigError(dataset.name + ": no dataset features: " + path + " does not exist");
  }
  const CsvTable table = data::read_csv(path, ',');
  const std::size_t id_col = table.column(kPmemoIdColumn);
  const std::size_t time_col = table.column(kTimeColumn);
  const FeatureColumns columns = feature_columns_of(table, {id_col, time_col}, dataset.name);
  const std::vector<double> times = row_times(table, time_col);

  std::map<std::string, std::vector<std::size_t>> song_rows;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    song_rows[table.text(r, id_col, "a song id")].push_back(r);
  }
  std::set<std::string> wanted;
  for (const AnnotatedSong& song : dataset.songs) wanted.insert(song.song_id);
  std::map<std::string, FeatureMatrix> features;
  for (const auto& [id, rows] : song_rows) {
    // Every song is checked; the songs of the dataset are kept.
    FeatureMatrix matrix = song_matrix(table, rows, times, time_col, columns, id);
    if (wanted.count(id) != 0) features.emplace(id, std::move(matrix));
  }
  return features;
}

}  // namespace

std::string dataset_features_path(const Dataset& dataset) {
  if (dataset.name == "deam") return data::join_path(dataset.root, "features");
  if (dataset.name == "pmemo") {
    return data::join_path(data::join_path(dataset.root, "features"), "dynamic_features.csv");
  }
  return "";
}

bool has_dataset_features(const Dataset& dataset) {
  const std::string path = dataset_features_path(dataset);
  if (dataset.name == "pmemo") return data::is_file(path);
  if (dataset.name != "deam" || !data::is_directory(path)) return false;
  return std::any_of(dataset.songs.begin(), dataset.songs.end(), [&](const AnnotatedSong& song) {
    return data::is_file(deam_file(path, song.song_id));
  });
}

std::map<std::string, FeatureMatrix> load_dataset_features(const Dataset& dataset) {
  const std::string path = dataset_features_path(dataset);
  if (dataset.name == "deam") return load_deam_features(dataset, path);
  if (dataset.name == "pmemo") return load_pmemo_features(dataset, path);
  throw ConfigError("dataset '" + dataset.name +
                    "' has no feature files of its own: only deam (<root>/features/<song_id>.csv) "
                    "and pmemo (<root>/features/dynamic_features.csv) have them");
}

std::vector<std::ptrdiff_t> match_dataset_feature_rows(const AnnotatedSong& song,
                                                       const FeatureMatrix& features,
                                                       std::size_t* n_missing) {
  std::vector<std::ptrdiff_t> index(song.time_s.size(), -1);
  std::size_t missing = 0;
  const std::vector<double>& rows = features.time_s;
  for (std::size_t i = 0; i < song.time_s.size(); ++i) {
    const double t = song.time_s[i];
    const auto it = std::lower_bound(rows.begin(), rows.end(), t - kTimeTolerance_s);
    if (it != rows.end() && std::fabs(*it - t) <= kTimeTolerance_s) {
      index[i] = it - rows.begin();
    } else {
      ++missing;
    }
  }
  if (n_missing != nullptr) *n_missing = missing;
  return index;
}

}  // namespace dynemo
