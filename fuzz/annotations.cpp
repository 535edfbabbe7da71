// The annotation readers of the published datasets, through load_dataset on a dataset folder
// written from the input: DEAM (both layouts: wide ratings, std and static files), emoMusic (wide
// ratings, std, static, songs_info.csv) and PMEmo (long ratings, std, static); then the datasets'
// own feature files, where the layout has them (load_dataset_features: DEAM official
// features/<id>.csv, PMEmo features/dynamic_features.csv).
// Input: byte 0 picks the layout ('d' DEAM excerpts, 'D' DEAM official, 'e' emoMusic, 'p' PMEmo;
// any other byte by its value modulo 4); the rest is the layout's files in the order of layouts(),
// separated by "\n--8<--\n" lines (fuzz-common.h). Files the input does not reach are absent.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "dynemo/data.h"
#include "fuzz-common.h"

namespace {

struct Layout {
  char tag;
  const char* dataset;
  std::vector<std::string> files;  // relative to the dataset root
};

const std::vector<Layout>& layouts() {
  static const std::vector<Layout> all = {
      {'d',
       "deam",
       {"annotations/dynamic/arousal.csv", "annotations/dynamic/valence.csv",
        "annotations/dynamic/arousal_std.csv", "annotations/dynamic/valence_std.csv",
        "annotations/song_level/static_annotations_averaged_songs_1_2000.csv"}},
      {'D',
       "deam",
       {"annotations/annotations averaged per song/dynamic (per second annotations)/arousal.csv",
        "annotations/annotations averaged per song/dynamic (per second annotations)/valence.csv",
        "annotations/annotations averaged per song/song_level/"
        "static_annotations_averaged_songs_2000_2058.csv",
        "features/2001.csv", "features/2002.csv"}},
      {'e',
       "emomusic",
       {"annotations/arousal_cont_average.csv", "annotations/valence_cont_average.csv",
        "annotations/arousal_cont_std.csv", "annotations/valence_cont_std.csv",
        "annotations/static_annotations.csv", "annotations/songs_info.csv"}},
      {'p',
       "pmemo",
       {"annotations/dynamic_annotations.csv", "annotations/dynamic_annotations_std.csv",
        "annotations/static_annotations.csv", "features/dynamic_features.csv"}},
  };
  return all;
}

const Layout& pick(std::uint8_t tag) {
  for (const Layout& layout : layouts()) {
    if (layout.tag == static_cast<char>(tag)) return layout;
  }
  return layouts()[tag % layouts().size()];
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  using namespace dynemo::fuzz;
  // One root per layout: the other layouts' files, absent or stale, never mix in.
  const Layout& layout = pick(data[0]);
  const std::string root = std::string("annotations-") + layout.tag;
  const auto parts = split_parts(data + 1, size - 1, layout.files.size());
  for (std::size_t i = 0; i < layout.files.size(); ++i) {
    write_or_remove(root + "/" + layout.files[i], parts[i]);
  }
  expect_errors([&] {
    const dynemo::Dataset dataset =
        dynemo::load_dataset({layout.dataset, scratch_dir() + "/" + root, "", ""});
    if (dynemo::has_dataset_features(dataset)) dynemo::load_dataset_features(dataset);
  });
  return 0;
}
