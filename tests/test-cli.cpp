// End-to-end tests of the dynemo binary (DYNEMO_CLI) on WAV files written here with libsndfile:
// output shapes, time grid, sidecars, and the failure paths (bad file, unknown set, usage).
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "audio-fixtures.h"
#include "dynemo/version.h"
#include "file-helpers.h"

namespace fs = std::filesystem;
using dynemo::testing::contains;
using dynemo::testing::Csv;
using dynemo::testing::Npy;
using dynemo::testing::read_csv;
using dynemo::testing::read_file;
using dynemo::testing::read_npy;
using dynemo::testing::split;

namespace {

constexpr double kPi = 3.14159265358979323846;

// A mono 16-bit WAV holding a sine of `frequency_hz` at half amplitude.
void write_sine_wav(const fs::path& path, double seconds, double frequency_hz = 440.0,
                    int rate_hz = 44100) {
  SF_INFO info{};
  info.samplerate = rate_hz;
  info.channels = 1;
  info.format = SF_FORMAT_WAV | SF_FORMAT_PCM_16;
  SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
  ASSERT_NE(file, nullptr) << sf_strerror(nullptr);
  std::vector<float> samples(static_cast<std::size_t>(std::lround(seconds * rate_hz)));
  for (std::size_t i = 0; i < samples.size(); ++i) {
    samples[i] = static_cast<float>(0.5 * std::sin(2 * kPi * frequency_hz * i / rate_hz));
  }
  EXPECT_EQ(sf_write_float(file, samples.data(), static_cast<sf_count_t>(samples.size())),
            static_cast<sf_count_t>(samples.size()));
  sf_close(file);
}

using CliRun = dynemo::testing::CommandRun;

class CliTest : public dynemo::testing::TempDirTest {
 protected:
  CliTest() : TempDirTest("dynemo-test-cli") {}

  static std::string quote(const std::string& text) { return dynemo::testing::shell_quote(text); }

  // Runs the dynemo binary with `args` (already quoted as needed), capturing both streams.
  CliRun run_cli(const std::string& args) {
    return dynemo::testing::run_command(quote(DYNEMO_CLI) + " " + args, dir_);
  }
};

TEST_F(CliTest, SpectralCsvHasOneRowPerHalfSecondAndASidecar) {
  const fs::path wav = dir_ / "sine.wav", out = dir_ / "out";
  write_sine_wav(wav, 2.0);
  const CliRun run = run_cli("features --set spectral " + quote(wav) + " -o " + quote(out));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(contains(
      run.out, "features: 1 written, 0 skipped (output current; --force to redo), 0 failed"))
      << run.out;

  const Csv csv = read_csv(out / "sine.csv");
  ASSERT_EQ(csv.header.size(), 197u + 1);
  EXPECT_EQ(csv.header[0], "time_s");
  EXPECT_EQ(csv.header[1].rfind("spectral.", 0), 0u) << csv.header[1];
  ASSERT_EQ(csv.rows.size(), 4u) << "2.0 s at 0.5 s windows";
  const double expected_times[] = {0.0, 0.5, 1.0, 1.5};
  for (std::size_t r = 0; r < 4; ++r) {
    ASSERT_EQ(csv.rows[r].size(), 198u);
    EXPECT_NEAR(csv.rows[r][0], expected_times[r], 1e-9);
    for (double v : csv.rows[r]) EXPECT_TRUE(std::isfinite(v));
  }

  // The values are those of a 440 Hz sine at amplitude 0.5, so the audio went through intact.
  const auto column = [&](const std::string& name) {
    const auto it = std::find(csv.header.begin(), csv.header.end(), name);
    EXPECT_NE(it, csv.header.end()) << name;
    return it == csv.header.end() ? std::size_t{0} : std::size_t(it - csv.header.begin());
  };
  for (const std::vector<double>& row : csv.rows) {
    EXPECT_NEAR(row[column("spectral.spectral_centroid")], 440.0, 0.05 * 440.0);
    EXPECT_NEAR(row[column("spectral.rms")], 0.5 / std::sqrt(2.0), 0.02 * 0.5 / std::sqrt(2.0));
    EXPECT_NEAR(row[column("spectral.zcr")], 2 * 440.0 / 44100, 0.03 * 2 * 440.0 / 44100);
    EXPECT_EQ(row[column("spectral.chroma_stft_9")], 1.0) << "chroma peaks on A";
  }

  const nlohmann::json sidecar = nlohmann::json::parse(read_file(out / "sine.json"));
  EXPECT_EQ(sidecar.at("spec"), "spectral");
  EXPECT_EQ(sidecar.at("n_cols"), 197);
  EXPECT_EQ(sidecar.at("n_rows"), 4);
  EXPECT_EQ(sidecar.at("columns").size(), 197u);
  EXPECT_EQ(sidecar.at("columns")[0], csv.header[1]);
  EXPECT_EQ(sidecar.at("format"), "csv");
  EXPECT_EQ(sidecar.at("input"), wav.string());
  EXPECT_EQ(sidecar.at("dynemo_version"), dynemo::kVersion);
  EXPECT_FALSE(sidecar.at("feature_hash").get<std::string>().empty());
}

TEST_F(CliTest, SetsJoinWithCommaOrPlus) {
  const fs::path wav = dir_ / "sine.wav";
  write_sine_wav(wav, 2.0);
  for (const std::string spec : {"spectral,cqt", "spectral+cqt"}) {
    const fs::path out = dir_ / (spec.find('+') == std::string::npos ? "out-comma" : "out-plus");
    const CliRun run =
        run_cli("features --set " + quote(spec) + " " + quote(wav) + " -o " + quote(out));
    ASSERT_EQ(run.exit_code, 0) << run.err;
    const Csv csv = read_csv(out / "sine.csv");
    EXPECT_EQ(csv.header.size(), 1u + 197 + 252) << spec;
    EXPECT_EQ(csv.rows.size(), 4u) << spec;
  }
}

TEST_F(CliTest, NpyShapeMatchesAndValuesEqualTheCsv) {
  const fs::path wav = dir_ / "sine.wav";
  write_sine_wav(wav, 2.0);
  ASSERT_EQ(
      run_cli("features --set spectral " + quote(wav) + " -o " + quote(dir_ / "csv")).exit_code, 0);
  const CliRun run =
      run_cli("features --set spectral --format npy " + quote(wav) + " -o " + quote(dir_ / "npy"));
  ASSERT_EQ(run.exit_code, 0) << run.err;

  const Npy npy = read_npy(dir_ / "npy" / "sine.npy");
  EXPECT_TRUE(contains(npy.header, "'descr': '<f4'")) << npy.header;
  EXPECT_TRUE(contains(npy.header, "'fortran_order': False")) << npy.header;
  EXPECT_TRUE(contains(npy.header, "'shape': (4, 197)")) << npy.header;
  ASSERT_EQ(npy.values.size(), 4u * 197);

  const Csv csv = read_csv(dir_ / "csv" / "sine.csv");
  ASSERT_EQ(csv.rows.size(), 4u);
  for (std::size_t r = 0; r < 4; ++r) {
    for (std::size_t c = 0; c < 197; ++c) {
      const double expected = csv.rows[r][c + 1];
      EXPECT_LE(std::fabs(npy.values[r * 197 + c] - expected), 1e-6 * std::fabs(expected) + 1e-30)
          << "row " << r << " col " << c;
    }
  }
  const nlohmann::json sidecar = nlohmann::json::parse(read_file(dir_ / "npy" / "sine.json"));
  EXPECT_EQ(sidecar.at("format"), "npy");
  EXPECT_EQ(sidecar.at("time_s").size(), 4u);
}

TEST_F(CliTest, BadFileIsReportedAndTheOthersAreStillWritten) {
  write_sine_wav(dir_ / "good.wav", 2.0);
  write_sine_wav(dir_ / "also-good.wav", 1.0);
  const fs::path bad = dir_ / "bad.mp3";
  std::ofstream(bad) << "this is a text file, not audio\n";
  const fs::path out = dir_ / "out";
  const CliRun run =
      run_cli("features --set spectral --jobs 2 " + quote(dir_ / "good.wav") + " " + quote(bad) +
              " " + quote(dir_ / "also-good.wav") + " -o " + quote(out));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(contains(run.err, "error: ")) << run.err;
  EXPECT_TRUE(contains(run.err, bad.string())) << run.err;
  EXPECT_TRUE(contains(
      run.out, "features: 2 written, 0 skipped (output current; --force to redo), 1 failed"))
      << run.out;
  EXPECT_EQ(read_csv(out / "good.csv").rows.size(), 4u);
  EXPECT_EQ(read_csv(out / "also-good.csv").rows.size(), 2u);
  EXPECT_TRUE(fs::exists(out / "good.json"));
  EXPECT_FALSE(fs::exists(out / "bad.csv"));
  EXPECT_FALSE(fs::exists(out / "bad.json"));
  const std::string log = read_file(out / "errors.log");
  EXPECT_TRUE(contains(log, bad.string() + "\t")) << log;
  EXPECT_EQ(std::count(log.begin(), log.end(), '\n'), 1) << log;

  // A rerun redoes only the failed file; an edited, truncated or foreign output is redone too.
  const std::string command = "features --set spectral --jobs 2 " + quote(dir_ / "good.wav") + " " +
                              quote(bad) + " " + quote(dir_ / "also-good.wav") + " -o " +
                              quote(out);
  const CliRun again = run_cli(command);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_TRUE(contains(again.out,
                       "features: 0 written, 2 skipped (output current; --force to "
                       "redo), 1 failed"))
      << again.out;
  const std::string sidecar = read_file(out / "good.json");
  std::ofstream(out / "good.json") << sidecar.substr(0, sidecar.size() / 2);
  const CliRun other =
      run_cli("features --set spectral,cqt " + quote(dir_ / "also-good.wav") + " -o " + quote(out));
  EXPECT_TRUE(contains(other.out, "features: 1 written, 0 skipped")) << other.out;
  const CliRun redo = run_cli(command);
  EXPECT_TRUE(contains(redo.out, "features: 2 written, 0 skipped")) << redo.out;
  EXPECT_EQ(read_file(out / "good.json").size(), sidecar.size());
  const CliRun forced = run_cli(command + " --force");
  EXPECT_TRUE(contains(forced.out, "features: 2 written, 0 skipped")) << forced.out;
}

// A full disk, as the process's file-size limit (ulimit -f, SIGXFSZ ignored) makes it: the first
// output that does not fit stops the batch; the reason is printed and logged, the files not
// attempted are counted, no partial output or temporary file is left, the exit code is 1.
TEST_F(CliTest, NoRoomToWriteStopsTheBatchAndKeepsTheReason) {
  std::string inputs;
  for (const char* name : {"a.wav", "b.wav", "c.wav", "d.wav"}) {
    write_sine_wav(dir_ / name, 2.0);
    inputs += " " + quote(dir_ / name);
  }
  const fs::path out = dir_ / "out";
  // 12 KiB: errors.log fits, a cqt table of 2 s (4 rows of 253 numbers, about 13 KB) does not.
  const CliRun run = dynemo::testing::run_command(
      "bash -c " + quote("ulimit -f 12; trap '' XFSZ; exec " + quote(DYNEMO_CLI) +
                         " features --set cqt" + inputs + " -o " + quote(out)),
      dir_);
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_TRUE(contains(run.err, "features: stopped: no room to write the outputs")) << run.err;
  EXPECT_TRUE(contains(run.err, "File too large")) << run.err;
  EXPECT_TRUE(contains(run.err, "3 input(s) not attempted")) << run.err;
  EXPECT_TRUE(contains(run.out,
                       "features: 0 written, 0 skipped (output current; --force to "
                       "redo), 1 failed, 3 not attempted (listed in"))
      << run.out;
  const std::string log = read_file(out / "errors.log");
  EXPECT_TRUE(contains(log, (dir_ / "a.wav").string() + "\t")) << log;
  EXPECT_TRUE(contains(log, "File too large")) << log;
  std::vector<std::string> left;
  for (const auto& entry : fs::directory_iterator(out)) left.push_back(entry.path().filename());
  EXPECT_EQ(left, std::vector<std::string>{"errors.log"});
}

// libmpg123's own diagnostics ("[src/libmpg123/layer3.c:...] error: ...", "Note: Trying to
// resync...") do not reach stderr: a damaged MP3 gets dynemo's one line naming the file.
TEST_F(CliTest, DamagedMp3GivesOnlyDynemosMessage) {
  const fs::path mp3 = dir_ / "damaged.mp3";
  const std::vector<float> x = dynemo::test::sine(44100 * 6, 44100.0, 440.0, 0.5);
  const std::string why = dynemo::test::write_sound(
      mp3.string(), SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, 1, 44100, x);
  if (!why.empty()) GTEST_SKIP() << "this libsndfile cannot write MP3: " << why;
  std::string bytes = read_file(mp3);
  ASSERT_GT(bytes.size(), 20000u);
  std::mt19937 rng(1);  // a random byte every 300 from 5000 on: bad frames, lost sync
  for (std::size_t i = 5000; i < bytes.size(); i += 300) bytes[i] = static_cast<char>(rng() & 0xff);
  std::ofstream(mp3, std::ios::binary) << bytes;
  const CliRun run = run_cli("features --set cqt " + quote(mp3) + " -o " + quote(dir_ / "out"));
  std::istringstream lines(run.err);
  std::size_t n = 0;
  for (std::string line; std::getline(lines, line); ++n) {
    EXPECT_EQ(line.rfind("error: " + mp3.string() + ": ", 0), 0u)
        << "a line not dynemo's: " << line;
  }
  EXPECT_LE(n, 1u) << run.err;
}

// A file whose name starts with '-' is an input after `--`, not an option.
TEST_F(CliTest, DoubleDashEndsTheOptions) {
  write_sine_wav(dir_ / "-leading.wav", 2.0);
  const CliRun run = dynemo::testing::run_command("cd " + quote(dir_) + " && " + quote(DYNEMO_CLI) +
                                                      " features --set cqt -o out -- -leading.wav",
                                                  dir_);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(read_csv(dir_ / "out" / "-leading.csv").rows.size(), 4u);
}

TEST_F(CliTest, DirectoriesAreSearchedRecursivelyForAudio) {
  fs::create_directories(dir_ / "in" / "sub");
  write_sine_wav(dir_ / "in" / "sub" / "deep.wav", 1.0);
  std::ofstream(dir_ / "in" / "notes.txt") << "not audio, not an audio extension\n";
  const fs::path out = dir_ / "out";
  const CliRun run = run_cli("features --set spectral " + quote(dir_ / "in") + " -o " + quote(out));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  // Named as `predict` names its outputs: the path below the folder argument.
  EXPECT_TRUE(fs::exists(out / "sub" / "deep.csv"));
  EXPECT_TRUE(fs::exists(out / "sub" / "deep.json"));
  EXPECT_FALSE(fs::exists(out / "notes.csv"));

  // Music the decoder does not read (an iTunes .m4a) is not passed over in silence: its item
  // fails, saying so, and the rest of the folder is done.
  std::ofstream(dir_ / "in" / "sub" / "song.m4a") << "....ftypM4A ";
  const CliRun mixed =
      run_cli("features --set spectral " + quote(dir_ / "in") + " -o " + quote(dir_ / "out2"));
  EXPECT_EQ(mixed.exit_code, 1) << mixed.err;
  EXPECT_TRUE(contains(mixed.err,
                       "song.m4a: unsupported_format: '.m4a' is a music format dynemo "
                       "does not decode"))
      << mixed.err;
  EXPECT_TRUE(contains(mixed.out, "features: 1 written, 0 skipped")) << mixed.out;
  EXPECT_TRUE(contains(mixed.out, "1 failed (listed in")) << mixed.out;
  EXPECT_TRUE(fs::exists(dir_ / "out2" / "sub" / "deep.csv"));
  EXPECT_TRUE(contains(read_file(dir_ / "out2" / "errors.log"), "song.m4a")) << mixed.err;
}

// A library spread over disks by symbolic links is walked through them, each real folder once
// (a link back up the tree ends), and audio names that cannot be read are reported, not skipped.
TEST_F(CliTest, FolderScansFollowLinkedFoldersOnceAndReportBrokenEntries) {
  const fs::path in = dir_ / "in", elsewhere = dir_ / "elsewhere";
  fs::create_directories(in / "album");
  fs::create_directories(elsewhere / "disc");
  write_sine_wav(in / "album" / "a.wav", 1.0);
  write_sine_wav(elsewhere / "disc" / "b.wav", 1.0);
  fs::create_directory_symlink(elsewhere, in / "linked");       // followed
  fs::create_directory_symlink(in, elsewhere / "disc" / "up");  // a loop: not walked again
  fs::create_directory_symlink(in / "album", in / "again");     // walked already: once
  fs::create_symlink(dir_ / "deleted.flac", in / "gone.flac");
  const fs::path out = dir_ / "out";
  const CliRun run = run_cli("features --set spectral " + quote(in) + " -o " + quote(out));
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_TRUE(contains(run.out, "features: 2 written, 0 skipped")) << run.out;
  EXPECT_TRUE(contains(run.out, "1 failed (listed in")) << run.out;
  EXPECT_TRUE(fs::exists(out / "album" / "a.csv"));
  EXPECT_TRUE(fs::exists(out / "linked" / "disc" / "b.csv"));
  EXPECT_FALSE(fs::exists(out / "again"));
  EXPECT_FALSE(fs::exists(out / "linked" / "disc" / "up"));
  EXPECT_TRUE(
      contains(read_file(out / "errors.log"), "gone.flac: missing: is a broken symbolic link"))
      << read_file(out / "errors.log");
}

TEST_F(CliTest, AudioRangeKeepsTimesFromTheFileStart) {
  const fs::path wav = dir_ / "sine.wav", out = dir_ / "out";
  write_sine_wav(wav, 2.0);
  const CliRun run = run_cli("features --set spectral --audio-offset-s 0.5 --audio-duration-s 1 " +
                             quote(wav) + " -o " + quote(out));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const Csv csv = read_csv(out / "sine.csv");
  ASSERT_EQ(csv.rows.size(), 2u);
  EXPECT_NEAR(csv.rows[0][0], 0.5, 1e-9);
  EXPECT_NEAR(csv.rows[1][0], 1.0, 1e-9);
  const auto sidecar = nlohmann::json::parse(read_file(out / "sine.json"));
  EXPECT_EQ(sidecar["audio_offset_s"].get<double>(), 0.5);
  EXPECT_EQ(sidecar["audio_duration_s"].get<double>(), 1.0);

  // A negative value is a value, not an option.
  const CliRun whole = run_cli("features --set spectral --audio-duration-s -1 " + quote(wav) +
                               " -o " + quote(dir_ / "whole"));
  ASSERT_EQ(whole.exit_code, 0) << whole.err;
  EXPECT_EQ(read_csv(dir_ / "whole" / "sine.csv").rows.size(), 4u);
}

// Inputs that would share an output keep their extension in it (a.mp3, a.wav), then a number
// (two x.wav from different folders): every file is written, none overwrites another.
TEST_F(CliTest, InputsWithTheSameStemGetTheirOwnOutputs) {
  fs::create_directories(dir_ / "a");
  fs::create_directories(dir_ / "b");
  write_sine_wav(dir_ / "a" / "x.wav", 1.0);
  write_sine_wav(dir_ / "b" / "x.wav", 2.0);
  write_sine_wav(dir_ / "a" / "y.wav", 1.0);
  const std::string flac = (dir_ / "a" / "y.flac").string();
  ASSERT_EQ(std::system(("cp " + quote(dir_ / "a" / "y.wav") + " " + quote(flac)).c_str()), 0);
  const fs::path out = dir_ / "out";
  const CliRun run = run_cli("features --set spectral " + quote(dir_ / "a" / "x.wav") + " " +
                             quote(dir_ / "b" / "x.wav") + " " + quote(dir_ / "a" / "y.wav") + " " +
                             quote(flac) + " -o " + quote(out));
  EXPECT_EQ(run.exit_code, 0) << run.err;  // y.flac holds WAV bytes: libsndfile reads them
  EXPECT_EQ(read_csv(out / "x.wav.csv").rows.size(), 2u);
  EXPECT_EQ(read_csv(out / "x.wav-2.csv").rows.size(), 4u);
  EXPECT_EQ(read_csv(out / "y.wav.csv").rows.size(), 2u);
  EXPECT_EQ(read_csv(out / "y.flac.csv").rows.size(), 2u);
  EXPECT_TRUE(fs::exists(out / "y.flac.json"));
  EXPECT_FALSE(fs::exists(out / "x.csv"));
}

TEST_F(CliTest, UnknownSetIsAClearError) {
  const fs::path wav = dir_ / "sine.wav", out = dir_ / "out";
  write_sine_wav(wav, 2.0);
  const CliRun run =
      run_cli("features --set spectral,nosuchset " + quote(wav) + " -o " + quote(out));
  EXPECT_NE(run.exit_code, 0);
  EXPECT_EQ(run.err.rfind("error: ", 0), 0u) << run.err;
  EXPECT_TRUE(contains(run.err, "nosuchset")) << run.err;
  EXPECT_TRUE(contains(run.err, "spectral")) << "should list the known sets: " << run.err;
  EXPECT_FALSE(fs::exists(out / "sine.csv"));
}

TEST_F(CliTest, ListFeaturesPrintsTheRegistry) {
  const CliRun run = run_cli("list features");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::map<std::string, std::string> columns_by_name;
  for (const std::string& line : split(run.out, '\n')) {
    std::istringstream words(line);
    std::string name, columns;
    if (words >> name >> columns) columns_by_name[name] = columns;
  }
  EXPECT_EQ(columns_by_name["spectral"], "197") << run.out;
  EXPECT_EQ(columns_by_name["cqt"], "252") << run.out;
  EXPECT_EQ(columns_by_name["chroma"], "24") << run.out;
}

TEST_F(CliTest, ListFeaturesMarkdownDocumentsEverySetColumnAndDefault) {
  const CliRun run = run_cli("list features --format markdown");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_TRUE(contains(run.out, "\n# Feature sets\n")) << run.out;
  EXPECT_TRUE(contains(run.out, "(conventions.md)")) << run.out;
  // Columns in runs of consecutive indices, with their positions in the set.
  for (const char* row :
       {"| 0..11 | `spectral.chroma_stft_0..11` |", "| 56 | `spectral.rms` |",
        "| 57..184 | `spectral.mel_0..127` |", "| 187..193 | `spectral.spectral_contrast_0..6` |",
        "| 196 | `spectral.zcr` |", "| 0..251 | `cqt.cqt_0..251` |",
        "| 12..23 | `chroma.chroma_cqt_0..11` |"}) {
    EXPECT_TRUE(contains(run.out, row)) << row << " missing from\n" << run.out;
  }
  for (const char* row : {"| [`spectral`](#spectral) | 197 |", "| [`cqt`](#cqt) | 252 |",
                          "| [`chroma`](#chroma) | 24 |"}) {
    EXPECT_TRUE(contains(run.out, row)) << row << " missing from\n" << run.out;
  }
  // FeatureConfig defaults, each with the option that sets it.
  for (const char* row :
       {"| `sample_rate_hz` | `44100.0` | `--sample-rate` |", "| `n_fft` | `2048` | `--n-fft` |",
        "| `hop_length` | `512` | `--hop-length` |", "| `window_s` | `0.5` | `--window-s` |",
        "| `hop_s` | `0.5` | `--hop-s` |", "| `offset_s` | `0.0` | `--offset-s` |"}) {
    EXPECT_TRUE(contains(run.out, row)) << row << " missing from\n" << run.out;
  }

  const CliRun bad = run_cli("list features --format html");
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_TRUE(contains(bad.err, "html")) << bad.err;
}

// docs/features.md is this command's output: the docs cannot drift from the registry.
TEST_F(CliTest, DocsFeaturesMdIsTheOutputOfListFeaturesMarkdown) {
  const fs::path doc = fs::path(DYNEMO_SOURCE_DIR) / "docs" / "features.md";
  const CliRun run = run_cli("list features --format markdown");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(read_file(doc), run.out)
      << doc.string() << " differs from `dynemo list features --format markdown`"
      << (fs::exists(doc) ? "" : " (the file is missing)")
      << ". It is generated, not edited: regenerate it with\n  " << DYNEMO_CLI
      << " list features --format markdown > " << doc.string() << "\nand commit the result.";
}

TEST_F(CliTest, HelpPrintsEveryDefault) {
  const CliRun run = run_cli("features --help");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  for (const char* option : {"--sample-rate", "--window-s", "--hop-s", "--n-fft", "--hop-length",
                             "--format", "--jobs", "--audio-duration-s"}) {
    EXPECT_TRUE(contains(run.out, option)) << option << " missing from\n" << run.out;
  }
  for (const char* value : {"44100", "2048", "512", "0.5", "csv", "-1"}) {
    EXPECT_TRUE(contains(run.out, value)) << "default " << value << " missing from\n" << run.out;
  }
}

// Every numeric option of every command shows its range in --help ("INT:in 1..256=1"), and an
// absurd value is a usage error that echoes it as a number (not 309 digits), before any work.
TEST_F(CliTest, EveryNumericOptionHasARangeShownInHelp) {
  std::size_t numeric = 0;
  for (const char* command : {"features", "dataset", "evaluate", "cache", "split", "train", "cv",
                              "predict", "stream", "explain", "report", "list"}) {
    const CliRun run = run_cli(std::string(command) + " --help");
    ASSERT_EQ(run.exit_code, 0) << command << ": " << run.err;
    std::istringstream lines(run.out);
    for (std::string line; std::getline(lines, line);) {
      const bool is_numeric =
          contains(line, " INT") || contains(line, " FLOAT") || contains(line, " UINT");
      if (!is_numeric) continue;
      ++numeric;
      EXPECT_TRUE(contains(line, ":in ")) << command << ": no range in \"" << line << "\"";
    }
  }
  EXPECT_GE(numeric, 35u);  // the table has 37 numeric options today
  for (const auto& [args, message] : std::vector<std::pair<std::string, std::string>>{
           {"features -s cqt -o o --hop-s 1e308 x.wav",
            "--hop-s: must be in 0.01..60 s, got 1e+308"},
           {"features -s cqt -o o --n-fft 1e9 x.wav", "--n-fft"},
           {"train -d deam -o o --lr 1e308", "--lr: must be in (0, 10), got 1e+308"},
           {"cv -d deam -o o --threads 100000", "--threads: must be in 1.."},
           {"split -d deam -o o --test-fraction 1", "--test-fraction: must be in (0, 1), got 1"},
           {"features -s cqt -o o --window-s -1e-400 x.wav",
            "--window-s: must be in 0.01..60 s"}}) {
    const CliRun run = run_cli(args);
    EXPECT_EQ(run.exit_code, 2) << args << ": " << run.err;
    EXPECT_TRUE(contains(run.err, message)) << args << ": " << run.err;
    EXPECT_LT(run.err.size(), 300u) << run.err;
  }
}

TEST_F(CliTest, VersionPrintsVersionAndGitSha) {
  const CliRun run = run_cli("--version");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(contains(run.out, dynemo::kVersion)) << run.out;
  EXPECT_TRUE(contains(run.out, dynemo::kGitSha)) << run.out;

  // The SHA is the commit the sources are at (found at build time, not when CMake last ran), so
  // a build after a commit does not record the one before.
  const dynemo::testing::CommandRun git = dynemo::testing::run_command(
      "git -C " + quote(fs::path(DYNEMO_SOURCE_DIR)) + " rev-parse --short=12 HEAD", dir_);
  if (git.exit_code != 0) GTEST_SKIP() << "the sources are not a git checkout: " << git.err;
  const std::string head = git.out.substr(0, git.out.find_first_of("\r\n"));
  ASSERT_EQ(head.size(), 12u) << git.out;
  const std::string sha = dynemo::kGitSha;
  EXPECT_TRUE(sha == head || sha == head + "-dirty") << sha << " built, sources at " << head;
}

TEST_F(CliTest, UsageErrorsExitWithTwo) {
  const CliRun missing_set = run_cli("features " + quote(dir_ / "x.wav") + " -o " + quote(dir_));
  EXPECT_EQ(missing_set.exit_code, 2);
  EXPECT_TRUE(contains(missing_set.err, "--set")) << missing_set.err;

  const CliRun bad_format = run_cli("features --set spectral --format wav x.wav -o out");
  EXPECT_EQ(bad_format.exit_code, 2);
  EXPECT_TRUE(contains(bad_format.err, "wav")) << bad_format.err;

  const CliRun zero_jobs = run_cli("features --set spectral --jobs 0 x.wav -o out");
  EXPECT_EQ(zero_jobs.exit_code, 2);
  EXPECT_TRUE(contains(zero_jobs.err, "--jobs: must be in 1..256, got 0")) << zero_jobs.err;

  EXPECT_EQ(run_cli("").exit_code, 2);
  EXPECT_EQ(run_cli("list songs").exit_code, 2);
}

// The light binary runs the signal commands without LibTorch (not even linked: its start-up is
// milliseconds) and hands the model commands to dynemo-ml beside it.
TEST_F(CliTest, LightBinaryRunsWithoutLibTorchAndHandsModelCommandsToDynemoMl) {
  const CliRun ldd = dynemo::testing::run_command("ldd " + quote(DYNEMO_CLI), dir_);
  ASSERT_EQ(ldd.exit_code, 0) << ldd.err;
  EXPECT_FALSE(contains(ldd.out, "torch")) << ldd.out;
  EXPECT_TRUE(contains(ldd.out, "libsndfile")) << ldd.out;

  // Alone in a folder: the signal commands work, the model commands say what is missing.
  const fs::path alone = dir_ / "alone" / "dynemo";
  fs::create_directories(alone.parent_path());
  fs::copy_file(DYNEMO_CLI, alone);
  const fs::path wav = dir_ / "sine.wav";
  write_sine_wav(wav, 2.0);
  const CliRun features =
      dynemo::testing::run_command(quote(alone.string()) + " features --set spectral " +
                                       quote(wav.string()) + " -o " + quote((dir_ / "f").string()),
                                   dir_);
  EXPECT_EQ(features.exit_code, 0) << features.err;
  EXPECT_TRUE(fs::exists(dir_ / "f" / "sine.csv"));
  const CliRun predict =
      dynemo::testing::run_command(quote(alone.string()) + " predict " + quote(wav.string()) +
                                       " -o " + quote((dir_ / "p").string()),
                                   dir_);
  EXPECT_EQ(predict.exit_code, 1);
  EXPECT_TRUE(contains(predict.err, "dynemo-ml: cannot run the model half of dynemo"))
      << predict.err;
  // Beside dynemo-ml (the build folder), the same command runs.
  const CliRun real =
      run_cli("predict " + quote(wav.string()) + " -o " + quote((dir_ / "p").string()));
  EXPECT_EQ(real.exit_code, 0) << real.err;
  EXPECT_TRUE(fs::exists(dir_ / "p" / "sine.csv"));
}

// `features` restarts itself once with glibc's huge-page tunable when the caller did not set it
// (dynemo::restart_with_huge_pages): the restarted run keeps every argument and writes the table
// the unrestarted one writes, and a caller's other tunables are kept beside it.
TEST_F(CliTest, FeaturesGiveTheSameTableWithOrWithoutTheHugePageRestart) {
  const fs::path wav = dir_ / "sine.wav";
  write_sine_wav(wav, 3.0, 523.25);
  const auto run_with = [&](const std::string& env, const std::string& out) {
    return dynemo::testing::run_command(env + " " + quote(DYNEMO_CLI) +
                                            " features --set spectral,cqt --hop-s 0.25 " +
                                            quote(wav.string()) + " -o " + quote(out),
                                        dir_);
  };
  const CliRun restarted = run_with("env -u GLIBC_TUNABLES", (dir_ / "restarted").string());
  const CliRun kept =
      run_with("env GLIBC_TUNABLES=glibc.malloc.hugetlb=0", (dir_ / "kept").string());
  const CliRun other =
      run_with("env GLIBC_TUNABLES=glibc.malloc.arena_max=2", (dir_ / "other").string());
  ASSERT_EQ(restarted.exit_code, 0) << restarted.err;
  ASSERT_EQ(kept.exit_code, 0) << kept.err;
  ASSERT_EQ(other.exit_code, 0) << other.err;
  const std::string table = read_file(dir_ / "kept" / "sine.csv");
  // 0.5 s windows every 0.25 s that fit in 3 s: starts 0, 0.25, ..., 2.5.
  EXPECT_EQ(read_csv(dir_ / "kept" / "sine.csv").rows.size(), 11u);
  EXPECT_EQ(read_file(dir_ / "restarted" / "sine.csv"), table);
  EXPECT_EQ(read_file(dir_ / "other" / "sine.csv"), table);
}

// A file name with bytes that are not UTF-8 (legal on Linux) still gets its table and a valid
// JSON sidecar (the bad bytes as U+FFFD), and `predict --format json` writes its file.
TEST_F(CliTest, NonUtf8FileNamesGetCompleteOutputs) {
  const fs::path wav = dir_ / "caf\xe9-\xff.wav";  // Latin-1 e-acute and a lone 0xff
  write_sine_wav(wav, 2.0);
  const fs::path out = dir_ / "out";
  const CliRun run = run_cli("features --set spectral " + quote(wav) + " -o " + quote(out));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const fs::path csv = out / "caf\xe9-\xff.csv", sidecar = out / "caf\xe9-\xff.json";
  EXPECT_EQ(read_csv(csv).rows.size(), 4u);
  const auto doc = nlohmann::json::parse(read_file(sidecar));
  EXPECT_TRUE(contains(doc.at("input").get<std::string>(), "caf\xef\xbf\xbd-\xef\xbf\xbd.wav"))
      << doc.at("input");
  const CliRun predict =
      run_cli("predict --format json " + quote(wav) + " -o " + quote(dir_ / "p"));
  ASSERT_EQ(predict.exit_code, 0) << predict.err;
  const auto prediction = nlohmann::json::parse(read_file(dir_ / "p" / "caf\xe9-\xff.json"));
  EXPECT_EQ(prediction.at("time_s").size(), 4u);
}

// Digital silence: the default model answers something (about A -0.31 / V -0.42, "sad"), but the
// summary says the track is silent, and the JSON records the level.
TEST_F(CliTest, SilentTracksAreSummarisedAsSilent) {
  const fs::path silence = dir_ / "in" / "silence.wav", sine = dir_ / "in" / "sine.wav";
  fs::create_directories(dir_ / "in");
  ASSERT_EQ(dynemo::test::write_sound(silence.string(), SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 44100,
                                      std::vector<float>(3 * 44100, 0.0f)),
            "");
  write_sine_wav(sine, 3.0);  // amplitude 0.5: -9.03 dB
  const CliRun run =
      run_cli("predict --format json " + quote(dir_ / "in") + " -o " + quote(dir_ / "p"));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(contains(run.out, "silence.wav: arousal ")) << run.out;
  EXPECT_TRUE(contains(run.out, "(silent), 6 windows")) << run.out;
  EXPECT_EQ(std::count(run.out.begin(), run.out.end(), '\n'), 2) << run.out;
  const auto quiet = nlohmann::json::parse(read_file(dir_ / "p" / "silence.json"));
  EXPECT_EQ(quiet.at("summary"), "silent");
  EXPECT_EQ(quiet.at("rms_dbfs").get<double>(), -200.0);
  const auto loud = nlohmann::json::parse(read_file(dir_ / "p" / "sine.json"));
  EXPECT_NE(loud.at("summary"), "silent");
  EXPECT_NEAR(loud.at("rms_dbfs").get<double>(), -9.03, 0.01);
  EXPECT_EQ(loud.at("audio"), nlohmann::json({{"format", "WAV"},
                                              {"sample_rate_hz", 44100.0},
                                              {"channels", 1},
                                              {"channel_layout", "mono"}}));
  EXPECT_EQ(loud.at("window_rms_dbfs").size(), 6u);

  // Music then silence: the line says how many windows were silent, and its means are those of
  // the others (the JSON's windows at or above -60 dBFS).
  std::vector<float> tail(6 * 44100, 0.0f);
  for (std::size_t i = 0; i < 3 * 44100; ++i) tail[i] = 0.5f * std::sin(0.0627 * i);
  fs::create_directories(dir_ / "in2");
  ASSERT_EQ(dynemo::test::write_sound((dir_ / "in2" / "tail.wav").string(),
                                      SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 44100, tail),
            "");
  const CliRun gap =
      run_cli("predict --format json " + quote(dir_ / "in2") + " -o " + quote(dir_ / "p2"));
  ASSERT_EQ(gap.exit_code, 0) << gap.err;
  EXPECT_TRUE(contains(gap.out, "12 windows (6 silent) -> ")) << gap.out;
  const auto j = nlohmann::json::parse(read_file(dir_ / "p2" / "tail.json"));
  double a = 0.0;
  int heard = 0;
  for (std::size_t i = 0; i < 12; ++i) {
    if (j.at("window_rms_dbfs")[i].get<double>() < -60.0) continue;
    a += j.at("arousal")[i].get<double>();
    ++heard;
  }
  EXPECT_EQ(heard, 6);
  char mean[32];
  std::snprintf(mean, sizeof mean, "arousal %+.3f,", a / heard);
  EXPECT_TRUE(contains(gap.out, mean)) << gap.out << " expected " << mean;
}

}  // namespace

namespace {

TEST_F(CliTest, BlendParsesWeightsAndRefusesMixedInputs) {
  const std::string v3 =
      std::string(DYNEMO_SOURCE_DIR) + "/models/deam-listener-ctx_mlp_256x2_c6-v3";
  const std::string v1 = std::string(DYNEMO_SOURCE_DIR) + "/models/deam-spectral-mca_alstm_64x2-v1";
  const std::string out = (dir_ / "b" / "blend").string();
  const CliRun not_number =
      run_cli("blend " + quote(v3) + " " + quote(v1) + " -w 1,x -o " + quote(out));
  EXPECT_NE(not_number.exit_code, 0);
  EXPECT_TRUE(contains(not_number.err, "--weights '1,x': 'x' is not a number")) << not_number.err;
  const CliRun count =
      run_cli("blend " + quote(v3) + " " + quote(v1) + " -w 1,2,3 -o " + quote(out));
  EXPECT_NE(count.exit_code, 0);
  EXPECT_TRUE(contains(count.err, "3 weights for 2 inputs")) << count.err;
  fs::create_directories(dir_ / "run");
  dynemo::testing::write((dir_ / "run" / "split.json").string(), "{}");
  const CliRun mixed =
      run_cli("blend " + quote(v3) + " " + quote(dir_ / "run") + " -o " + quote(out));
  EXPECT_NE(mixed.exit_code, 0);
  EXPECT_TRUE(contains(mixed.err, "not both")) << mixed.err;
  EXPECT_FALSE(fs::exists(out + ".json"));

  const CliRun ok =
      run_cli("blend " + quote(v3 + ".json") + " " + quote(v1) + " -w 1,3 -o " + quote(out));
  ASSERT_EQ(ok.exit_code, 0) << ok.err;
  const auto j = nlohmann::json::parse(dynemo::testing::read_file(out + ".json"));
  EXPECT_EQ(j["format"], "dynemo-blend/1");
  EXPECT_DOUBLE_EQ(j["components"][0]["weight"].get<double>(), 0.25);
  EXPECT_EQ(j["components"][1]["feature_spec"], "spectral");
  EXPECT_EQ(dynemo::testing::read_file(out + ".part2.pt"), dynemo::testing::read_file(v1 + ".pt"));

  // A:V weighs arousal and valence apart.
  const CliRun split =
      run_cli("blend " + quote(v3) + " " + quote(v1) + " -w 1:3,1:0 -o " + quote(out + "-av"));
  ASSERT_EQ(split.exit_code, 0) << split.err;
  const auto av = nlohmann::json::parse(dynemo::testing::read_file(out + "-av.json"));
  EXPECT_EQ(av["format"], "dynemo-blend/2");
  EXPECT_DOUBLE_EQ(av["components"][0]["weights"]["arousal"].get<double>(), 0.5);
  EXPECT_DOUBLE_EQ(av["components"][0]["weights"]["valence"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(av["components"][1]["weights"]["valence"].get<double>(), 0.0);
  const CliRun bad_pair =
      run_cli("blend " + quote(v3) + " " + quote(v1) + " -w 1:x,1 -o " + quote(out + "-x"));
  EXPECT_NE(bad_pair.exit_code, 0);
  EXPECT_TRUE(contains(bad_pair.err, "'x' is not a number")) << bad_pair.err;
}

}  // namespace
