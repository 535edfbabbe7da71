// Writes a dataset's training sequences (cached features paired with ratings, as `dynemo train`
// builds them) to NPY files for bench/train_epoch.py, so the Python side trains on exactly the
// data the C++ trainer sees:
//   OUT/x.npy  [n_frames_total, F] float32 (songs concatenated in dataset order)
//   OUT/y.npy  [n_frames_total, 2] float32 (arousal, valence)
//   OUT/lengths.txt  frames per song, one per line
// Usage: bench-train-export DATASET ROOT SPEC CACHE_DIR OUT
#include <fstream>
#include <iostream>

#include "dynemo/cache.h"
#include "dynemo/data.h"
#include "dynemo/io.h"
#include "dynemo/train.h"

int main(int argc, char** argv) {
  if (argc != 6) {
    std::cerr << "usage: bench-train-export DATASET ROOT SPEC CACHE_DIR OUT\n";
    return 2;
  }
  try {
    const dynemo::Dataset dataset = dynemo::load_dataset({argv[1], argv[2], "", ""});
    dynemo::CacheOptions options;
    options.spec = argv[3];
    options.cache_dir = argv[4];
    dynemo::build_cache(dataset, options);
    const dynemo::SequenceSet data =
        dynemo::build_sequences(dataset, dynemo::load_cached(argv[4], dataset.name, argv[3]));
    dynemo::FeatureMatrix x, y;
    x.columns = data.columns;
    y.columns = {"arousal", "valence"};
    std::ofstream lengths(std::string(argv[5]) + "/lengths.txt");
    for (const dynemo::SongSequence& s : data.songs) {
      x.time_s.insert(x.time_s.end(), s.time_s.begin(), s.time_s.end());
      y.time_s.insert(y.time_s.end(), s.time_s.begin(), s.time_s.end());
      x.values.insert(x.values.end(), s.features.begin(), s.features.end());
      y.values.insert(y.values.end(), s.targets.begin(), s.targets.end());
      lengths << s.n_frames() << '\n';
    }
    dynemo::write_features_npy(std::string(argv[5]) + "/x.npy", x);
    dynemo::write_features_npy(std::string(argv[5]) + "/y.npy", y);
    std::cout << data.songs.size() << " songs, " << x.n_rows() << " frames, " << x.n_cols()
              << " features -> " << argv[5] << '\n';
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
