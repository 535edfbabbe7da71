// emoMusic ("1000 Songs for Emotional Analysis of Music", the 2013 part of DEAM):
//   annotations/{arousal,valence}_cont_average.csv   DEAM's wide layout (loaders.h), 15-45 s
//   annotations/{arousal,valence}_cont_std.csv       optional, same layout: the annotators'
//                                                    standard deviations (AnnotatedSong::*_std)
//   annotations/static_annotations.csv               optional, whole-song ratings 1..9
//                                                    (song_id,mean_arousal,std_arousal,
//                                                    mean_valence,std_valence)
//   annotations/songs_info.csv                       optional; its "Mediaeval 2013 set" column
//                                                    (development/evaluation) fills
//                                                    Dataset::official_set
//   clips_45seconds/<id>.mp3 (official layout) or clips_45s/<id>.mp3 (../shared/data layout),
//   the 45 s clips the ratings refer to: audio offset 0 s. Scale [-1, 1].
#include <map>

#include "csv.h"
#include "dynemo/error.h"
#include "loaders.h"

namespace dynemo::data {
namespace {

const char* const kSetColumn = "Mediaeval 2013 set";

// Dataset::official_set for the loaded songs, from songs_info.csv.
void read_official_sets(const std::string& path, Dataset& dataset) {
  const CsvTable table = read_csv(path);
  const std::size_t id_column = table.column("song_id");
  const auto set_column = table.find_column(kSetColumn);
  if (!set_column) {
    dataset.report.notes.push_back(path + " has no column '" + kSetColumn + "': no official split");
    return;
  }
  std::map<std::string, std::string> sets;
  for (std::size_t r = 0; r < table.rows.size(); ++r) {
    const std::string& id = table.text(r, id_column, "a song id");
    const std::string& set = table.text(r, *set_column, "development or evaluation");
    if (set != "development" && set != "evaluation") {
      throw DataError(table.where(r, *set_column) + ": '" + set +
                      "' is not a MediaEval 2013 set, expected development or evaluation");
    }
    sets[id] = set;
  }
  std::vector<std::string> missing;
  for (const AnnotatedSong& song : dataset.songs) {
    const auto found = sets.find(song.song_id);
    if (found == sets.end()) {
      missing.push_back(song.song_id);
    } else {
      dataset.official_set[song.song_id] = found->second;
    }
  }
  if (!missing.empty()) {
    dataset.report.notes.push_back(std::to_string(missing.size()) + " songs not in " + path +
                                   ", so in no official set (" + list_some(missing) + ")");
  }
}

}  // namespace

Dataset load_emomusic(const DatasetSource& source) {
  require_root(source);
  const std::string annotations = join_path(source.root, "annotations");
  const std::string arousal = join_path(annotations, "arousal_cont_average.csv");
  const std::string valence = join_path(annotations, "valence_cont_average.csv");
  if (!is_file(arousal) && !is_file(valence)) {
    throw DataError("emomusic: no annotations under " + source.root +
                    ": expected annotations/arousal_cont_average.csv");
  }
  Dataset dataset;
  dataset.root = source.root;
  dataset.scale_min = -1.0;
  dataset.scale_max = 1.0;

  std::string audio_dir = join_path(source.root, "clips_45seconds");
  if (is_directory(audio_dir)) {
    dataset.report.layout = "emoMusic official (clips_45seconds/, offset 0 s)";
  } else if (audio_dir = join_path(source.root, "clips_45s"); is_directory(audio_dir)) {
    dataset.report.layout = "emoMusic shared copy (clips_45s/, offset 0 s)";
  } else {
    audio_dir.clear();
    dataset.report.layout = "emoMusic annotations only (neither clips_45seconds/ nor clips_45s/)";
  }
  dataset.songs = read_wide_ratings(arousal, valence, dataset.report);
  attach_audio(dataset.songs, audio_dir, ".mp3", 0.0);

  attach_wide_std(dataset, join_path(annotations, "arousal_cont_std.csv"),
                  join_path(annotations, "valence_cont_std.csv"));
  const std::string statics = join_path(annotations, "static_annotations.csv");
  if (is_file(statics)) {
    attach_static(dataset.songs, {statics}, {"song_id", "mean_arousal", "mean_valence"},
                  dataset.report);
  }

  const std::string info = join_path(annotations, "songs_info.csv");
  if (is_file(info)) {
    read_official_sets(info, dataset);
  } else {
    dataset.report.notes.push_back("no " + info + ": no official split");
  }
  return dataset;
}

}  // namespace dynemo::data
