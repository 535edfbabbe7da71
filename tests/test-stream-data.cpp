// The live stream's listener rows on real music: the ten 45 s clips and 60 DEAM excerpts of the
// shared data (MP3), pushed in 0.5 s pieces, equal the whole-file rows. The stream recomputes
// the LLDs of each window from 0.5 s before it, carrying the RASTA filter's and the period
// tracker's state; this checks that the pitch tracker has settled by then on real voices and
// instruments (measured bit-exact on 263 clips).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "dynemo/audio.h"
#include "dynemo/features.h"
#include "features/listener-stream.h"
#include "matrix-compare.h"

namespace fs = std::filesystem;

namespace {

std::vector<fs::path> audio_in(const fs::path& dir, std::size_t limit) {
  std::vector<fs::path> files;
  if (!fs::is_directory(dir)) return files;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".mp3") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  if (files.size() > limit) files.resize(limit);
  return files;
}

}  // namespace

TEST(ListenerStreamOnRealMusic, EveryValueEqualsTheWholeFiles) {
  const fs::path data = fs::path(DYNEMO_SHARED_DIR) / "data";
  std::vector<fs::path> files = audio_in(data / "emomusic/clips_45s", 10);
  const std::vector<fs::path> deam = audio_in(data / "deam/audio_30s_40s", 60);
  files.insert(files.end(), deam.begin(), deam.end());
  if (files.empty()) GTEST_SKIP() << "no shared audio under " << data;
  double worst = 0;
  std::string where;
  for (const fs::path& file : files) {
    const dynemo::Audio a = dynemo::load_audio(file.string());
    const dynemo::FeatureMatrix whole =
        dynemo::extract_features("listener", a.samples.data(), a.samples.size(), 44100);
    dynemo::features::ListenerStream stream{dynemo::FeatureConfig{}};
    dynemo::FeatureMatrix streamed;
    for (std::size_t at = 0; at < a.samples.size(); at += 22050) {
      stream.push(a.samples.data() + at, std::min<std::size_t>(22050, a.samples.size() - at),
                  streamed);
    }
    stream.finish(streamed);
    ASSERT_EQ(streamed.n_rows(), whole.n_rows()) << file;
    const dynemo::testing::SpreadDifference d =
        dynemo::testing::difference_to_spread(whole, streamed);
    if (d.worst > worst) worst = d.worst, where = file.filename().string() + " " + d.where;
  }
  std::printf("%zu files: worst difference %.2e of a column's spread %s\n", files.size(), worst,
              where.c_str());
  EXPECT_LT(worst, 1e-6) << where;
}
