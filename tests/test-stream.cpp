// Live streams: features and predictions pushed in pieces equal the offline ones.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>
#include <string>
#include <vector>

#include "audio-fixtures.h"
#include "dynemo/audio.h"
#include "dynemo/error.h"
#include "dynemo/features.h"
#include "dynemo/predict.h"
#include "dynemo/stream.h"
#include "features/listener-stream.h"
#include "matrix-compare.h"

#include <sndfile.h>

namespace {

const std::string kClip = std::string(DYNEMO_SOURCE_DIR) + "/examples/wesnoth_battle_epic_45s.flac";

// The example clip at 44.1 kHz, mono, first `seconds`.
std::vector<float> clip(double seconds) {
  dynemo::Audio a = dynemo::load_audio(kClip);
  a.samples.resize(std::min(a.samples.size(), static_cast<std::size_t>(seconds * 44100)));
  return a.samples;
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
    for (std::size_t piece :
         {std::size_t{1}, std::size_t{441}, std::size_t{4096}, std::size_t{44100}}) {
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
  const dynemo::FeatureMatrix whole =
      dynemo::extract_features("listener", y.data(), y.size(), 44100);
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
    const dynemo::testing::SpreadDifference d =
        dynemo::testing::difference_to_spread(whole, streamed);
    std::printf("pieces of %zu...: worst %.2e of the column's spread (%s)\n", sizes[0], d.worst,
                d.where.c_str());
    EXPECT_LT(d.worst, 1e-4) << d.where;
  }
}

namespace {

const std::string kModel =
    std::string(DYNEMO_SOURCE_DIR) + "/models/deam-listener-ctx_mlp_256x2_c6-v3";

struct Streamed {
  std::vector<dynemo::StreamRow> rows;
  std::vector<double> pushed_s_at_row;  // audio pushed when each row came out
};

Streamed stream_rows(dynemo::Predictor& predictor, const std::vector<float>& x,
                     const dynemo::StreamFormat& format, std::size_t piece) {
  dynemo::Stream stream(predictor, format);
  Streamed out;
  for (std::size_t at = 0; at < x.size(); at += piece) {
    for (const dynemo::StreamRow& r : stream.push(x.data() + at, std::min(piece, x.size() - at))) {
      out.rows.push_back(r);
      out.pushed_s_at_row.push_back(stream.pushed_s());
    }
  }
  for (const dynemo::StreamRow& r : stream.flush()) {
    out.rows.push_back(r);
    out.pushed_s_at_row.push_back(stream.pushed_s());
  }
  return out;
}

void expect_rows_equal(const Streamed& s, const dynemo::TrackPrediction& p,
                       const std::string& what) {
  ASSERT_EQ(s.rows.size(), p.n_windows()) << what;
  double worst = 0;
  for (std::size_t k = 0; k < p.n_windows(); ++k) {
    ASSERT_DOUBLE_EQ(s.rows[k].time_s, p.time_s[k]) << what;
    worst = std::max({worst, std::fabs(double(s.rows[k].arousal) - p.arousal[k]),
                      std::fabs(double(s.rows[k].valence) - p.valence[k])});
  }
  std::printf("%s: %zu rows, worst difference %.2e\n", what.c_str(), p.n_windows(), worst);
  EXPECT_LT(worst, 1e-4) << what;
}

}  // namespace

TEST(Stream, RowsEqualPredictFileWhateverThePushSizes) {
  dynemo::Predictor predictor(kModel);
  const dynemo::TrackPrediction offline = predictor.predict_file(kClip);
  const std::vector<float> x = dynemo::load_audio(kClip).samples;  // 44.1 kHz mono
  for (std::size_t piece : {std::size_t{1}, std::size_t{441}, std::size_t{4096}, std::size_t{22050},
                            std::size_t{44100}, std::size_t{1000003}}) {
    expect_rows_equal(stream_rows(predictor, x, {}, piece), offline,
                      "pieces of " + std::to_string(piece));
  }
}

TEST(Stream, StereoAndOtherRatesGiveTheRowsOfTheSameFile) {
  dynemo::Predictor predictor(kModel);
  const std::vector<float> mono = dynemo::load_audio(kClip).samples;
  const std::vector<float> y48 = dynemo::resample(mono.data(), 20 * 44100, 44100.0, 48000.0);
  // A right channel different from the left: the stream averages them as load_audio does.
  std::vector<float> right(y48.size());
  for (std::size_t i = 0; i < y48.size(); ++i) right[i] = 0.5f * y48[(i + 4800) % y48.size()];
  const std::vector<float> stereo = dynemo::test::interleave({y48, right});
  const std::string wav = ::testing::TempDir() + "/dynemo-stream-48k-stereo.wav";
  ASSERT_EQ(dynemo::test::write_sound(wav, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 2, 48000, stereo), "");
  const dynemo::TrackPrediction offline = predictor.predict_file(wav);
  dynemo::StreamFormat format;
  format.sample_rate_hz = 48000.0;
  format.channels = 2;
  // 4801 values: frames split between pushes.
  expect_rows_equal(stream_rows(predictor, stereo, format, 4801), offline, "48 kHz stereo");
}

TEST(Stream, EachRowComesOutOnceItsWindowAndTheLatencyHaveArrived) {
  dynemo::Predictor predictor(kModel);
  const std::vector<float> x = clip(20.0);
  dynemo::Stream probe(predictor);
  // At 44.1 kHz: 0.42 s of look-ahead and 0.04 s of resampler delay, rounded up.
  EXPECT_NEAR(probe.latency_s(), 0.48, 0.015);
  const Streamed s = stream_rows(predictor, x, {}, 22050);  // 0.5 s per push, like playback
  ASSERT_EQ(s.rows.size(), 40u);
  for (std::size_t k = 0; k + 1 < s.rows.size(); ++k) {  // the last comes with flush()
    const double window_end = s.rows[k].time_s + 0.5;
    EXPECT_LE(s.pushed_s_at_row[k], window_end + probe.latency_s() + 0.5) << "row " << k;
    EXPECT_GE(s.pushed_s_at_row[k], window_end + 0.42) << "row " << k;  // never too early
  }
}

TEST(Stream, RejectsBadPcmAndModelsThatCannotStream) {
  dynemo::Predictor predictor(kModel);
  dynemo::StreamFormat format;
  format.source = "<stdin>";
  dynemo::Stream stream(predictor, format);
  std::vector<float> x(1000, 0.1f);
  x[700] = std::nanf("");
  try {
    stream.push(x.data(), x.size());
    FAIL() << "NaN accepted";
  } catch (const dynemo::AudioError& e) {
    EXPECT_NE(std::string(e.what()).find("<stdin>"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("index 700 (nan)"), std::string::npos) << e.what();
    EXPECT_EQ(e.kind(), dynemo::AudioErrorKind::non_finite);
  }
  EXPECT_THROW(stream.push(x.data(), 10), dynemo::ConfigError);  // unusable after the error
  // A sample 90 dB over full scale (a float stream scaled to integers): refused, not analysed.
  dynemo::Stream loud(predictor, format);
  std::vector<float> y(1000, 0.1f);
  loud.push(y.data(), 500);
  y[3] = 32767.0f;
  try {
    loud.push(y.data(), y.size());
    FAIL() << "32767 accepted";
  } catch (const dynemo::AudioError& e) {
    EXPECT_EQ(e.kind(), dynemo::AudioErrorKind::out_of_range);
    EXPECT_NE(std::string(e.what()).find("the first at index 503 (32767)"), std::string::npos)
        << e.what();
  }
  for (double rate : {0.0, -44100.0, 1000.0, 1e7, std::nan("")}) {
    format.sample_rate_hz = rate;
    EXPECT_THROW(dynemo::Stream(predictor, format), dynemo::ConfigError) << rate;
  }
  format.sample_rate_hz = 44100.0;
  for (int channels : {0, -1, 65}) {
    format.channels = channels;
    EXPECT_THROW(dynemo::Stream(predictor, format), dynemo::ConfigError) << channels;
  }
  dynemo::Predictor whole_track(std::string(DYNEMO_SOURCE_DIR) +
                                "/models/deam-spectral+compare-lld-stats-mca_alstm_64x2-v2");
  EXPECT_THROW(dynemo::Stream{whole_track}, dynemo::ConfigError);
}
