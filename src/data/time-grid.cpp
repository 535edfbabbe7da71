// The time grid: which ratings of a song have a whole audio window in its audio file, the feature
// configuration whose rows are exactly those windows, and the pairing of feature rows with
// ratings. Convention (data.h): the rating at t pairs with the window [t - a, t - a + window_s)
// of the audio file, a = song.audio_offset_s.
#include <cmath>
#include <cstddef>
#include <sstream>
#include <string>
#include <vector>

#include "dynemo/data.h"
#include "dynemo/error.h"

namespace dynemo {
namespace {

// Times and durations closer than this are equal (ratings are on a 0.5 s grid).
constexpr double kTimeTolerance_s = 1e-6;

// "44.5", "30", "10.03": shortest readable form of a time in seconds.
std::string seconds_text(double seconds) {
  std::ostringstream out;
  out.precision(10);
  out << seconds;
  return out.str();
}

std::string song_label(const AnnotatedSong& song) {
  return "song " + (song.song_id.empty() ? std::string("<no id>") : song.song_id);
}

void check_song(const AnnotatedSong& song) {
  if (song.arousal.size() != song.time_s.size() || song.valence.size() != song.time_s.size()) {
    throw DataError(song_label(song) + ": " + std::to_string(song.time_s.size()) + " times, " +
                    std::to_string(song.arousal.size()) + " arousal and " +
                    std::to_string(song.valence.size()) +
                    " valence values, expected one of each per time");
  }
  if (!std::isfinite(song.audio_offset_s)) {
    throw DataError(song_label(song) + ": audio offset " + seconds_text(song.audio_offset_s) +
                    " s, expected a finite value");
  }
  for (std::size_t i = 0; i < song.time_s.size(); ++i) {
    if (!std::isfinite(song.time_s[i]) || (i > 0 && !(song.time_s[i] > song.time_s[i - 1]))) {
      throw DataError(song_label(song) + ": rating time " + seconds_text(song.time_s[i]) +
                      " s at index " + std::to_string(i) + ", expected finite ascending times");
    }
  }
}

}  // namespace

SongGrid song_grid(const AnnotatedSong& song, double audio_duration_s, const FeatureConfig& base) {
  check_song(song);
  if (!std::isfinite(audio_duration_s) || audio_duration_s < 0.0) {
    throw ConfigError(song_label(song) + ": audio duration " + seconds_text(audio_duration_s) +
                      " s, expected a finite value >= 0");
  }
  validate(base);

  SongGrid grid;
  grid.config = base;
  bool first = true;
  for (std::size_t i = 0; i < song.time_s.size(); ++i) {
    const double start_s = song.time_s[i] - song.audio_offset_s;  // window start in the file
    const bool whole = start_s >= -kTimeTolerance_s &&
                       start_s + base.window_s <= audio_duration_s + kTimeTolerance_s;
    if (!whole) {
      ++grid.n_dropped;
      continue;
    }
    if (first) {
      // A start within the tolerance below 0 is 0: the extractor takes no negative offset.
      grid.config.offset_s = start_s < 0.0 ? 0.0 : start_s;
      first = false;
    }
    const double steps = (start_s - grid.config.offset_s) / base.hop_s;
    if (std::fabs(steps - std::round(steps)) * base.hop_s > kTimeTolerance_s) {
      throw DataError(song_label(song) + ": the rating at " + seconds_text(song.time_s[i]) +
                      " s (window start " + seconds_text(start_s) +
                      " s in the audio file) is not on the hop_s=" + seconds_text(base.hop_s) +
                      " grid that starts at " + seconds_text(grid.config.offset_s) + " s");
    }
    grid.rating_index.push_back(i);
  }
  return grid;
}

std::vector<std::size_t> match_rows(const AnnotatedSong& song, const SongGrid& grid,
                                    const FeatureMatrix& features) {
  std::vector<std::size_t> rows;
  rows.reserve(grid.rating_index.size());
  std::size_t row = 0;  // rows and kept ratings both ascend: one forward pass
  for (std::size_t i : grid.rating_index) {
    if (i >= song.time_s.size()) {
      throw DataError(song_label(song) + ": the grid names rating " + std::to_string(i) +
                      " but the song has " + std::to_string(song.time_s.size()) + " ratings");
    }
    const double start_s = song.time_s[i] - song.audio_offset_s;
    while (row < features.n_rows() && features.time_s[row] < start_s - kTimeTolerance_s) ++row;
    if (row == features.n_rows() || std::fabs(features.time_s[row] - start_s) > kTimeTolerance_s) {
      throw DataError(song_label(song) + ": " + std::to_string(grid.rating_index.size()) +
                      " ratings, " + std::to_string(features.n_rows()) + " windows: no window at " +
                      seconds_text(start_s) + " s (rating at " + seconds_text(song.time_s[i]) +
                      " s, audio offset " + seconds_text(song.audio_offset_s) + " s)");
    }
    rows.push_back(row);
  }
  return rows;
}

}  // namespace dynemo
