// load_dataset: dispatch by dataset name, and the steps every loader shares (loaders.h).
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <functional>
#include <iomanip>
#include <map>
#include <sstream>
#include <system_error>

#include "dynemo/audio.h"
#include "dynemo/data.h"
#include "dynemo/error.h"
#include "loaders.h"

namespace dynemo {
namespace data {
namespace {

bool is_integer_id(const std::string& id) {
  return !id.empty() &&
         std::all_of(id.begin(), id.end(), [](unsigned char c) { return std::isdigit(c) != 0; });
}

// Numeric order of decimal strings of any length: leading zeros ignored, then shorter first.
bool numeric_less(const std::string& a, const std::string& b) {
  const std::size_t za = std::min(a.find_first_not_of('0'), a.size());
  const std::size_t zb = std::min(b.find_first_not_of('0'), b.size());
  const std::size_t la = a.size() - za, lb = b.size() - zb;
  if (la != lb) return la < lb;
  const int c = a.compare(za, la, b, zb, lb);
  return c != 0 ? c < 0 : a < b;
}

// Times closer than this are equal, and the rating window, as song_grid (time-grid.cpp) has them.
constexpr double kTimeTolerance_s = 1e-6;
constexpr double kWindow_s = 0.5;

// DatasetReport::n_ratings_outside_audio and n_songs_unreadable_audio from the audio headers.
void count_ratings_outside_audio(Dataset& dataset) {
  DatasetReport& report = dataset.report;
  report.n_ratings_outside_audio = 0;
  report.n_songs_unreadable_audio = 0;
  std::vector<std::string> unknown_length;
  for (const AnnotatedSong& song : dataset.songs) {
    if (song.audio_path.empty()) continue;
    AudioInfo info;
    try {
      info = probe_audio(song.audio_path);
    } catch (const AudioError& e) {
      ++report.n_songs_unreadable_audio;
      report.notes.push_back("song " + song.song_id + ": audio unreadable: " + e.what());
      continue;
    }
    if (info.n_frames < 0) {
      unknown_length.push_back(song.song_id);
      continue;
    }
    const double duration_s = info.duration_s();
    for (const double t : song.time_s) {
      const double start_s = t - song.audio_offset_s;
      const bool whole =
          start_s >= -kTimeTolerance_s && start_s + kWindow_s <= duration_s + kTimeTolerance_s;
      if (!whole) ++report.n_ratings_outside_audio;
    }
  }
  if (!unknown_length.empty()) {
    report.notes.push_back(std::to_string(unknown_length.size()) +
                           " songs' audio headers give no length, so their ratings are not "
                           "checked against the audio (" +
                           list_some(unknown_length) + ")");
  }
}

}  // namespace

void require_root(const DatasetSource& source) {
  if (source.root.empty()) {
    throw ConfigError(source.name + ": no dataset root given (--root DIR)");
  }
  if (!is_directory(source.root)) {
    throw ConfigError(source.name + ": dataset root '" + source.root + "' is not a directory");
  }
}

std::string join_path(const std::string& root, const std::string& relative) {
  return (std::filesystem::path(root) / relative).string();
}

bool is_file(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_regular_file(path, ec);
}

bool is_directory(const std::string& path) {
  std::error_code ec;
  return std::filesystem::is_directory(path, ec);
}

std::string format_number(double value) {
  std::ostringstream out;
  out << std::setprecision(10) << value;
  return out.str();
}

std::string list_some(const std::vector<std::string>& items, std::size_t max_shown) {
  std::string out;
  for (std::size_t i = 0; i < items.size() && i < max_shown; ++i) {
    out += (i == 0 ? "" : ", ") + items[i];
  }
  if (items.size() > max_shown) {
    out += " and " + std::to_string(items.size() - max_shown) + " more";
  }
  return out;
}

void attach_audio(std::vector<AnnotatedSong>& songs, const std::string& audio_dir,
                  const std::string& extension, double offset_s) {
  for (AnnotatedSong& song : songs) {
    song.audio_offset_s = offset_s;
    song.audio_path.clear();
    if (audio_dir.empty()) continue;
    const std::string path = join_path(audio_dir, song.song_id + extension);
    if (is_file(path)) song.audio_path = path;
  }
}

void finish_dataset(Dataset& dataset) {
  std::vector<AnnotatedSong>& songs = dataset.songs;
  const bool numeric = std::all_of(songs.begin(), songs.end(),
                                   [](const AnnotatedSong& s) { return is_integer_id(s.song_id); });
  std::sort(songs.begin(), songs.end(), [numeric](const AnnotatedSong& a, const AnnotatedSong& b) {
    return numeric ? numeric_less(a.song_id, b.song_id) : a.song_id < b.song_id;
  });

  DatasetReport& report = dataset.report;
  report.n_songs = songs.size();
  report.n_frames = 0;
  report.n_songs_without_audio = 0;
  std::vector<std::string> without_audio;
  std::size_t n_outside = 0;
  std::string first_outside;
  for (const AnnotatedSong& song : songs) {
    report.n_frames += song.time_s.size();
    if (song.audio_path.empty()) without_audio.push_back(song.song_id);
    for (std::size_t i = 0; i < song.time_s.size(); ++i) {
      for (const double value : {song.arousal[i], song.valence[i]}) {
        if (value >= dataset.scale_min && value <= dataset.scale_max) continue;
        if (n_outside++ == 0) {
          first_outside = "song " + song.song_id + " at " + format_number(song.time_s[i]) +
                          " s: " + format_number(value);
        }
      }
    }
  }
  report.n_songs_without_audio = without_audio.size();
  if (!without_audio.empty()) {
    report.notes.push_back(std::to_string(without_audio.size()) + " of " +
                           std::to_string(songs.size()) + " songs have no audio file (" +
                           list_some(without_audio) + ")");
  }
  if (n_outside > 0) {
    report.notes.push_back(std::to_string(n_outside) + " ratings outside the scale [" +
                           format_number(dataset.scale_min) + ", " +
                           format_number(dataset.scale_max) + "], first: " + first_outside);
  }
  count_ratings_outside_audio(dataset);
}

}  // namespace data

const std::vector<std::string>& dataset_names() {
  static const std::vector<std::string> names = {"deam", "emomusic", "pmemo", "custom"};
  return names;
}

Dataset load_dataset(const DatasetSource& source) {
  static const std::map<std::string, std::function<Dataset(const DatasetSource&)>> loaders = {
      {"deam", data::load_deam},
      {"emomusic", data::load_emomusic},
      {"pmemo", data::load_pmemo},
      {"custom", data::load_custom},
  };
  const auto loader = loaders.find(source.name);
  if (loader == loaders.end()) {
    std::string names;
    for (const std::string& name : dataset_names()) names += (names.empty() ? "" : ", ") + name;
    throw ConfigError("unknown dataset '" + source.name + "', expected one of: " + names);
  }
  Dataset dataset = loader->second(source);
  dataset.name = source.name;
  if (dataset.songs.empty()) {  // e.g. an annotation file with only its header
    throw DataError(
        source.name + ": no annotated song in " +
        (source.annotations.empty() ? "'" + source.root + "'" : "'" + source.annotations + "'") +
        ": the annotation files hold no ratings");
  }
  data::finish_dataset(dataset);
  return dataset;
}

}  // namespace dynemo
