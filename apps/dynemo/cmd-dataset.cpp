// `dynemo dataset info`: loads a dataset with the library's load_dataset and prints what it
// found: layout, audio offset, scale, counts of songs and frames, frames per song, songs
// without audio, songs with unreadable audio and ratings outside their audio, empty cells,
// dropped songs, songs with standard deviations and with static ratings, the official sets, the
// dataset's own features and the loader's notes.
#include <algorithm>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "cli.h"
#include "dynemo/data.h"

namespace dynemo::cli {
namespace {

std::string number(double value) {
  std::ostringstream out;
  out << std::setprecision(10) << value;
  return out.str();
}

// "30 s" when every song has the same offset, else "from 0 s to 30 s".
std::string offsets(const Dataset& dataset) {
  if (dataset.songs.empty()) return "-";
  double lo = dataset.songs.front().audio_offset_s, hi = lo;
  for (const AnnotatedSong& song : dataset.songs) {
    lo = std::min(lo, song.audio_offset_s);
    hi = std::max(hi, song.audio_offset_s);
  }
  if (lo == hi) return number(lo) + " s";
  return "from " + number(lo) + " s to " + number(hi) + " s (per song)";
}

std::string frames_per_song(const Dataset& dataset) {
  if (dataset.songs.empty()) return "-";
  std::vector<std::size_t> counts;
  for (const AnnotatedSong& song : dataset.songs) counts.push_back(song.time_s.size());
  std::sort(counts.begin(), counts.end());
  const std::size_t n = counts.size();
  const double median = n % 2 == 1 ? static_cast<double>(counts[n / 2])
                                   : 0.5 * static_cast<double>(counts[n / 2 - 1] + counts[n / 2]);
  return "min " + std::to_string(counts.front()) + ", median " + number(median) + ", max " +
         std::to_string(counts.back());
}

// "[15, 626.5] s" over all songs.
std::string time_range(const Dataset& dataset) {
  bool any = false;
  double lo = 0.0, hi = 0.0;
  for (const AnnotatedSong& song : dataset.songs) {
    if (song.time_s.empty()) continue;
    lo = any ? std::min(lo, song.time_s.front()) : song.time_s.front();
    hi = any ? std::max(hi, song.time_s.back()) : song.time_s.back();
    any = true;
  }
  return any ? number(lo) + " s to " + number(hi) + " s" : "-";
}

// "767 songs, 260 columns (ROOT/features/dynamic_features.csv)" or "none".
std::string dataset_features(const Dataset& dataset) {
  if (!has_dataset_features(dataset)) return "none";
  const std::map<std::string, FeatureMatrix> features = load_dataset_features(dataset);
  const std::size_t n_cols = features.empty() ? 0 : features.begin()->second.n_cols();
  return std::to_string(features.size()) + " songs, " + std::to_string(n_cols) + " columns (" +
         dataset_features_path(dataset) + ")";
}

// "767 of 767" songs with per-rating standard deviations.
std::string songs_with_std(const Dataset& dataset) {
  const auto n = std::count_if(dataset.songs.begin(), dataset.songs.end(),
                               [](const AnnotatedSong& s) { return !s.arousal_std.empty(); });
  return std::to_string(n) + " of " + std::to_string(dataset.songs.size());
}

// "1144 of 1144" songs with a static (whole-song) rating in either dimension.
std::string songs_with_static(const Dataset& dataset) {
  const auto n =
      std::count_if(dataset.songs.begin(), dataset.songs.end(), [](const AnnotatedSong& s) {
        return !std::isnan(s.static_arousal) || !std::isnan(s.static_valence);
      });
  return std::to_string(n) + " of " + std::to_string(dataset.songs.size());
}

}  // namespace

int run_dataset(const CliArgs& args) {
  const DatasetArgs& where = args.dataset;
  const Dataset dataset = load_dataset(dataset_source(where));
  const DatasetReport& report = dataset.report;

  const std::string layout = report.layout.empty() ? "-" : report.layout;
  const std::vector<std::string>& notes = report.notes;

  std::vector<std::pair<std::string, std::string>> rows = {
      {"dataset", dataset.name},
      {"root", dataset.root},
      {"layout", layout},
      {"audio offset", offsets(dataset)},
      {"scale", "[" + number(dataset.scale_min) + ", " + number(dataset.scale_max) + "]"},
      {"songs", std::to_string(report.n_songs)},
      {"frames", std::to_string(report.n_frames)},
      {"frames per song", frames_per_song(dataset)},
      {"rating times", time_range(dataset)},
      {"songs without audio", std::to_string(report.n_songs_without_audio)},
      {"unreadable audio", std::to_string(report.n_songs_unreadable_audio)},
      {"outside audio", std::to_string(report.n_ratings_outside_audio) +
                            " ratings without a whole 0.5 s window in their audio"},
      {"empty cells", std::to_string(report.n_empty_cells)},
      {"songs dropped", std::to_string(report.n_songs_dropped)},
      {"songs with std", songs_with_std(dataset)},
      {"static ratings", songs_with_static(dataset)},
  };
  if (!dataset.official_set.empty()) {
    std::map<std::string, std::size_t> sets;
    for (const auto& [id, set] : dataset.official_set) ++sets[set];
    std::string text;
    for (const auto& [set, count] : sets) {
      text += (text.empty() ? "" : ", ") + set + " " + std::to_string(count);
    }
    rows.emplace_back("official sets", text);
  }
  rows.emplace_back("dataset features", dataset_features(dataset));
  std::size_t width = 0;
  for (const auto& row : rows) width = std::max(width, row.first.size());
  for (const auto& [key, value] : rows) {
    std::cout << key << std::string(width - key.size() + 2, ' ') << value << '\n';
  }
  std::cout << "notes" << (notes.empty() ? std::string(width - 5 + 2, ' ') + "none" : "") << '\n';
  for (const std::string& note : notes) std::cout << "  - " << note << '\n';
  return 0;
}

}  // namespace dynemo::cli
