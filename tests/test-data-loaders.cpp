// Dataset loaders on synthetic files in each layout (DEAM official and excerpt, emoMusic,
// PMEmo, custom), the CSV reader underneath, and the failure paths: every DataError names the
// file, line and column.
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "data/csv.h"
#include "dynemo/data.h"
#include "dynemo/error.h"
#include "file-helpers.h"

namespace fs = std::filesystem;
using dynemo::testing::contains;
using dynemo::testing::write;

namespace {

// A mono 16-bit PCM WAV of `n_frames` silent frames at `rate_hz` (a canonical 44-byte header).
void write_wav(const fs::path& path, std::uint32_t rate_hz, std::uint32_t n_frames) {
  std::string bytes;
  const auto u32 = [&bytes](std::uint32_t v) {
    for (int i = 0; i < 4; ++i) bytes += static_cast<char>((v >> (8 * i)) & 0xFF);
  };
  const auto u16 = [&bytes](std::uint32_t v) {
    for (int i = 0; i < 2; ++i) bytes += static_cast<char>((v >> (8 * i)) & 0xFF);
  };
  const std::uint32_t data_bytes = 2 * n_frames;
  bytes += "RIFF";
  u32(36 + data_bytes);
  bytes += "WAVEfmt ";
  u32(16);
  u16(1);  // PCM
  u16(1);  // mono
  u32(rate_hz);
  u32(2 * rate_hz);
  u16(2);
  u16(16);
  bytes += "data";
  u32(data_bytes);
  bytes += std::string(data_bytes, '\0');
  write(path, bytes);
}

// Audio files only need to exist for the loaders (they are noted as unreadable).
void touch_audio(const fs::path& dir, const std::vector<std::string>& ids) {
  for (const std::string& id : ids) write(dir / (id + ".mp3"), "not really mp3");
}

const std::string kWideHeader = "song_id,sample_15000ms,sample_15500ms,sample_16000ms\n";

class DataLoaders : public dynemo::testing::TempDirTest {
 protected:
  DataLoaders() : TempDirTest("dynemo-data") {}

  dynemo::Dataset load(const std::string& name, const fs::path& root = {}) {
    return dynemo::load_dataset({name, (root.empty() ? dir_ : root).string(), "", ""});
  }

  // DEAM excerpt layout: songs 10, 2, 3 (file order), 3 has an empty cell in arousal at 15.5 s
  // and valence has song 7 that arousal lacks. Audio for 2 and 10.
  fs::path write_deam_excerpts() {
    const fs::path dyn = dir_ / "annotations" / "dynamic";
    write(dyn / "arousal.csv", kWideHeader +
                                   "10,0.1,0.2,0.3\n"
                                   "2,-0.1,-0.2,-0.3\n"
                                   "3,0.5,,0.7\n");
    write(dyn / "valence.csv", kWideHeader +
                                   "10,0.4,0.5,0.6\n"
                                   "2,-0.4,-0.5,-0.6\n"
                                   "3,0.0,0.1,\n"
                                   "7,0.1,0.1,0.1\n");
    touch_audio(dir_ / "audio_30s_40s", {"2", "10"});
    return dyn;
  }

  const fs::path& dir() const { return dir_; }
};

// --- CSV reader ----------------------------------------------------------------------------

TEST(Csv, QuotesSeparatorsAndWhitespace) {
  const auto t = dynemo::data::parse_csv(
      "\xEF\xBB\xBFsong_id , file_name,Genre\r\n"
      "2,\t2.mp3,Blues\t\r\n"
      "\n"
      "3,\"a, \"\"quoted\"\"\nname\" ,  x \n",
      "f.csv");
  ASSERT_EQ(t.header, (std::vector<std::string>{"song_id", "file_name", "Genre"}));
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0], (std::vector<std::string>{"2", "2.mp3", "Blues"}));
  EXPECT_EQ(t.rows[1], (std::vector<std::string>{"3", "a, \"quoted\"\nname", "x"}));
  EXPECT_EQ(t.line[0], 2u);
  EXPECT_EQ(t.line[1], 4u);  // the blank line 3 is skipped
  EXPECT_EQ(t.where(1, 2), "f.csv:4:3");
}

TEST(Csv, SemicolonSeparatorAndEmptyCells) {
  const auto t = dynemo::data::parse_csv("frameTime;a;b\n0.5;;1e-3\n", "g.csv", ';');
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.number(0, 0), 0.5);
  EXPECT_FALSE(t.number_or_empty(0, 1).has_value());
  EXPECT_EQ(*t.number_or_empty(0, 2), 1e-3);
  EXPECT_THROW_MSG(t.number(0, 1, "a rating"), dynemo::DataError,
                   "g.csv:2:2: empty cell, expected a rating");
}

TEST(Csv, StrictNumbers) {
  using dynemo::data::parse_number;
  EXPECT_EQ(parse_number("-0.25"), -0.25);
  EXPECT_EQ(parse_number("+2"), 2.0);
  EXPECT_EQ(parse_number("1E3"), 1000.0);
  for (const char* bad : {"", "abc", "1.0x", "1,5", "nan", "NaN", "inf", "-Infinity", "+-1", "--1",
                          "0x10", " 1", "1 "}) {
    EXPECT_FALSE(parse_number(bad).has_value()) << bad;
  }
  const auto t = dynemo::data::parse_csv("a,b,c\n1,2,3\n4,abc,NaN\n", "h.csv");
  EXPECT_THROW_MSG(t.number(1, 1), dynemo::DataError, "h.csv:3:2: 'abc' is not a number");
  EXPECT_THROW_MSG(t.number(1, 2), dynemo::DataError, "h.csv:3:3: 'NaN' is not a finite number");
}

TEST(Csv, MalformedFiles) {
  using dynemo::data::parse_csv;
  EXPECT_THROW_MSG(parse_csv("a,b,c\n1,2,3\n1,2\n", "w.csv"), dynemo::DataError,
                   "w.csv:3: 2 cells, the header has 3");
  EXPECT_THROW_MSG(parse_csv("a,b\n1,\"open\n", "q.csv"), dynemo::DataError,
                   "q.csv:2:2: a quoted cell is not closed");
  EXPECT_THROW_MSG(parse_csv("a,b\n1,\"x\"y\n", "r.csv"), dynemo::DataError,
                   "r.csv:2:2: text after the closing quote");
  EXPECT_THROW_MSG(parse_csv("\n\n", "e.csv"), dynemo::DataError, "e.csv: empty file");
  EXPECT_THROW_MSG(dynemo::data::read_csv("/nonexistent/x.csv"), dynemo::DataError,
                   "/nonexistent/x.csv: cannot open");
  const auto t = parse_csv("a,b\n1,2\n", "c.csv");
  EXPECT_THROW_MSG(t.column("zz"), dynemo::DataError, "c.csv:1: no column 'zz'");
}

// --- Dispatch ------------------------------------------------------------------------------

TEST_F(DataLoaders, NamesAndConfigErrors) {
  EXPECT_EQ(dynemo::dataset_names(),
            (std::vector<std::string>{"deam", "emomusic", "pmemo", "custom"}));
  EXPECT_THROW_MSG(load("deem"), dynemo::ConfigError,
                   "unknown dataset 'deem', expected one of: deam, emomusic, pmemo, custom");
  EXPECT_THROW_MSG(dynemo::load_dataset({"deam", "", "", ""}), dynemo::ConfigError,
                   "deam: no dataset root given");
  EXPECT_THROW_MSG(load("pmemo", dir() / "missing"), dynemo::ConfigError,
                   "pmemo: dataset root '" + (dir() / "missing").string() + "' is not a directory");
  // A root without annotation files is a DataError naming what was expected.
  EXPECT_THROW_MSG(load("deam"), dynemo::DataError, "annotations/dynamic/arousal.csv");
  EXPECT_THROW_MSG(load("emomusic"), dynemo::DataError, "annotations/arousal_cont_average.csv");
  EXPECT_THROW_MSG(load("pmemo"), dynemo::DataError, "annotations/dynamic_annotations.csv");
}

// --- DEAM ----------------------------------------------------------------------------------

TEST_F(DataLoaders, DeamExcerptLayout) {
  write_deam_excerpts();
  const dynemo::Dataset d = load("deam");
  EXPECT_EQ(d.name, "deam");
  EXPECT_EQ(d.scale_min, -1.0);
  EXPECT_EQ(d.scale_max, 1.0);
  ASSERT_EQ(d.songs.size(), 3u);
  EXPECT_EQ(d.songs[0].song_id, "2");  // numeric order, not file order
  EXPECT_EQ(d.songs[1].song_id, "3");
  EXPECT_EQ(d.songs[2].song_id, "10");
  for (const auto& song : d.songs) EXPECT_EQ(song.audio_offset_s, 30.0);
  EXPECT_EQ(d.songs[0].audio_path, (dir() / "audio_30s_40s" / "2.mp3").string());
  EXPECT_EQ(d.songs[1].audio_path, "");  // 3.mp3 does not exist
  EXPECT_EQ(d.songs[0].time_s, (std::vector<double>{15.0, 15.5, 16.0}));
  EXPECT_EQ(d.songs[0].arousal, (std::vector<double>{-0.1, -0.2, -0.3}));
  EXPECT_EQ(d.songs[0].valence, (std::vector<double>{-0.4, -0.5, -0.6}));
  // Song 3: arousal empty at 15.5 s, valence empty at 16.0 s -> only 15.0 s is kept.
  EXPECT_EQ(d.songs[1].time_s, (std::vector<double>{15.0}));
  EXPECT_EQ(d.songs[1].arousal, (std::vector<double>{0.5}));
  EXPECT_EQ(d.songs[1].valence, (std::vector<double>{0.0}));

  const dynemo::DatasetReport& r = d.report;
  EXPECT_EQ(r.n_songs, 3u);
  EXPECT_EQ(r.n_frames, 7u);
  EXPECT_EQ(r.n_songs_without_audio, 1u);
  EXPECT_EQ(r.n_empty_cells, 2u);
  EXPECT_EQ(r.n_songs_dropped, 1u);  // song 7, valence only
  std::string notes;
  for (const auto& note : r.notes) notes += note + "\n";
  EXPECT_TRUE(contains(d.report.layout, "DEAM excerpts")) << d.report.layout;
  EXPECT_TRUE(contains(
      notes, "1 songs in " + (dir() / "annotations/dynamic/valence.csv").string() + " but not in"))
      << notes;
  EXPECT_TRUE(contains(notes, "2 ratings present in one dimension only skipped")) << notes;
  EXPECT_TRUE(contains(notes, "1 of 3 songs have no audio file (3)")) << notes;
}

TEST_F(DataLoaders, DeamOfficialLayout) {
  const fs::path dyn =
      dir() / "annotations" / "annotations averaged per song" / "dynamic (per second annotations)";
  // Different column sets: times pair by value, 15.0 s is in arousal only.
  write(dyn / "arousal.csv", "song_id,sample_15000ms,sample_15500ms\n2001,0.1,0.2\n");
  write(dyn / "valence.csv", "song_id,sample_15500ms,sample_16000ms\n2001,0.3,0.4\n");
  touch_audio(dir() / "MEMD_audio", {"2001"});
  const dynemo::Dataset d = load("deam");
  ASSERT_EQ(d.songs.size(), 1u);
  EXPECT_EQ(d.songs[0].audio_offset_s, 0.0);
  EXPECT_EQ(d.songs[0].audio_path, (dir() / "MEMD_audio" / "2001.mp3").string());
  EXPECT_EQ(d.songs[0].time_s, (std::vector<double>{15.5}));
  EXPECT_EQ(d.songs[0].arousal, (std::vector<double>{0.2}));
  EXPECT_EQ(d.songs[0].valence, (std::vector<double>{0.3}));
  EXPECT_TRUE(contains(d.report.layout, "DEAM official"));
}

TEST_F(DataLoaders, DeamMalformedFiles) {
  const fs::path dyn = write_deam_excerpts();
  const std::string arousal = (dyn / "arousal.csv").string();
  const std::string valence = (dyn / "valence.csv").string();

  write(dyn / "arousal.csv", kWideHeader + "2,0.1,abc,0.3\n");
  EXPECT_THROW_MSG(load("deam"), dynemo::DataError, arousal + ":2:3: 'abc' is not a number");
  write(dyn / "arousal.csv", kWideHeader + "2,0.1,0.2,0.3\n3,NaN,0.2,0.3\n");
  EXPECT_THROW_MSG(load("deam"), dynemo::DataError, arousal + ":3:2: 'NaN' is not a finite number");
  write(dyn / "arousal.csv", kWideHeader + "2,0.1,0.2,inf\n");
  EXPECT_THROW_MSG(load("deam"), dynemo::DataError, arousal + ":2:4: 'inf' is not a finite number");
  write(dyn / "arousal.csv", kWideHeader + "2,0.1,0.2\n");
  EXPECT_THROW_MSG(load("deam"), dynemo::DataError, arousal + ":2: 3 cells, the header has 4");
  write(dyn / "arousal.csv", kWideHeader + "2,0.1,0.2,0.3,0.4\n");
  EXPECT_THROW_MSG(load("deam"), dynemo::DataError, arousal + ":2: 5 cells, the header has 4");
  write(dyn / "arousal.csv", "song_id,sample_15000ms,sample_15500\n2,0.1,0.2\n");
  EXPECT_THROW_MSG(load("deam"), dynemo::DataError,
                   arousal + ":1:3: column 'sample_15500' is not sample_<ms>ms");
  write(dyn / "arousal.csv", "song_id,sample_15500ms,sample_15000ms\n2,0.1,0.2\n");
  EXPECT_THROW_MSG(load("deam"), dynemo::DataError, arousal + ":1:3: column 'sample_15000ms'");
  write(dyn / "arousal.csv", kWideHeader + "2,0.1,0.2,0.3\n2,0.1,0.2,0.3\n");
  EXPECT_THROW_MSG(load("deam"), dynemo::DataError,
                   arousal + ":3:1: song 2 appears twice (first on line 2)");
  write(dyn / "arousal.csv", kWideHeader + ",0.1,0.2,0.3\n");
  EXPECT_THROW_MSG(load("deam"), dynemo::DataError,
                   arousal + ":2:1: empty cell, expected a song id");
  write(dyn / "arousal.csv", kWideHeader + "2,0.1,0.2,0.3\n");
  fs::remove(dyn / "valence.csv");
  EXPECT_THROW_MSG(load("deam"), dynemo::DataError, valence + ": cannot open");
}

// --- emoMusic ------------------------------------------------------------------------------

TEST_F(DataLoaders, EmomusicLayouts) {
  const fs::path ann = dir() / "annotations";
  write(ann / "arousal_cont_average.csv", kWideHeader + "2,0.1,0.2,0.3\n3,0.1,0.2,0.3\n4,0,0,0\n");
  write(ann / "valence_cont_average.csv", kWideHeader + "2,0.1,0.2,0.3\n3,0.1,0.2,0.3\n4,0,0,0\n");
  write(ann / "songs_info.csv",
        "song_id,file_name,Artist,Genre,Mediaeval 2013 set\n"
        "2,\t2.mp3,\"Smith, J.\"\t,\tBlues\t,development\n"
        "3,\t3.mp3,X\t,\tBlues\t,evaluation\n");
  touch_audio(dir() / "clips_45s", {"2", "3"});
  dynemo::Dataset d = load("emomusic");
  ASSERT_EQ(d.songs.size(), 3u);
  EXPECT_EQ(d.songs[0].audio_path, (dir() / "clips_45s" / "2.mp3").string());
  EXPECT_EQ(d.songs[2].audio_path, "");
  EXPECT_EQ(d.songs[0].audio_offset_s, 0.0);
  EXPECT_EQ(d.report.n_songs_without_audio, 1u);
  EXPECT_EQ(d.official_set,
            (std::map<std::string, std::string>{{"2", "development"}, {"3", "evaluation"}}));
  EXPECT_TRUE(contains(d.report.layout, "emoMusic shared copy"));

  // The official audio folder wins when both exist.
  touch_audio(dir() / "clips_45seconds", {"4"});
  d = load("emomusic");
  EXPECT_EQ(d.songs[2].audio_path, (dir() / "clips_45seconds" / "4.mp3").string());
  EXPECT_EQ(d.songs[0].audio_path, "");
  EXPECT_TRUE(contains(d.report.layout, "emoMusic official"));

  write(ann / "songs_info.csv", "song_id,Mediaeval 2013 set\n2,develpment\n");
  EXPECT_THROW_MSG(load("emomusic"), dynemo::DataError,
                   (ann / "songs_info.csv").string() + ":2:2: 'develpment' is not a MediaEval");
}

// --- PMEmo ---------------------------------------------------------------------------------

TEST_F(DataLoaders, PmemoLongLayout) {
  const fs::path file = dir() / "annotations" / "dynamic_annotations.csv";
  write(file,
        "musicId,frameTime,Arousal(mean),Valence(mean)\n"
        "4,16.0,0.3,0.4\n"
        "4,15.5,0.1,0.2\n"
        "1,15.5,0.5,0.6\n");
  dynemo::Dataset d = load("pmemo");
  EXPECT_EQ(d.scale_min, 0.0);
  EXPECT_EQ(d.scale_max, 1.0);
  ASSERT_EQ(d.songs.size(), 2u);
  EXPECT_EQ(d.songs[0].song_id, "1");
  EXPECT_EQ(d.songs[1].time_s, (std::vector<double>{15.5, 16.0}));  // sorted by time
  EXPECT_EQ(d.songs[1].arousal, (std::vector<double>{0.1, 0.3}));
  EXPECT_EQ(d.songs[1].valence, (std::vector<double>{0.2, 0.4}));
  EXPECT_EQ(d.report.n_songs_without_audio, 2u);
  EXPECT_EQ(d.report.n_frames, 3u);

  touch_audio(dir() / "chorus", {"4"});
  d = load("pmemo");
  EXPECT_EQ(d.songs[1].audio_path, (dir() / "chorus" / "4.mp3").string());
  EXPECT_EQ(d.report.n_songs_without_audio, 1u);

  write(file, "musicId,frameTime,Arousal(mean),Valence(mean)\n1,15.5,0.1,0.2\n1,15.5,0.1,0.2\n");
  EXPECT_THROW_MSG(load("pmemo"), dynemo::DataError,
                   file.string() + ":3:2: song 1 is rated twice at 15.5 s (lines 2 and 3)");
  write(file, "musicId,frameTime,Arousal(mean),Valence(mean)\n1,15.5,0.1,x\n");
  EXPECT_THROW_MSG(load("pmemo"), dynemo::DataError, file.string() + ":2:4: 'x' is not a number");
  write(file, "musicId,frameTime,Arousal,Valence(mean)\n1,15.5,0.1,0.2\n");
  EXPECT_THROW_MSG(load("pmemo"), dynemo::DataError,
                   file.string() + ":1: no column 'Arousal(mean)'");
}

// --- custom --------------------------------------------------------------------------------

TEST_F(DataLoaders, CustomManifest) {
  const fs::path manifest = dir() / "lists" / "manifest.csv";
  const fs::path annotations = dir() / "lists" / "annotations.csv";
  write(manifest,
        "song_id,audio_path,offset_s\n"
        "b,audio/b.wav,30\n"
        "a,audio/a.wav,\n"
        "c," +
            (dir() / "abs.wav").string() +
            ",0\n"
            "unrated,audio/a.wav,0\n");
  write(annotations,
        "song_id,time_s,arousal,valence\n"
        "b,30.5,0.1,0.2\n"
        "b,30.0,0.3,0.4\n"
        "a,0.0,-0.5,0.5\n"
        "c,1.0,0,0\n");
  touch_audio(dir() / "lists" / "audio", {});
  write(dir() / "lists" / "audio" / "a.wav", "x");
  write(dir() / "abs.wav", "x");
  dynemo::Dataset d = dynemo::load_dataset({"custom", "", manifest.string(), annotations.string()});
  ASSERT_EQ(d.songs.size(), 3u);
  EXPECT_EQ(d.songs[0].song_id, "a");  // text ids: lexicographic order
  EXPECT_EQ(d.songs[0].audio_path, (dir() / "lists" / "audio" / "a.wav").string());
  EXPECT_EQ(d.songs[0].audio_offset_s, 0.0);
  EXPECT_EQ(d.songs[1].song_id, "b");
  EXPECT_EQ(d.songs[1].audio_path, "");  // audio/b.wav is missing
  EXPECT_EQ(d.songs[1].audio_offset_s, 30.0);
  EXPECT_EQ(d.songs[1].time_s, (std::vector<double>{30.0, 30.5}));
  EXPECT_EQ(d.songs[2].audio_path, (dir() / "abs.wav").string());
  EXPECT_EQ(d.report.n_songs_without_audio, 1u);
  EXPECT_EQ(d.report.n_songs_dropped, 1u);
  std::string notes;
  for (const auto& note : d.report.notes) notes += note + "\n";
  EXPECT_TRUE(contains(notes, "1 songs of " + manifest.string() + " have no annotations")) << notes;

  // An explicit root: relative paths resolve against it.
  write(dir() / "audio" / "b.wav", "x");
  d = dynemo::load_dataset({"custom", dir().string(), manifest.string(), annotations.string()});
  EXPECT_EQ(d.songs[1].audio_path, (dir() / "audio" / "b.wav").string());
  EXPECT_EQ(d.songs[0].audio_path, "");

  write(annotations, "song_id,time_s,arousal,valence\nzz,0,0,0\na,0,0,0\n");
  EXPECT_THROW_MSG(
      dynemo::load_dataset({"custom", "", manifest.string(), annotations.string()}),
      dynemo::DataError,
      annotations.string() + ": 1 ids without audio (no row in " + manifest.string() + "): zz");
  EXPECT_THROW_MSG(dynemo::load_dataset({"custom", "", "", annotations.string()}),
                   dynemo::ConfigError, "custom: no manifest given");
  EXPECT_THROW_MSG(dynemo::load_dataset({"custom", "", manifest.string(), ""}), dynemo::ConfigError,
                   "custom: no annotations given");
  EXPECT_THROW_MSG(
      dynemo::load_dataset({"custom", "", (dir() / "nope.csv").string(), annotations.string()}),
      dynemo::DataError, (dir() / "nope.csv").string() + ": cannot open");
  write(manifest, "song_id,audio_path,offset_s\na,a.wav,soon\n");
  EXPECT_THROW_MSG(dynemo::load_dataset({"custom", "", manifest.string(), annotations.string()}),
                   dynemo::DataError, manifest.string() + ":2:3: 'soon' is not a number");
  // Only a header: no songs is an error, not an empty dataset that a cache "builds".
  write(manifest, "song_id,audio_path\na,a.wav\n");
  write(annotations, "song_id,time_s,arousal,valence\n");
  EXPECT_THROW_MSG(dynemo::load_dataset({"custom", "", manifest.string(), annotations.string()}),
                   dynemo::DataError,
                   "custom: no annotated song in '" + annotations.string() +
                       "': the annotation files hold no ratings");
}

// --- Standard deviations and static ratings --------------------------------------------------

TEST_F(DataLoaders, EmomusicStdAndStatic) {
  const fs::path ann = dir() / "annotations";
  write(ann / "arousal_cont_average.csv", kWideHeader + "2,0.1,0.2,0.3\n3,0.1,0.2,0.3\n4,0,0,0\n");
  write(ann / "valence_cont_average.csv", kWideHeader + "2,0.1,0.2,0.3\n3,0.1,0.2,0.3\n4,0,0,0\n");
  // Without std or static files: empty std, NaN static.
  dynemo::Dataset d = load("emomusic");
  ASSERT_EQ(d.songs.size(), 3u);
  EXPECT_TRUE(d.songs[0].arousal_std.empty());
  EXPECT_TRUE(std::isnan(d.songs[0].static_arousal));
  EXPECT_TRUE(std::isnan(d.songs[0].static_valence));

  // Std files with one more column than the averages (paired by time); song 3
  // lacks a std at 16.0 s and song 4 is absent: both keep no std.
  write(ann / "arousal_cont_std.csv",
        "song_id,sample_15000ms,sample_15500ms,sample_16000ms,sample_16500ms\n"
        "2,0.01,0.02,0.03,0.09\n3,0.1,0.1,,0.1\n");
  write(ann / "valence_cont_std.csv", kWideHeader + "2,0.04,0.05,0.06\n3,0.1,0.1,0.1\n");
  write(ann / "static_annotations.csv",
        "song_id,mean_arousal,std_arousal,mean_valence,std_valence\n"
        "2,3.1,0.99,5,0.6\n3,7,1,2.5,1\n");
  d = load("emomusic");
  ASSERT_EQ(d.songs.size(), 3u);
  EXPECT_EQ(d.songs[0].arousal_std, (std::vector<double>{0.01, 0.02, 0.03}));
  EXPECT_EQ(d.songs[0].valence_std, (std::vector<double>{0.04, 0.05, 0.06}));
  EXPECT_TRUE(d.songs[1].arousal_std.empty());
  EXPECT_TRUE(d.songs[1].valence_std.empty());
  EXPECT_TRUE(d.songs[2].arousal_std.empty());
  EXPECT_EQ(d.songs[0].static_arousal, 3.1);
  EXPECT_EQ(d.songs[0].static_valence, 5.0);
  EXPECT_EQ(d.songs[1].static_arousal, 7.0);
  EXPECT_EQ(d.songs[1].static_valence, 2.5);
  EXPECT_TRUE(std::isnan(d.songs[2].static_arousal));
  std::string notes;
  for (const auto& note : d.report.notes) notes += note + "\n";
  EXPECT_TRUE(contains(notes, "2 of 3 songs have ratings without a standard deviation in " +
                                  (ann / "arousal_cont_std.csv").string()))
      << notes;
  EXPECT_TRUE(contains(notes, "(3, 4)")) << notes;
  EXPECT_TRUE(contains(notes, "1 of 3 songs have no static rating in " +
                                  (ann / "static_annotations.csv").string() + " (4)"))
      << notes;

  // Malformed std and static files throw like the averages.
  const std::string std_file = (ann / "valence_cont_std.csv").string();
  write(ann / "valence_cont_std.csv", kWideHeader + "2,0.04,oops,0.06\n");
  EXPECT_THROW_MSG(load("emomusic"), dynemo::DataError, std_file + ":2:3: 'oops' is not a number");
  write(ann / "valence_cont_std.csv", kWideHeader + "2,0.04,0.05\n");
  EXPECT_THROW_MSG(load("emomusic"), dynemo::DataError, std_file + ":2: 3 cells, the header has 4");
  write(ann / "valence_cont_std.csv", kWideHeader + "2,0.04,-0.05,0.06\n");
  EXPECT_THROW_MSG(load("emomusic"), dynemo::DataError,
                   "song 2 at 15.5 s: standard deviation -0.05, expected a value >= 0");
  write(ann / "valence_cont_std.csv", kWideHeader + "2,0.04,0.05,0.06\n");
  const std::string static_file = (ann / "static_annotations.csv").string();
  write(ann / "static_annotations.csv", "song_id,mean_arousal,mean_valence\n2,3,x\n");
  EXPECT_THROW_MSG(load("emomusic"), dynemo::DataError, static_file + ":2:3: 'x' is not a number");
  write(ann / "static_annotations.csv", "song_id,mean_arousal,mean_valence\n2,3,4\n2,5,6\n");
  EXPECT_THROW_MSG(
      load("emomusic"), dynemo::DataError,
      static_file + ":3:1: song 2 has a second static rating (first at " + static_file + ":2)");
  write(ann / "static_annotations.csv", "song_id,arousal,mean_valence\n2,3,4\n");
  EXPECT_THROW_MSG(load("emomusic"), dynemo::DataError,
                   static_file + ":1: no column 'mean_arousal'");
}

TEST_F(DataLoaders, DeamStdAndStatic) {
  write_deam_excerpts();
  // Excerpt layout: static ratings with DEAM's spaced header, valence first; no std files.
  write(dir() / "annotations" / "song_level" / "static_annotations_averaged_songs_1_2000.csv",
        "song_id, valence_mean, valence_std, arousal_mean, arousal_std\n"
        "2,3.1,0.94,3,0.63\n10,6,1,7.5,1\n");
  write(dir() / "annotations" / "song_level" / "static_annotations_averaged_songs_2000_2058.csv",
        "song_id, valence_mean, valence_std, arousal_mean, arousal_std\n3,4,1,,1\n");
  dynemo::Dataset d = load("deam");
  ASSERT_EQ(d.songs.size(), 3u);
  EXPECT_EQ(d.songs[0].static_valence, 3.1);
  EXPECT_EQ(d.songs[0].static_arousal, 3.0);
  EXPECT_EQ(d.songs[1].static_valence, 4.0);
  EXPECT_TRUE(std::isnan(d.songs[1].static_arousal));  // empty cell
  EXPECT_EQ(d.songs[2].static_arousal, 7.5);
  for (const auto& song : d.songs) EXPECT_TRUE(song.arousal_std.empty());

  // Official layout: std files beside the averages.
  fs::remove_all(dir() / "annotations");
  const fs::path dyn =
      dir() / "annotations" / "annotations averaged per song" / "dynamic (per second annotations)";
  write(dyn / "arousal.csv", "song_id,sample_15000ms,sample_15500ms\n2001,0.1,0.2\n");
  write(dyn / "valence.csv", "song_id,sample_15000ms,sample_15500ms\n2001,0.3,0.4\n");
  write(dyn / "arousal_std.csv", "song_id,sample_15000ms,sample_15500ms\n2001,0.11,0.12\n");
  write(dyn / "valence_std.csv", "song_id,sample_15000ms,sample_15500ms\n2001,0.13,0.14\n");
  write(dir() / "annotations" / "annotations averaged per song" / "song_level" /
            "static_annotations_averaged_songs_2000_2058.csv",
        "song_id, valence_mean, valence_std, arousal_mean, arousal_std\n2001,2,1,8,1\n");
  d = load("deam");
  ASSERT_EQ(d.songs.size(), 1u);
  EXPECT_EQ(d.songs[0].arousal_std, (std::vector<double>{0.11, 0.12}));
  EXPECT_EQ(d.songs[0].valence_std, (std::vector<double>{0.13, 0.14}));
  EXPECT_EQ(d.songs[0].static_arousal, 8.0);
  EXPECT_EQ(d.songs[0].static_valence, 2.0);

  write(dyn / "arousal_std.csv", "song_id,sample_15000ms,sample_15500ms\n2001,0.11,nan\n");
  EXPECT_THROW_MSG(load("deam"), dynemo::DataError,
                   (dyn / "arousal_std.csv").string() + ":2:3: 'nan' is not a finite number");
}

TEST_F(DataLoaders, PmemoStdAndStatic) {
  const fs::path ann = dir() / "annotations";
  write(ann / "dynamic_annotations.csv",
        "musicId,frameTime,Arousal(mean),Valence(mean)\n"
        "4,16.0,0.3,0.4\n4,15.5,0.1,0.2\n1,15.5,0.5,0.6\n1,16.0,0.5,0.6\n");
  write(ann / "dynamic_annotations_std.csv",
        "musicId,frameTime,Arousal(std),Valence(std)\n"
        "4,15.5,0.01,0.02\n4,16.0,0.03,0.04\n4,16.5,0.9,0.9\n1,15.5,0.05,0.06\n");
  write(ann / "static_annotations.csv",
        "musicId,Arousal(mean),Valence(mean)\n4,0.4,0.575\n1,0.2625,0.2875\n9,0,0\n");
  dynemo::Dataset d = load("pmemo");
  ASSERT_EQ(d.songs.size(), 2u);
  // Song 1 has no std at 16.0 s: no std, noted. Song 4's extra std at 16.5 s is ignored.
  EXPECT_TRUE(d.songs[0].arousal_std.empty());
  EXPECT_EQ(d.songs[1].arousal_std, (std::vector<double>{0.01, 0.03}));
  EXPECT_EQ(d.songs[1].valence_std, (std::vector<double>{0.02, 0.04}));
  EXPECT_EQ(d.songs[0].static_arousal, 0.2625);
  EXPECT_EQ(d.songs[1].static_valence, 0.575);
  std::string notes;
  for (const auto& note : d.report.notes) notes += note + "\n";
  EXPECT_TRUE(contains(notes, "1 of 2 songs have ratings without a standard deviation in " +
                                  (ann / "dynamic_annotations_std.csv").string() +
                                  ", so no std (1)"))
      << notes;

  const std::string std_file = (ann / "dynamic_annotations_std.csv").string();
  write(ann / "dynamic_annotations_std.csv",
        "musicId,frameTime,Arousal(std),Valence(std)\n4,x,0,0\n");
  EXPECT_THROW_MSG(load("pmemo"), dynemo::DataError, std_file + ":2:2: 'x' is not a number");
  write(ann / "dynamic_annotations_std.csv", "musicId,frameTime,Arousal(mean),Valence(mean)\n");
  EXPECT_THROW_MSG(load("pmemo"), dynemo::DataError, std_file + ":1: no column 'Arousal(std)'");
}

// --- Ratings outside the audio ---------------------------------------------------------------

TEST_F(DataLoaders, RatingsOutsideAudio) {
  const fs::path manifest = dir() / "manifest.csv";
  const fs::path annotations = dir() / "annotations.csv";
  write(manifest,
        "song_id,audio_path,offset_s\n"
        "a,a.wav,0\n"
        "b,b.wav,30\n"
        "c,c.mp3,0\n"
        "d,missing.wav,0\n");
  write(annotations,
        "song_id,time_s,arousal,valence\n"
        // a: 1.0 s of audio: windows at 0 and 0.5 s are whole, 1.0 s is not.
        "a,0.0,0,0\na,0.5,0,0\na,1.0,0,0\n"
        // b: audio from 30 s on: 29.5 s starts before it, 31.0 s ends past it.
        "b,29.5,0,0\nb,30.0,0,0\nb,30.5,0,0\nb,31.0,0,0\n"
        // c: not audio at all, d: no file: neither is counted.
        "c,100,0,0\nd,100,0,0\n");
  write_wav(dir() / "a.wav", 8000, 8000);
  write_wav(dir() / "b.wav", 8000, 8000);
  write(dir() / "c.mp3", "not really mp3");
  const dynemo::Dataset d =
      dynemo::load_dataset({"custom", "", manifest.string(), annotations.string()});
  ASSERT_EQ(d.songs.size(), 4u);
  EXPECT_EQ(d.report.n_ratings_outside_audio, 3u);
  EXPECT_EQ(d.report.n_songs_unreadable_audio, 1u);
  EXPECT_EQ(d.report.n_songs_without_audio, 1u);
  std::string notes;
  for (const auto& note : d.report.notes) notes += note + "\n";
  EXPECT_TRUE(contains(notes, "song c: audio unreadable: " + (dir() / "c.mp3").string())) << notes;

  // Above, the window [0.5, 1.0) s ending exactly at the end of a.wav was whole; one frame less
  // (125 us, far beyond the 1e-6 s tolerance) and it is not.
  write_wav(dir() / "a.wav", 8000, 7999);  // 0.999875 s: the window at 0.5 s no longer fits
  EXPECT_EQ(dynemo::load_dataset({"custom", "", manifest.string(), annotations.string()})
                .report.n_ratings_outside_audio,
            4u);
}

// --- dynemo dataset info -------------------------------------------------------------------

TEST_F(DataLoaders, CliDatasetInfo) {
  write_deam_excerpts();
  const auto run = dynemo::testing::run_command(std::string(DYNEMO_CLI) +
                                                    " dataset info --dataset deam --root " +
                                                    dynemo::testing::shell_quote(dir().string()),
                                                dir());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const std::string& out = run.out;
  // Songs 2 and 10 have (unreadable) audio files; song 3 none.
  for (const char* line :
       {"dataset              deam\n", "audio offset         30 s\n",
        "scale                [-1, 1]\n", "songs                3\n", "frames               7\n",
        "frames per song      min 1, median 3, max 3\n", "rating times         15 s to 16 s\n",
        "songs without audio  1\n", "unreadable audio     2\n",
        "outside audio        0 ratings without", "empty cells          2\n",
        "songs dropped        1\n", "songs with std       0 of 3\n",
        "static ratings       0 of 3\n"}) {
    EXPECT_TRUE(contains(out, line)) << "missing: " << line << "in:\n" << out;
  }
  EXPECT_TRUE(contains(out, "layout               DEAM excerpts")) << out;
  EXPECT_TRUE(contains(out, "  - song 2: audio unreadable: ")) << out;

  const auto bad = dynemo::testing::run_command(std::string(DYNEMO_CLI) +
                                                    " dataset info --dataset pmemo --root " +
                                                    dynemo::testing::shell_quote(dir().string()),
                                                dir());
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_TRUE(contains(bad.err, "error: pmemo: no annotations under")) << bad.err;
}

}  // namespace
