// A custom dataset (src/data/custom.cpp): the manifest (song_id,audio_path[,offset_s]) and the
// long annotation file (song_id,time_s,arousal,valence) through load_dataset, as `dynemo dataset
// info --manifest M --annotations A` reads them. Audio paths resolve against the scratch folder,
// where nothing is audio: a manifest naming one of the input files gets it probed and refused.
// Input: the manifest, a "\n--8<--\n" line, the annotations (fuzz-common.h); an absent file is a
// missing file.
#include <cstddef>
#include <cstdint>
#include <string>

#include "dynemo/data.h"
#include "fuzz-common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dynemo::fuzz;
  const auto parts = split_parts(data, size, 2);
  write_or_remove("custom/manifest.csv", parts[0]);
  write_or_remove("custom/annotations.csv", parts[1]);
  const std::string dir = scratch_dir() + "/custom/";
  expect_errors([&] {
    dynemo::load_dataset({"custom", "", dir + "manifest.csv", dir + "annotations.csv"});
  });
  return 0;
}
