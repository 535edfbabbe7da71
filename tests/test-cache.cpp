// Feature cache (dynemo/cache.h) on a tiny dataset built here: three 3 s WAVs written with
// libsndfile, one song without audio. Checks what is extracted, what is skipped as up to date,
// what a changed file / grid / config does, failures, resuming after a kill, and that loaded
// features are bit-identical to extract_features.
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "doc-keys.h"

#include "audio-fixtures.h"
#include "data/cache-store.h"
#include "dynemo/audio.h"
#include "dynemo/cache.h"
#include "dynemo/data.h"
#include "dynemo/error.h"
#include "dynemo/features.h"

namespace dynemo {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

constexpr int kRate = 44100;
constexpr std::size_t kSamples = 3 * kRate;  // 3 s: 6 windows of 0.5 s

std::string write_wav(const std::string& path, const std::vector<float>& samples) {
  return test::write_sound(path, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, kRate, samples);
}

// A song whose ratings at a + 0.5 k (k = first..5) pair with the windows [0.5 k, 0.5 k + 0.5).
AnnotatedSong make_song(const std::string& id, const std::string& path, double offset_s,
                        int first = 0) {
  AnnotatedSong song;
  song.song_id = id;
  song.audio_path = path;
  song.audio_offset_s = offset_s;
  for (int k = first; k < 6; ++k) {
    song.time_s.push_back(offset_s + 0.5 * k);
    song.arousal.push_back(0.1 * k);
    song.valence.push_back(-0.1 * k);
  }
  return song;
}

class CacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(write_wav(dir_.file("a.wav"), test::sine(kSamples, kRate, 440.0, 0.5)), "");
    ASSERT_EQ(write_wav(dir_.file("b.wav"), test::noise(kSamples, 0.3, 7)), "");
    ASSERT_EQ(write_wav(dir_.file("c.wav"), test::sine(kSamples, kRate, 220.0, 0.4)), "");
    dataset_.name = "custom";
    dataset_.root = dir_.file("");
    dataset_.songs = {make_song("a", dir_.file("a.wav"), 0.0),
                      make_song("b", dir_.file("b.wav"), 30.0, 1),
                      make_song("c", dir_.file("c.wav"), 15.0), make_song("d", "", 0.0)};
    options_.cache_dir = dir_.file("cache");
    options_.spec = "spectral";
  }

  std::string entry(const std::string& id) const {
    return (fs::path(cache_folder(options_.cache_dir, "custom", options_.spec, options_.config)) /
            (id + ".f32"))
        .string();
  }

  // What the cache must hold for `song`: the rows extract_features gives on the whole file.
  FeatureMatrix expected(const AnnotatedSong& song, const FeatureConfig& base) const {
    const Audio audio = load_audio(song.audio_path);
    const SongGrid grid = song_grid(song, audio.duration_s(), base);
    return extract_features(options_.spec, audio.samples.data(), audio.samples.size(),
                            audio.sample_rate_hz, grid.config, song.audio_path);
  }

  TempDir dir_;
  Dataset dataset_;
  CacheOptions options_;
};

::testing::AssertionResult bit_identical(const FeatureMatrix& got, const FeatureMatrix& want) {
  if (got.columns != want.columns) return ::testing::AssertionFailure() << "columns differ";
  if (got.time_s != want.time_s) return ::testing::AssertionFailure() << "times differ";
  if (got.values.size() != want.values.size() ||
      std::memcmp(got.values.data(), want.values.data(), got.values.size() * sizeof(float)) != 0) {
    return ::testing::AssertionFailure() << "values differ";
  }
  return ::testing::AssertionSuccess();
}

TEST_F(CacheTest, FirstRunExtractsAllSecondIsANoOp) {
  const CacheResult first = build_cache(dataset_, options_);
  EXPECT_EQ(first.n_songs, 4u);
  EXPECT_EQ(first.n_extracted, 3u);
  EXPECT_EQ(first.n_up_to_date, 0u);
  EXPECT_EQ(first.skipped, std::vector<std::string>{"d"});
  EXPECT_TRUE(first.failed.empty());
  EXPECT_EQ(first.dir, cache_folder(options_.cache_dir, "custom", "spectral"));
  EXPECT_EQ(fs::path(first.dir).filename().string(), feature_hash("spectral", {}));

  const auto entry_time = fs::last_write_time(entry("b"));
  const auto index_time = fs::last_write_time(fs::path(first.dir) / "index.json");
  const CacheResult second = build_cache(dataset_, options_);
  EXPECT_EQ(second.n_extracted, 0u);
  EXPECT_EQ(second.n_up_to_date, 3u);
  EXPECT_EQ(second.skipped, std::vector<std::string>{"d"});
  EXPECT_TRUE(second.failed.empty());
  // Nothing was rewritten.
  EXPECT_EQ(fs::last_write_time(entry("b")), entry_time);
  EXPECT_EQ(fs::last_write_time(fs::path(first.dir) / "index.json"), index_time);
  std::ifstream index(fs::path(first.dir) / "index.json");
  std::stringstream text;
  text << index.rdbuf();
  dynemo::testing::expect_documented_keys("Feature cache", "- **`index.json`**", text.str(), 13);
}

TEST_F(CacheTest, LoadedFeaturesEqualExtractFeaturesExactly) {
  build_cache(dataset_, options_);
  const CachedFeatures cached = load_cached(options_.cache_dir, "custom", "spectral");
  EXPECT_EQ(cached.columns, feature_columns("spectral"));
  EXPECT_EQ(cached.feature_hash, feature_hash("spectral", {}));
  ASSERT_EQ(cached.songs.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    const AnnotatedSong& song = dataset_.songs[i];
    SCOPED_TRACE(song.song_id);
    const FeatureMatrix& got = cached.songs.at(song.song_id);
    EXPECT_TRUE(bit_identical(got, expected(song, {})));
    EXPECT_EQ(cached.audio_hash.at(song.song_id), file_hash(song.audio_path));
    // The rows pair with the ratings by time.
    const SongGrid grid = song_grid(song, 3.0);
    EXPECT_EQ(match_rows(song, grid, got).size(), song.time_s.size());
  }
  // Song b's ratings start at window 1: its rows start there too.
  EXPECT_DOUBLE_EQ(cached.songs.at("b").time_s.front(), 0.5);
  EXPECT_EQ(cached.songs.at("b").n_rows(), 5u);
  EXPECT_EQ(cached.songs.at("a").n_rows(), 6u);
}

// A song longer than file_features' whole-file limit is read in pieces (bounded memory) and
// its rows still pair with every rating; cqt: the same rows as the whole file up to the float
// rounding of the CQT's decimation.
TEST_F(CacheTest, LongSongsAreExtractedInPiecesAndPairWithTheirRatings) {
  const std::size_t n = 200 * static_cast<std::size_t>(kRate);
  ASSERT_EQ(write_wav(dir_.file("long.wav"), test::noise(n, 0.2, 3)), "");
  AnnotatedSong song;
  song.song_id = "long";
  song.audio_path = dir_.file("long.wav");
  for (int k = 2; k < 398; ++k) {
    song.time_s.push_back(0.5 * k);
    song.arousal.push_back(0.0);
    song.valence.push_back(0.0);
  }
  dataset_.songs = {song};
  options_.spec = "cqt";
  const CacheResult r = build_cache(dataset_, options_);
  ASSERT_TRUE(r.failed.empty()) << r.failed.front().message;
  const CachedFeatures cached = load_cached(options_.cache_dir, "custom", "cqt");
  const FeatureMatrix& got = cached.songs.at("long");
  const FeatureMatrix want = expected(song, {});
  ASSERT_EQ(got.time_s, want.time_s);
  EXPECT_EQ(got.n_rows(), 398u);  // every window from the first rating on
  double worst = 0.0;
  for (std::size_t i = 0; i < want.values.size(); ++i) {
    worst = std::max(worst, std::fabs(static_cast<double>(got.values[i]) - want.values[i]) /
                                (std::fabs(want.values[i]) + 1e-3));
  }
  EXPECT_LT(worst, 1e-3);
  EXPECT_EQ(match_rows(song, song_grid(song, 200.0), got).size(), 396u);
}

TEST_F(CacheTest, ChangedAudioReextractsOnlyThatSong) {
  build_cache(dataset_, options_);
  ASSERT_EQ(write_wav(dir_.file("b.wav"), test::noise(kSamples, 0.3, 8)), "");  // same size
  const CacheResult again = build_cache(dataset_, options_);
  EXPECT_EQ(again.n_extracted, 1u);
  EXPECT_EQ(again.n_up_to_date, 2u);
  const CachedFeatures cached = load_cached(options_.cache_dir, "custom", "spectral");
  EXPECT_TRUE(bit_identical(cached.songs.at("b"), expected(dataset_.songs[1], {})));
}

TEST_F(CacheTest, ChangedGridReextractsOnlyThatSong) {
  build_cache(dataset_, options_);
  dataset_.songs[0] = make_song("a", dir_.file("a.wav"), 0.0, 2);  // ratings start later
  const CacheResult again = build_cache(dataset_, options_);
  EXPECT_EQ(again.n_extracted, 1u);
  const CachedFeatures cached = load_cached(options_.cache_dir, "custom", "spectral");
  EXPECT_DOUBLE_EQ(cached.songs.at("a").time_s.front(), 1.0);
  EXPECT_TRUE(bit_identical(cached.songs.at("a"), expected(dataset_.songs[0], {})));
}

TEST_F(CacheTest, ChangedConfigUsesAnotherKey) {
  build_cache(dataset_, options_);
  CacheOptions wide = options_;
  wide.config.window_s = 1.0;  // overlapping windows on the same 0.5 s grid
  const CacheResult other = build_cache(dataset_, wide);
  EXPECT_EQ(other.n_extracted, 3u);
  EXPECT_NE(other.dir, cache_folder(options_.cache_dir, "custom", "spectral"));

  const CachedFeatures narrow_cached = load_cached(options_.cache_dir, "custom", "spectral");
  const CachedFeatures wide_cached =
      load_cached(options_.cache_dir, "custom", "spectral", wide.config);
  EXPECT_EQ(narrow_cached.songs.at("c").n_rows(), 6u);
  EXPECT_EQ(wide_cached.songs.at("c").n_rows(), 5u);  // the last window would pass 3 s
  EXPECT_TRUE(bit_identical(wide_cached.songs.at("c"), expected(dataset_.songs[2], wide.config)));
  // The first setting is still cached.
  EXPECT_EQ(build_cache(dataset_, options_).n_extracted, 0u);
}

TEST_F(CacheTest, BadAudioIsListedAndTheOthersAreCached) {
  build_cache(dataset_, options_);
  test::write_bytes(dir_.file("b.wav"), std::string(5000, 'x'));
  dataset_.songs.push_back(make_song("e", dir_.file("missing.wav"), 0.0));
  const CacheResult result = build_cache(dataset_, options_);
  EXPECT_EQ(result.n_up_to_date, 2u);
  EXPECT_EQ(result.n_extracted, 0u);
  ASSERT_EQ(result.failed.size(), 2u);
  EXPECT_EQ(result.failed[0].song_id, "b");
  EXPECT_EQ(result.failed[0].audio_path, dir_.file("b.wav"));
  EXPECT_EQ(result.failed[0].message.rfind(dir_.file("b.wav") + ": ", 0), 0u)
      << result.failed[0].message;
  EXPECT_EQ(result.failed[1].song_id, "e");
  EXPECT_NE(result.failed[1].message.find("missing.wav"), std::string::npos);
  // The stale entry of b is gone and the index lists the good songs only.
  EXPECT_FALSE(fs::exists(entry("b")));
  const CachedFeatures cached = load_cached(options_.cache_dir, "custom", "spectral");
  EXPECT_EQ(cached.songs.size(), 2u);
  EXPECT_EQ(cached.songs.count("b"), 0u);
}

TEST_F(CacheTest, ResumesAfterAKill) {
  build_cache(dataset_, options_);
  const fs::path dir = cache_folder(options_.cache_dir, "custom", "spectral");
  // What a kill leaves: no index yet, a temporary file of a dead writer, a foreign file where an
  // entry should be.
  fs::remove(dir / "index.json");
  const fs::path leftover = dir / ".c.f32.tmp-999999999-0";
  test::write_bytes(leftover.string(), "half an entry");
  test::write_bytes(entry("c"), "DYNEMOFC and then nothing");

  std::vector<CacheProgress> calls;
  const CacheResult resumed =
      build_cache(dataset_, options_, [&](const CacheProgress& p) { calls.push_back(p); });
  EXPECT_EQ(resumed.n_up_to_date, 2u);
  EXPECT_EQ(resumed.n_extracted, 1u);
  EXPECT_FALSE(fs::exists(leftover));
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[0].n_done, 0u);
  EXPECT_EQ(calls[0].n_to_do, 1u);
  EXPECT_EQ(calls[0].n_up_to_date, 2u);
  EXPECT_EQ(calls[0].n_skipped, 1u);
  EXPECT_EQ(calls[1].n_done, 1u);
  EXPECT_EQ(calls[1].n_failed, 0u);
  const CachedFeatures cached = load_cached(options_.cache_dir, "custom", "spectral");
  EXPECT_EQ(cached.songs.size(), 3u);
  EXPECT_TRUE(bit_identical(cached.songs.at("c"), expected(dataset_.songs[2], {})));
}

TEST_F(CacheTest, ParallelBuildWritesTheSameBytes) {
  options_.jobs = 1;
  const CacheResult serial = build_cache(dataset_, options_);
  CacheOptions parallel = options_;
  parallel.cache_dir = dir_.file("cache-parallel");
  parallel.jobs = 3;
  parallel.index_every = 1;
  const CacheResult result = build_cache(dataset_, parallel);
  EXPECT_EQ(result.n_extracted, 3u);
  for (const char* name : {"a.f32", "b.f32", "c.f32", "index.json"}) {
    EXPECT_EQ(test::read_bytes((fs::path(serial.dir) / name).string()),
              test::read_bytes((fs::path(result.dir) / name).string()))
        << name;
  }
}

TEST_F(CacheTest, OddSongIdsGetSafeFileNames) {
  dataset_.songs[0].song_id = "../x y";
  const CacheResult result = build_cache(dataset_, options_);
  EXPECT_EQ(result.n_extracted, 3u);
  EXPECT_TRUE(fs::exists(fs::path(result.dir) / "%2E.%2Fx%20y.f32"));
  const CachedFeatures cached = load_cached(options_.cache_dir, "custom", "spectral");
  EXPECT_EQ(cached.songs.count("../x y"), 1u);
}

TEST_F(CacheTest, ErrorsNameTheProblem) {
  CacheOptions bad = options_;
  bad.cache_dir.clear();
  EXPECT_THROW(
      {
        try {
          build_cache(dataset_, bad);
        } catch (const ConfigError& e) {
          EXPECT_STREQ(e.what(), "feature cache: cache_dir is empty");
          throw;
        }
      },
      ConfigError);
  bad = options_;
  bad.jobs = 0;
  EXPECT_THROW(build_cache(dataset_, bad), ConfigError);
  bad = options_;
  bad.spec = "nonsense";
  EXPECT_THROW(build_cache(dataset_, bad), ConfigError);

  Dataset twice = dataset_;
  twice.songs.push_back(twice.songs[0]);
  EXPECT_THROW(
      {
        try {
          build_cache(twice, options_);
        } catch (const DataError& e) {
          EXPECT_STREQ(e.what(), "feature cache: dataset custom lists song a twice");
          throw;
        }
      },
      DataError);

  EXPECT_THROW(
      {
        try {
          load_cached(options_.cache_dir, "custom", "spectral");
        } catch (const IoError& e) {
          EXPECT_NE(std::string(e.what()).find("run `dynemo cache` first"), std::string::npos)
              << e.what();
          throw;
        }
      },
      IoError);

  // An index that lists an entry which is gone.
  build_cache(dataset_, options_);
  fs::remove(entry("a"));
  EXPECT_THROW(
      {
        try {
          load_cached(options_.cache_dir, "custom", "spectral");
        } catch (const IoError& e) {
          EXPECT_NE(std::string(e.what()).find(entry("a")), std::string::npos) << e.what();
          throw;
        }
      },
      IoError);
}

// Entries of 0 rows or 0 columns read back empty, without memcpy to the null data() of an empty
// vector (undefined behaviour found by fuzz/cache.cpp; scripts/test-sanitized.sh would report it).
TEST(CacheEntry, EmptyTablesReadBack) {
  TempDir dir;
  const cache_detail::EntryKey key{1, 2, feature_hash("spectral", {})};
  FeatureMatrix no_columns;
  no_columns.time_s = {0.0, 0.5, 1.0};
  FeatureMatrix no_rows;
  no_rows.columns = {"a", "b"};
  for (const FeatureMatrix& table : {no_columns, no_rows}) {
    const std::string path = dir.file("x.f32");
    test::write_bytes(path, cache_detail::encode_entry("x", key, table));
    cache_detail::EntryHeader header;
    const FeatureMatrix back = cache_detail::read_entry(path, header);
    EXPECT_EQ(header.song_id, "x");
    EXPECT_EQ(header.n_rows, table.n_rows());
    EXPECT_EQ(header.n_cols, table.n_cols());
    EXPECT_EQ(back.time_s, table.time_s);
    EXPECT_TRUE(back.values.empty());
  }
}

// An index whose version is a number beyond int is another version, not undefined behaviour
// (the sanitized build, scripts/test-sanitized.sh, checks the latter).
TEST(CacheIndex, VersionBeyondIntIsAnotherVersion) {
  TempDir dir;
  const fs::path folder = cache_folder(dir.file("cache"), "custom", "spectral");
  fs::create_directories(folder);
  for (const char* version : {"1e300", "-1e300", "1.5", "\"1\""}) {
    test::write_bytes((folder / "index.json").string(),
                      std::string(R"({"kind": "dynemo.feature_cache", "version": )") + version +
                          R"(, "songs": []})");
    try {
      load_cached(dir.file("cache"), "custom", "spectral");
      ADD_FAILURE() << "version " << version << " loaded";
    } catch (const IoError& e) {
      EXPECT_NE(std::string(e.what()).find("not a version 1 feature cache index"),
                std::string::npos)
          << e.what();
    }
  }
}

TEST(CacheHash, FileHashIsFnv1aOfTheBytes) {
  TempDir dir;
  test::write_bytes(dir.file("empty"), "");
  test::write_bytes(dir.file("a"), "a");
  EXPECT_EQ(file_hash(dir.file("empty")), 0xcbf29ce484222325ull);  // FNV-1a/64 offset basis
  EXPECT_EQ(file_hash(dir.file("a")), 0xaf63dc4c8601ec8cull);      // published test vector
  // Larger than one read chunk.
  test::write_bytes(dir.file("big"), std::string((1 << 20) + 3, 'z'));
  std::uint64_t h = 0xcbf29ce484222325ull;
  for (int i = 0; i < (1 << 20) + 3; ++i)
    h = (h ^ static_cast<unsigned char>('z')) * 1099511628211ull;
  EXPECT_EQ(file_hash(dir.file("big")), h);
  EXPECT_THROW(file_hash(dir.file("none")), AudioError);
}

}  // namespace
}  // namespace dynemo
