// Long annotation layout (PMEmo's dynamic_annotations.csv, custom datasets): one row per song
// and time (loaders.h: read_long_ratings).
#include <algorithm>
#include <map>
#include <numeric>

#include "csv.h"
#include "dynemo/error.h"
#include "loaders.h"

namespace dynemo::data {

std::vector<AnnotatedSong> read_long_ratings(const std::string& path, const LongColumns& columns) {
  const CsvTable table = read_csv(path);
  const std::size_t id_col = table.column(columns.song_id);
  const std::size_t time_col = table.column(columns.time_s);
  const std::size_t arousal_col = table.column(columns.arousal);
  const std::size_t valence_col = table.column(columns.valence);

  // Rows of each song, in order of first appearance.
  std::map<std::string, std::size_t> index;
  std::vector<std::vector<std::size_t>> song_rows;
  std::vector<AnnotatedSong> songs;
  std::vector<double> row_time(table.rows.size());
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const std::string& id = table.text(r, id_col, "a song id");
    row_time[r] = table.number(r, time_col, "a time in seconds");
    const auto [it, added] = index.emplace(id, songs.size());
    if (added) {
      songs.emplace_back().song_id = id;
      song_rows.emplace_back();
    }
    song_rows[it->second].push_back(r);
  }
  for (std::size_t s = 0; s < songs.size(); ++s) {
    std::vector<std::size_t>& rows = song_rows[s];
    std::stable_sort(rows.begin(), rows.end(),
                     [&](std::size_t a, std::size_t b) { return row_time[a] < row_time[b]; });
    AnnotatedSong& song = songs[s];
    for (std::size_t k = 0; k < rows.size(); ++k) {
      const std::size_t r = rows[k];
      if (k > 0 && row_time[r] == row_time[rows[k - 1]]) {
        throw DataError(table.where(r, time_col) + ": song " + song.song_id +
                        " is rated twice at " + format_number(row_time[r]) + " s (lines " +
                        std::to_string(table.line[rows[k - 1]]) + " and " +
                        std::to_string(table.line[r]) + ")");
      }
      song.time_s.push_back(row_time[r]);
      song.arousal.push_back(table.number(r, arousal_col, "an arousal rating"));
      song.valence.push_back(table.number(r, valence_col, "a valence rating"));
    }
  }
  return songs;
}

}  // namespace dynemo::data
