// PMEmo 2019: annotations/dynamic_annotations.csv in a long layout,
// `musicId,frameTime,Arousal(mean),Valence(mean)` (from 15.5 s, every 0.5 s, scale [0, 1]), and
// the choruses chorus/<id>.mp3 the ratings refer to (audio offset 0 s). The ../shared/data copy
// has no chorus/ folder: its songs load without audio.
#include "dynemo/error.h"
#include "loaders.h"

namespace dynemo::data {

Dataset load_pmemo(const DatasetSource& source) {
  require_root(source);
  const std::string annotations =
      join_path(join_path(source.root, "annotations"), "dynamic_annotations.csv");
  if (!is_file(annotations)) {
    throw DataError("pmemo: no annotations under " + source.root +
                    ": expected annotations/dynamic_annotations.csv");
  }
  Dataset dataset;
  dataset.root = source.root;
  dataset.scale_min = 0.0;
  dataset.scale_max = 1.0;
  std::string audio_dir = join_path(source.root, "chorus");
  if (is_directory(audio_dir)) {
    dataset.report.layout = "PMEmo official (chorus/, offset 0 s)";
  } else {
    audio_dir.clear();
    dataset.report.layout = "PMEmo annotations only (no chorus/ folder)";
  }
  dataset.songs =
      read_long_ratings(annotations, {"musicId", "frameTime", "Arousal(mean)", "Valence(mean)"});
  attach_audio(dataset.songs, audio_dir, ".mp3", 0.0);
  return dataset;
}

}  // namespace dynemo::data
