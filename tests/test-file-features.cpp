// Features straight from files (dynemo/file-features.h) and the block reader under them
// (AudioReader): the blocks are load_audio's samples exactly, and every feature set analysed in
// pieces gives the whole file's rows, on real music (the example clip, read as 45 s of 10 s
// pieces so that a test runs in seconds; the pieces' placement does not depend on the length).
#include <sndfile.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "audio-fixtures.h"
#include "dynemo/audio.h"
#include "dynemo/error.h"
#include "dynemo/features.h"
#include "dynemo/file-features.h"
#include "matrix-compare.h"

namespace {

const std::string kClip = std::string(DYNEMO_SOURCE_DIR) + "/examples/wesnoth_battle_epic_45s.flac";

std::vector<float> read_all(const std::string& path, const dynemo::AudioLoadOptions& options,
                            std::size_t block) {
  dynemo::AudioReader reader(path, options);
  std::vector<float> out;
  while (reader.read(out, block) > 0) {
  }
  return out;
}

// The clip as a 48 kHz stereo WAV (the second channel a quieter copy), so that reading it at
// 44.1 kHz resamples and downmixes.
std::string stereo_48k(const dynemo::test::TempDir& dir) {
  const dynemo::Audio clip = dynemo::load_audio(kClip, {48000.0});
  std::vector<float> quiet(clip.samples);
  for (float& v : quiet) v *= 0.5f;
  const std::string path = dir.file("clip48.wav");
  EXPECT_EQ(dynemo::test::write_sound(path, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 2, 48000,
                                      dynemo::test::interleave({clip.samples, quiet})),
            "");
  return path;
}

TEST(AudioReader, GivesLoadAudiosSamplesExactlyWhateverTheBlockSize) {
  dynemo::test::TempDir dir;
  const std::string wav = stereo_48k(dir);
  for (const std::string& path : {kClip, wav}) {
    for (double rate : {0.0, 44100.0, 22050.0, 16000.0}) {
      for (const dynemo::AudioLoadOptions& options :
           {dynemo::AudioLoadOptions{rate, 0.0, -1.0}, dynemo::AudioLoadOptions{rate, 3.3, 7.25}}) {
        const dynemo::Audio whole = dynemo::load_audio(path, options);
        for (std::size_t block : {std::size_t{1000}, std::size_t{1} << 20}) {
          const std::vector<float> blocks = read_all(path, options, block);
          ASSERT_EQ(blocks.size(), whole.samples.size()) << path << " at " << rate;
          EXPECT_TRUE(blocks == whole.samples) << path << " at " << rate << " Hz, block " << block;
        }
        EXPECT_EQ(dynemo::AudioReader(path, options).sample_rate_hz(), whole.sample_rate_hz);
      }
    }
  }
}

TEST(AudioReader, NamesTheFileAndTheSampleOfANonFiniteValue) {
  dynemo::test::TempDir dir;
  std::vector<float> x = dynemo::test::sine(20000, 44100.0, 440.0, 0.5);
  x[12345] = NAN;
  const std::string path = dir.file("nan.wav");
  ASSERT_EQ(dynemo::test::write_sound(path, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 1, 44100, x), "");
  EXPECT_TRUE(dynemo::test::throws_audio_error(
      [&] { read_all(path, {44100.0}, 4096); }, dynemo::AudioErrorKind::non_finite, path,
      {"samples from index 12288 are NaN or infinite, the first at index 12345 (nan)"}));
  // Finite but 90 dB over full scale: refused as out_of_range, not analysed into NaN features.
  x[12345] = 0.0f;
  x[15000] = -1e30f;
  ASSERT_EQ(dynemo::test::write_sound(path, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 1, 44100, x), "");
  EXPECT_TRUE(dynemo::test::throws_audio_error([&] { read_all(path, {44100.0}, 4096); },
                                               dynemo::AudioErrorKind::out_of_range, path,
                                               {"the first at index 15000 (-1e+30)"}));
}

// Rows of `spec` from the file in pieces of 10 s (and every size of file treated as long).
dynemo::FeatureMatrix in_pieces(const std::string& path, const std::string& spec,
                                const dynemo::FeatureConfig& config, double* decoded_s,
                                dynemo::SignalLevel* level = nullptr) {
  dynemo::FileFeatureOptions options;
  options.whole_file_max_s = 0.0;
  options.piece_s = 10.0;
  options.margin_s = 5.0;
  dynemo::FeatureMatrix all;
  int blocks = 0;
  const dynemo::DecodedAudio decoded = dynemo::extract_file_features(
      path, spec, config, {},
      [&](const dynemo::FeatureMatrix& rows) {
        if (all.columns.empty()) all.columns = rows.columns;
        EXPECT_EQ(rows.columns, all.columns);
        all.time_s.insert(all.time_s.end(), rows.time_s.begin(), rows.time_s.end());
        all.values.insert(all.values.end(), rows.values.begin(), rows.values.end());
        ++blocks;
      },
      options);
  *decoded_s = decoded.seconds;
  if (level) *level = decoded.level;
  EXPECT_GE(blocks, 3) << spec << ": analysed in pieces";
  return all;
}

TEST(AudioReader, MeasuresTheLevelOfWhatItDecodedBeforeResampling) {
  dynemo::test::TempDir dir;
  // A 1 kHz sine of amplitude 0.1: 20 log10(0.1 / sqrt(2)) = -23.0103 dB; stereo with
  // a silent second channel halves the mono amplitude (-29.0309 dB).
  const std::vector<float> tone = dynemo::test::sine(3 * 44100, 44100, 1000.0, 0.1);
  const std::vector<float> zeros(tone.size(), 0.0f);
  const std::string mono = dir.file("tone.wav"), stereo = dir.file("half.wav");
  const std::string silence = dir.file("silence.wav");
  ASSERT_EQ(dynemo::test::write_sound(mono, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 1, 44100, tone), "");
  ASSERT_EQ(dynemo::test::write_sound(stereo, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 2, 44100,
                                      dynemo::test::interleave({tone, zeros})),
            "");
  ASSERT_EQ(dynemo::test::write_sound(silence, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 44100, zeros),
            "");
  const auto level_of = [](const std::string& path, double rate) {
    dynemo::AudioReader reader(path, {rate, 0.0, -1.0});
    std::vector<float> out;
    while (reader.read(out, 4096) > 0) {
    }
    return reader.level();
  };
  for (double rate : {0.0, 16000.0, 48000.0}) {  // the file's samples, whatever the target rate
    const dynemo::SignalLevel m = level_of(mono, rate);
    EXPECT_EQ(m.n, tone.size());
    EXPECT_NEAR(m.rms_dbfs(), -23.0103, 1e-3) << rate;
    EXPECT_NEAR(level_of(stereo, rate).rms_dbfs(), -29.0309, 1e-3) << rate;
    EXPECT_EQ(level_of(silence, rate).rms_dbfs(), dynemo::kLevelFloor_dbfs);
  }
  EXPECT_EQ(dynemo::SignalLevel{}.rms_dbfs(), dynemo::kLevelFloor_dbfs);  // nothing read
  // A DC offset is not heard: a constant reads as silence, a tone with one as the tone alone,
  // added in one call or in pieces of any size.
  const std::vector<float> sine = dynemo::test::sine(44100, 44100, 440, 0.1);
  std::vector<float> offset(sine);
  for (float& v : offset) v += 0.5f;
  for (const float dc : {0.5f, -0.1f, 1.0f / 3.0f}) {
    const std::vector<float> constant(10007, dc);
    dynemo::SignalLevel level;
    level.add(constant.data(), constant.size());
    EXPECT_EQ(level.rms_dbfs(), dynemo::kLevelFloor_dbfs) << dc;
  }
  dynemo::SignalLevel plain, shifted, in_parts;
  plain.add(sine.data(), sine.size());
  shifted.add(offset.data(), offset.size());
  for (std::size_t at = 0, step = 1; at < offset.size(); at += step, step = step * 3 % 4099 + 1) {
    in_parts.add(offset.data() + at, std::min(step, offset.size() - at));
  }
  EXPECT_NEAR(plain.rms_dbfs(), -23.0103, 1e-3);
  EXPECT_NEAR(shifted.rms_dbfs(), plain.rms_dbfs(), 1e-3);
  EXPECT_NEAR(in_parts.rms_dbfs(), plain.rms_dbfs(), 1e-3);
  EXPECT_NEAR(shifted.mean, 0.5, 1e-6);

  // Real music: the whole-file and the in-pieces paths of extract_file_features report the
  // level of the same decoded samples.
  dynemo::FeatureConfig config;
  config.sample_rate_hz = 22050.0;
  double whole_s = 0.0, pieces_s = 0.0;
  dynemo::DecodedAudio whole;
  dynemo::file_features(kClip, "spectral", config, {}, &whole);
  whole_s = whole.seconds;
  dynemo::SignalLevel pieces;
  in_pieces(kClip, "spectral", config, &pieces_s, &pieces);
  EXPECT_NEAR(whole_s, pieces_s, 1e-9);
  const dynemo::Audio clip = dynemo::load_audio(kClip, {0.0});
  dynemo::SignalLevel direct;
  direct.add(clip.samples.data(), clip.samples.size());
  EXPECT_EQ(whole.level.n, clip.samples.size());
  EXPECT_EQ(pieces.n, clip.samples.size());
  EXPECT_NEAR(pieces.rms_dbfs(), whole.level.rms_dbfs(), 1e-9);  // the same blocks
  EXPECT_NEAR(whole.level.rms_dbfs(), direct.rms_dbfs(), 1e-3);  // float partial sums
  // A mastered orchestral clip: ffmpeg's volumedetect reads -19.8 dB over its two channels.
  EXPECT_NEAR(direct.rms_dbfs(), -20.0, 1.5);
}

// Every row handed on comes with the level of its window's samples, the same whole and in
// pieces: digital silence at the floor, a sine of amplitude 0.5 at -9.03 dB.
TEST(FileFeatures, GivesTheLevelOfEachRowsWindow) {
  dynemo::test::TempDir dir;
  constexpr int kRate = 44100;
  std::vector<float> x(12 * kRate, 0.0f);  // silence, 6 s of sine from 3 s, silence
  const std::vector<float> tone = dynemo::test::sine(6 * kRate, kRate, 440.0, 0.5);
  std::copy(tone.begin(), tone.end(), x.begin() + 3 * kRate);
  const std::string path = dir.file("gap.wav");
  ASSERT_EQ(dynemo::test::write_sound(path, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 1, kRate, x), "");
  const dynemo::FeatureConfig config;  // 44.1 kHz, windows of 0.5 s every 0.5 s
  dynemo::DecodedAudio whole;
  const dynemo::FeatureMatrix rows = dynemo::file_features(path, "chroma", config, {}, &whole);
  dynemo::FileFeatureOptions options;
  options.whole_file_max_s = 0.0;
  options.piece_s = 4.0;
  options.margin_s = 2.0;
  dynemo::DecodedAudio pieces;
  dynemo::file_features(path, "chroma", config, {}, &pieces, options);
  ASSERT_EQ(rows.n_rows(), 24u);
  ASSERT_EQ(whole.window_dbfs.size(), 24u);
  ASSERT_EQ(pieces.window_dbfs.size(), 24u);
  for (std::size_t k = 0; k < 24; ++k) {
    const bool sounding = k >= 6 && k < 18;
    if (sounding) {
      EXPECT_NEAR(whole.window_dbfs[k], -9.0309, 1e-3) << k;
    } else {
      EXPECT_EQ(whole.window_dbfs[k], dynemo::kLevelFloor_dbfs) << k;
    }
    EXPECT_NEAR(pieces.window_dbfs[k], whole.window_dbfs[k], 1e-4) << k;
  }
  // The part of a window outside the samples is left out; a window wholly outside has no level.
  const float half[4] = {0.5f, -0.5f, 0.5f, -0.5f};  // square wave: -6.0206 dB
  EXPECT_NEAR(dynemo::window_level_dbfs(half, 4, 4.0, 0.0, 0.5, 1.0), -6.0206, 1e-4);
  EXPECT_NEAR(dynemo::window_level_dbfs(half, 4, 4.0, 10.0, 9.5, 1.0), -6.0206, 1e-4);
  EXPECT_EQ(dynemo::window_level_dbfs(half, 4, 4.0, 0.0, 2.0, 0.5), dynemo::kLevelFloor_dbfs);
}

struct SetCase {
  std::string spec;
  double worst;  // largest difference allowed, relative to the column's spread over the clip
};

class PiecesMatchTheWholeFile : public ::testing::TestWithParam<SetCase> {};

// Rows of `spec` in pieces and whole, compared (printed: how many values are identical).
void expect_pieces_match(const std::string& spec, const dynemo::FeatureConfig& config,
                         double worst_allowed) {
  dynemo::test::TempDir dir;
  // 48 kHz stereo: the reader resamples and downmixes block by block.
  const std::string path = stereo_48k(dir);
  const dynemo::Audio audio = dynemo::load_audio(path, {config.sample_rate_hz});
  const dynemo::FeatureMatrix whole = dynemo::extract_features(
      spec, audio.samples.data(), audio.samples.size(), config.sample_rate_hz, config, path);
  double decoded_s = 0;
  const dynemo::FeatureMatrix pieces = in_pieces(path, spec, config, &decoded_s);
  EXPECT_DOUBLE_EQ(decoded_s, audio.duration_s());
  ASSERT_EQ(pieces.columns, whole.columns);
  ASSERT_EQ(pieces.n_rows(), whole.n_rows());
  for (std::size_t r = 0; r < whole.n_rows(); ++r) {
    ASSERT_EQ(pieces.time_s[r], whole.time_s[r]) << "row " << r;  // the same doubles
  }
  const dynemo::testing::SpreadDifference d = dynemo::testing::difference_to_spread(whole, pieces);
  std::size_t identical = 0;
  for (std::size_t i = 0; i < whole.values.size(); ++i)
    identical += whole.values[i] == pieces.values[i];
  std::printf(
      "%s (offset %g s): %zu rows, %.1f %% of values identical, mean %.2e, worst %.2e "
      "(%s)\n",
      spec.c_str(), config.offset_s, whole.n_rows(),
      100.0 * static_cast<double>(identical) / static_cast<double>(whole.values.size()), d.mean,
      d.worst, d.where.c_str());
  EXPECT_LE(d.worst, worst_allowed) << d.where;
}

TEST_P(PiecesMatchTheWholeFile, ForEverySet) {
  dynemo::FeatureConfig config;
  config.offset_s = 0.25;  // rows off the whole-second grid
  expect_pieces_match(GetParam().spec, config, GetParam().worst);
}

// The first window far into the file: what the sets take from the whole file still comes from
// all of it, the audio before the first window included.
TEST(FileFeatures, PiecesMatchTheWholeFileWithALateFirstWindow) {
  dynemo::FeatureConfig config;
  config.offset_s = 12.25;
  expect_pieces_match("spectral+psychoacoustic+compare-lld-stats", config, 2e-5);
}

// listener-compare resamples as listener does; its functionals that are continuous in the LLDs
// (means, moments, percentiles, regressions) agree about as closely. Those of where in a window a
// value lies (times, segment lengths, peaks, ratios to a mean near 0) jump with the slightest
// change of a nearly constant LLD, so only their mean difference is bounded (measured 1.7e-4 of the
// spread).
TEST(FileFeatures, ListenerComparePiecesMatchTheWholeFile) {
  dynemo::test::TempDir dir;
  const std::string path = stereo_48k(dir);
  const dynemo::FeatureConfig config;
  const dynemo::Audio audio = dynemo::load_audio(path, {config.sample_rate_hz});
  const dynemo::FeatureMatrix whole =
      dynemo::extract_features("listener-compare", audio.samples.data(), audio.samples.size(),
                               config.sample_rate_hz, config, path);
  double decoded_s = 0;
  const dynemo::FeatureMatrix pieces = in_pieces(path, "listener-compare", config, &decoded_s);
  ASSERT_EQ(pieces.columns, whole.columns);
  ASSERT_EQ(pieces.n_rows(), whole.n_rows());
  EXPECT_LE(dynemo::testing::difference_to_spread(whole, pieces).mean, 1e-3);
  const auto continuous = [](const std::string& name) {
    for (const char* f : {"_amean", "_stddev", "_quartile1", "_quartile2", "_quartile3",
                          "_linregc1", "_linregc2", "_qregc3", "_rqmean"}) {
      const std::string suffix(f);
      if (name.size() > suffix.size() &&
          name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
        return true;
      }
    }
    return false;
  };
  std::vector<std::size_t> kept;
  for (std::size_t c = 0; c < whole.n_cols(); ++c) {
    if (continuous(whole.columns[c])) kept.push_back(c);
  }
  ASSERT_GT(kept.size(), 700u);
  const auto select = [&kept](const dynemo::FeatureMatrix& m) {
    dynemo::FeatureMatrix out;
    out.time_s = m.time_s;
    for (const std::size_t c : kept) out.columns.push_back(m.columns[c]);
    for (std::size_t r = 0; r < m.n_rows(); ++r) {
      for (const std::size_t c : kept) out.values.push_back(m.at(r, c));
    }
    return out;
  };
  const dynemo::testing::SpreadDifference d =
      dynemo::testing::difference_to_spread(select(whole), select(pieces));
  EXPECT_LE(d.worst, 1e-4) << d.where;  // measured 4.3e-5 (a quadratic fit's intercept)
}

INSTANTIATE_TEST_SUITE_P(
    Sets, PiecesMatchTheWholeFile,
    // The ComParE sets are identical to the bit (their voicing deltas' running normaliser is
    // carried from piece to piece, once per piece however many ComParE sets share the LLDs), and so
    // is psychoacoustic (its frames are gathered piece by piece, its rows computed from all of
    // them). The others resample inside (the CQT's octave decimation, the listener set's 16 kHz),
    // where soxr's blocks fall differently in a piece: measured worst 4.3e-6 of a column's spread
    // (cqt), 2.1e-6 (listener), 3.9e-7 (chroma, spectral).
    ::testing::Values(SetCase{"spectral", 2e-5}, SetCase{"cqt", 2e-5}, SetCase{"chroma", 2e-5},
                      SetCase{"compare-lld", 0.0}, SetCase{"mediaeval2015", 0.0},
                      SetCase{"compare-lld-stats", 0.0}, SetCase{"compare", 0.0},
                      SetCase{"compare+compare-lld-stats+mediaeval2015", 0.0},
                      SetCase{"listener", 2e-5}, SetCase{"psychoacoustic", 0.0},
                      SetCase{"spectral+cqt+compare-lld-stats+psychoacoustic", 2e-5}),
    [](const ::testing::TestParamInfo<SetCase>& info) {
      std::string name;
      for (char c : info.param.spec) name += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
      return name;
    });

}  // namespace
