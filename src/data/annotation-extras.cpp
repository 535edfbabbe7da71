// What the datasets ship besides the averaged dynamic ratings (loaders.h): the annotators'
// standard deviations per rating (attach_std) and the whole-song static ratings
// (attach_static).
#include <cmath>
#include <limits>
#include <map>

#include "csv.h"
#include "dynemo/error.h"
#include "loaders.h"

namespace dynemo::data {
namespace {

// Ratings closer in time than this are the same rating (the grid is 0.5 s).
constexpr double kTimeTolerance_s = 1e-6;

}  // namespace

void attach_std(std::vector<AnnotatedSong>& songs, const std::vector<AnnotatedSong>& std_songs,
                const std::string& source, DatasetReport& report) {
  std::map<std::string, const AnnotatedSong*> by_id;
  for (const AnnotatedSong& s : std_songs) by_id.emplace(s.song_id, &s);
  std::vector<std::string> uncovered;
  for (AnnotatedSong& song : songs) {
    song.arousal_std.clear();
    song.valence_std.clear();
    const auto found = by_id.find(song.song_id);
    if (found == by_id.end()) {
      uncovered.push_back(song.song_id);
      continue;
    }
    const AnnotatedSong& std_song = *found->second;
    for (std::size_t k = 0; k < std_song.time_s.size(); ++k) {
      for (const double value : {std_song.arousal[k], std_song.valence[k]}) {
        if (value < 0.0) {
          throw DataError(source + ": song " + song.song_id + " at " +
                          format_number(std_song.time_s[k]) + " s: standard deviation " +
                          format_number(value) + ", expected a value >= 0");
        }
      }
    }
    // Both time lists ascend: one forward pass.
    std::vector<double> arousal_std, valence_std;
    std::size_t k = 0;
    for (const double t : song.time_s) {
      while (k < std_song.time_s.size() && std_song.time_s[k] < t - kTimeTolerance_s) ++k;
      if (k == std_song.time_s.size() || std::fabs(std_song.time_s[k] - t) > kTimeTolerance_s) {
        break;
      }
      arousal_std.push_back(std_song.arousal[k]);
      valence_std.push_back(std_song.valence[k]);
    }
    if (arousal_std.size() != song.time_s.size()) {
      uncovered.push_back(song.song_id);
      continue;
    }
    song.arousal_std = std::move(arousal_std);
    song.valence_std = std::move(valence_std);
  }
  if (!uncovered.empty()) {
    report.notes.push_back(std::to_string(uncovered.size()) + " of " +
                           std::to_string(songs.size()) + " songs have ratings without a " +
                           "standard deviation in " + source + ", so no std (" +
                           list_some(uncovered) + ")");
  }
}

void attach_static(std::vector<AnnotatedSong>& songs, const std::vector<std::string>& paths,
                   const StaticColumns& columns, DatasetReport& report) {
  struct Static {
    double arousal, valence;
    std::string where;  // FILE:LINE, for duplicates
  };
  std::map<std::string, Static> ratings;
  for (const std::string& path : paths) {
    const CsvTable table = read_csv(path);
    const std::size_t id_col = table.column(columns.song_id);
    const std::size_t arousal_col = table.column(columns.arousal);
    const std::size_t valence_col = table.column(columns.valence);
    const double none = std::numeric_limits<double>::quiet_NaN();
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
      const std::string& id = table.text(r, id_col, "a song id");
      const Static value{table.number_or_empty(r, arousal_col).value_or(none),
                         table.number_or_empty(r, valence_col).value_or(none),
                         path + ":" + std::to_string(table.line[r])};
      const auto [it, added] = ratings.emplace(id, value);
      if (!added) {
        throw DataError(table.where(r, id_col) + ": song " + id +
                        " has a second static rating (first at " + it->second.where + ")");
      }
    }
  }
  std::vector<std::string> missing;
  for (AnnotatedSong& song : songs) {
    const auto found = ratings.find(song.song_id);
    if (found == ratings.end()) {
      missing.push_back(song.song_id);
      continue;
    }
    song.static_arousal = found->second.arousal;
    song.static_valence = found->second.valence;
  }
  if (!missing.empty()) {
    std::string files;
    for (const std::string& path : paths) files += (files.empty() ? "" : ", ") + path;
    report.notes.push_back(std::to_string(missing.size()) + " of " + std::to_string(songs.size()) +
                           " songs have no static rating in " + files + " (" + list_some(missing) +
                           ")");
  }
}

void attach_wide_std(Dataset& dataset, const std::string& arousal_std,
                     const std::string& valence_std) {
  if (is_file(arousal_std) && is_file(valence_std)) {
    DatasetReport scratch;  // the std files' own drops show as songs without std
    attach_std(dataset.songs, read_wide_ratings(arousal_std, valence_std, scratch),
               arousal_std + " and " + valence_std, dataset.report);
  } else if (is_file(arousal_std) || is_file(valence_std)) {
    dataset.report.notes.push_back("only one of " + arousal_std + " and " + valence_std +
                                   " exists: no standard deviations");
  }
}

}  // namespace dynemo::data
