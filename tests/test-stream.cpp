// Live streams: features and predictions pushed in pieces equal the offline ones.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "dynemo/audio.h"
#include "dynemo/error.h"
#include "dynemo/features.h"
#include "dynemo/predict.h"
#include "dynemo/stream.h"
#include "features/listener-stream.h"

namespace {

const std::string kClip = std::string(DYNEMO_SOURCE_DIR) + "/examples/wesnoth_battle_epic_45s.flac";

// The example clip at 44.1 kHz, mono, first `seconds`.
std::vector<float> clip(double seconds) {
  dynemo::Audio a = dynemo::load_audio(kClip);
  a.samples.resize(std::min(a.samples.size(), static_cast<std::size_t>(seconds * 44100)));
  return a.samples;
}

// Largest difference of any value relative to its column's spread over the clip.
double worst_relative(const dynemo::FeatureMatrix& a, const dynemo::FeatureMatrix& b,
                      std::string* where) {
  double worst = 0;
  for (std::size_t c = 0; c < a.n_cols(); ++c) {
    float lo = a.at(0, c), hi = lo;
    for (std::size_t r = 0; r < a.n_rows(); ++r) {
      lo = std::min(lo, a.at(r, c));
      hi = std::max(hi, a.at(r, c));
    }
    for (std::size_t r = 0; r < a.n_rows(); ++r) {
      const double e = std::fabs(a.at(r, c) - b.at(r, c)) / (hi - lo + 1e-6);
      if (e > worst) worst = e, *where = a.columns[c] + " row " + std::to_string(r);
    }
  }
  return worst;
}

dynemo::FeatureMatrix stream_features(const std::vector<float>& y,
                                      const std::vector<std::size_t>& sizes) {
  dynemo::features::ListenerStream stream{dynemo::FeatureConfig{}};
  dynemo::FeatureMatrix out;
  std::size_t at = 0, i = 0;
  while (at < y.size()) {
    const std::size_t n = std::min(sizes[i++ % sizes.size()], y.size() - at);
    stream.push(y.data() + at, n, out);
    at += n;
  }
  stream.finish(out);
  return out;
}

}  // namespace

TEST(StreamingResampler, GivesResampleOfTheWholeSignalWhateverThePieces) {
  const std::vector<float> y = clip(5.0);
  for (double out_rate : {16000.0, 44100.0, 48000.0, 22050.0}) {
    const std::vector<float> whole = dynemo::resample(y.data(), y.size(), 44100.0, out_rate);
    for (std::size_t piece : {std::size_t{1}, std::size_t{441}, std::size_t{4096},
                              std::size_t{44100}}) {
      dynemo::StreamingResampler r(44100.0, out_rate);
      std::vector<float> out;
      const std::size_t n = piece == 1 ? 20000 : y.size();  // one sample at a time: 0.45 s
      for (std::size_t at = 0; at < n; at += piece) {
        r.push(y.data() + at, std::min(piece, n - at), out);
      }
      r.finish(out);
      const std::vector<float> expect = dynemo::resample(y.data(), n, 44100.0, out_rate);
      ASSERT_EQ(out.size(), expect.size()) << out_rate << " Hz, pieces of " << piece;
      for (std::size_t i = 0; i < out.size(); ++i) {
        ASSERT_EQ(out[i], expect[i]) << out_rate << " Hz, pieces of " << piece << ", sample " << i;
      }
    }
    EXPECT_FALSE(whole.empty());
  }
}

TEST(ListenerStream, RowsEqualTheWholeSignalsWhateverThePushSizes) {
  const std::vector<float> y = clip(20.0);
  const dynemo::FeatureMatrix whole = dynemo::extract_features("listener", y.data(), y.size(), 44100);
  std::mt19937 rng(7);
  std::vector<std::size_t> random_sizes;
  for (int i = 0; i < 500; ++i) random_sizes.push_back(1 + rng() % 30000);
  for (const std::vector<std::size_t>& sizes :
       {std::vector<std::size_t>{441}, std::vector<std::size_t>{4096},
        std::vector<std::size_t>{22050}, std::vector<std::size_t>{44100}, random_sizes}) {
    const dynemo::FeatureMatrix streamed = stream_features(y, sizes);
    ASSERT_EQ(streamed.n_rows(), whole.n_rows());
    ASSERT_EQ(streamed.columns, whole.columns);
    for (std::size_t r = 0; r < whole.n_rows(); ++r) {
      EXPECT_DOUBLE_EQ(streamed.time_s[r], whole.time_s[r]);
    }
    std::string where;
    const double worst = worst_relative(whole, streamed, &where);
    std::printf("pieces of %zu...: worst %.2e of the column's spread (%s)\n", sizes[0], worst,
                where.c_str());
    EXPECT_LT(worst, 1e-4) << where;
  }
}
