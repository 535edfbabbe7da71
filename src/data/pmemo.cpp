// PMEmo 2019: annotations/dynamic_annotations.csv in a long layout,
// `musicId,frameTime,Arousal(mean),Valence(mean)` (from 15.5 s, every 0.5 s, scale [0, 1]), and
// the choruses chorus/<id>.mp3 the ratings refer to (audio offset 0 s). The ../shared/data copy
// has no chorus/ folder: its songs load without audio. Optional: annotations/
// dynamic_annotations_std.csv (`musicId,frameTime,Arousal(std),Valence(std)`, the annotators'
// standard deviations) and annotations/static_annotations.csv (`musicId,Arousal(mean),
// Valence(mean)`, whole-song ratings in [0, 1]).
#include "dynemo/error.h"
#include "loaders.h"

namespace dynemo::data {

Dataset load_pmemo(const DatasetSource& source) {
  require_root(source);
  const std::string annotation_dir = join_path(source.root, "annotations");
  const std::string annotations = join_path(annotation_dir, "dynamic_annotations.csv");
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
  const std::string std_file = join_path(annotation_dir, "dynamic_annotations_std.csv");
  if (is_file(std_file)) {
    attach_std(
        dataset.songs,
        read_long_ratings(std_file, {"musicId", "frameTime", "Arousal(std)", "Valence(std)"}),
        std_file, dataset.report);
  }
  const std::string statics = join_path(annotation_dir, "static_annotations.csv");
  if (is_file(statics)) {
    attach_static(dataset.songs, {statics}, {"musicId", "Arousal(mean)", "Valence(mean)"},
                  dataset.report);
  }
  return dataset;
}

}  // namespace dynemo::data
