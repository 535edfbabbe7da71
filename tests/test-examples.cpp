// The example programs of examples/ (DYNEMO_EXAMPLE_*): each runs on a WAV written here and
// gives the documented output, and the code documented in include/dynemo/dynemo.h is the code
// of examples/basic-usage.cpp, so the documentation compiles and works.
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "audio-fixtures.h"
#include "file-helpers.h"

namespace fs = std::filesystem;
using dynemo::testing::CommandRun;
using dynemo::testing::contains;
using dynemo::testing::Csv;
using dynemo::testing::read_csv;
using dynemo::testing::read_file;
using dynemo::testing::shell_quote;
using dynemo::testing::split;

namespace {

constexpr int kRateHz = 44100;
constexpr double kWindowS = 0.5;                      // FeatureConfig default hop_s = window_s
constexpr std::size_t kSpectralPlusCqtColumns = 449;  // 197 spectral + 252 cqt

// The code block of the "Basic usage" comment in dynemo.h: the lines after that heading that
// are indented code ("//   ...", or "//" for a blank line inside it), without the comment marks.
std::string documented_block(const std::string& header) {
  std::string block;
  bool in_usage = false, in_code = false;
  for (const std::string& line : split(header, '\n')) {
    if (line.rfind("// Basic usage", 0) == 0) in_usage = true;
    if (!in_usage) continue;
    if (line.rfind("//   ", 0) == 0) {
      in_code = true;
      block += line.substr(5) + "\n";
    } else if (in_code && line == "//") {
      block += "\n";
    } else if (in_code) {
      break;
    }
  }
  while (block.size() >= 2 && block.compare(block.size() - 2, 2, "\n\n") == 0) block.pop_back();
  return block;
}

class ExamplesTest : public dynemo::testing::TempDirTest {
 protected:
  ExamplesTest() : TempDirTest("dynemo-test-examples") {}

  // A mono 16-bit WAV of a 440 Hz sine at amplitude 0.5.
  void write_sine_wav(const fs::path& path, double seconds) {
    const auto n = static_cast<std::size_t>(std::lround(seconds * kRateHz));
    const std::string why =
        dynemo::test::write_sound(path.string(), SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, kRateHz,
                                  dynemo::test::sine(n, kRateHz, 440.0, 0.5));
    ASSERT_EQ(why, "");
  }

  CommandRun run_basic_usage(const std::string& args) {
    return dynemo::testing::run_command(shell_quote(DYNEMO_EXAMPLE_BASIC_USAGE) + " " + args, dir_);
  }

  // The lines after the provenance comment of what `dynemo predict` writes for `clip`.
  // The rows `dynemo predict` writes for `clip` with the default model, or with `model`.
  std::vector<std::string> predicted_lines(const std::string& clip, const std::string& model = "") {
    const std::string model_option = model.empty() ? "" : " -m " + shell_quote(model);
    const CommandRun cli = dynemo::testing::run_command(
        shell_quote(DYNEMO_CLI) + " predict --force " + shell_quote(clip) + model_option + " -o " +
            shell_quote((dir_ / "out").string()),
        dir_);
    EXPECT_EQ(cli.exit_code, 0) << cli.err;
    cli_summary_ = cli.out.substr(0, cli.out.find(')') + 1);  // "CLIP: arousal ... (label)"
    std::vector<std::string> lines;
    std::istringstream written(read_file(dir_ / "out" / "wesnoth_battle_epic_45s.csv"));
    for (std::string line; std::getline(written, line);) {
      if (!line.empty() && line[0] != '#') lines.push_back(line);
    }
    return lines;
  }

  std::string cli_summary_;  // of the last predicted_lines
};

TEST_F(ExamplesTest, BasicUsageIsTheCodeDocumentedInTheUmbrellaHeader) {
  const fs::path header = fs::path(DYNEMO_SOURCE_DIR) / "include" / "dynemo" / "dynemo.h";
  const fs::path example = fs::path(DYNEMO_SOURCE_DIR) / "examples" / "basic-usage.cpp";
  const std::string block = documented_block(read_file(header));
  ASSERT_TRUE(contains(block, "#include \"dynemo/dynemo.h\""))
      << "no usage block in " << header << ":\n"
      << block;
  ASSERT_TRUE(contains(block, "file_features(")) << block;
  EXPECT_TRUE(contains(read_file(example), block))
      << "the \"Basic usage\" block of " << header << " and the code of " << example
      << " differ; keep them identical (the header's block, without its \"//   \", must appear "
         "verbatim in the example). The block:\n"
      << block;
}

TEST_F(ExamplesTest, BasicUsageWritesOneRowPerWindowWithEveryColumn) {
  constexpr double kSeconds = 2.5;
  const fs::path wav = dir_ / "sine.wav", out = dir_ / "out";
  write_sine_wav(wav, kSeconds);
  const CommandRun run =
      run_basic_usage(shell_quote(wav.string()) + " " + shell_quote(out.string()));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(run.err, "");

  const Csv csv = read_csv(out / "sine.csv");
  const auto n_rows = static_cast<std::size_t>(std::lround(kSeconds / kWindowS));
  ASSERT_EQ(csv.header.size(), kSpectralPlusCqtColumns + 1);
  EXPECT_EQ(csv.header[0], "time_s");
  EXPECT_EQ(csv.header[1], "spectral.chroma_stft_0");
  EXPECT_EQ(csv.header[1 + 197], "cqt.cqt_0");
  EXPECT_EQ(csv.header.back(), "cqt.cqt_251");
  ASSERT_EQ(csv.rows.size(), n_rows) << kSeconds << " s at " << kWindowS << " s windows";
  std::size_t rms = 0;
  for (std::size_t c = 0; c < csv.header.size(); ++c) {
    if (csv.header[c] == "spectral.rms") rms = c;
  }
  ASSERT_NE(rms, 0u);
  for (std::size_t r = 0; r < n_rows; ++r) {
    ASSERT_EQ(csv.rows[r].size(), kSpectralPlusCqtColumns + 1) << "row " << r;
    EXPECT_NEAR(csv.rows[r][0], r * kWindowS, 1e-9);
    for (double v : csv.rows[r]) ASSERT_TRUE(std::isfinite(v)) << "row " << r;
    // A sine of amplitude 0.5 has RMS 0.5 / sqrt(2): the audio went through intact.
    EXPECT_NEAR(csv.rows[r][rms], 0.5 / std::sqrt(2.0), 0.02 * 0.5 / std::sqrt(2.0)) << r;
  }

  const nlohmann::json sidecar = nlohmann::json::parse(read_file(out / "sine.json"));
  EXPECT_EQ(sidecar.at("spec"), "spectral+cqt");
  EXPECT_EQ(sidecar.at("input"), wav.string());
  EXPECT_EQ(sidecar.at("format"), "csv");
  EXPECT_EQ(sidecar.at("n_rows"), n_rows);
  EXPECT_EQ(sidecar.at("columns").size(), kSpectralPlusCqtColumns);
}

TEST_F(ExamplesTest, BasicUsageReportsErrorsAndBadArguments) {
  const fs::path missing = dir_ / "missing.wav";
  const CommandRun run =
      run_basic_usage(shell_quote(missing.string()) + " " + shell_quote((dir_ / "out").string()));
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_EQ(run.err.rfind("error: " + missing.string(), 0), 0u) << run.err;
  EXPECT_FALSE(fs::exists(dir_ / "out" / "missing.csv"));

  const CommandRun usage = run_basic_usage(shell_quote(missing.string()));
  EXPECT_EQ(usage.exit_code, 2);
  EXPECT_TRUE(contains(usage.err, "usage: ")) << usage.err;
}

// examples/predict-file.cpp prints what `dynemo predict` writes for the same file and model.
TEST_F(ExamplesTest, PredictFilePrintsTheRowsDynemoPredictWrites) {
  const std::string clip =
      std::string(DYNEMO_SOURCE_DIR) + "/examples/wesnoth_battle_epic_45s.flac";
  const CommandRun run = dynemo::testing::run_command(
      shell_quote(DYNEMO_EXAMPLE_PREDICT_FILE) + " " + shell_quote(clip), dir_);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(contains(run.err, "wesnoth_battle_epic_45s.flac: ")) << run.err;
  const std::vector<std::string> expected = predicted_lines(clip);
  std::vector<std::string> printed = split(run.out, '\n');
  ASSERT_EQ(printed.size(), expected.size());
  EXPECT_EQ(printed[0], "time_s,arousal,valence");
  ASSERT_EQ(printed.size(), 91u);  // 45 s: 90 windows
  for (std::size_t i = 1; i < printed.size(); ++i) {
    const std::vector<std::string> a = split(printed[i], ','), b = split(expected[i], ',');
    ASSERT_EQ(a.size(), 3u);
    ASSERT_EQ(b.size(), 5u);  // dynemo predict adds the sds
    for (std::size_t c = 0; c < 3; ++c) EXPECT_NEAR(std::stod(a[c]), std::stod(b[c]), 1e-4) << i;
  }
  const CommandRun missing = dynemo::testing::run_command(
      shell_quote(DYNEMO_EXAMPLE_PREDICT_FILE) + " " + shell_quote((dir_ / "none.wav").string()),
      dir_);
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(contains(missing.err, "error: ")) << missing.err;
  EXPECT_TRUE(contains(missing.err, "none.wav")) << missing.err;
}

// The C example through the C API: a file gives the rows of `dynemo predict` with the default
// model, the same clip as raw s16 PCM on stdin those of the causal model streams use; a missing
// file and bad stream arguments give the library's messages through dynemo_last_error().
TEST_F(ExamplesTest, CApiPredictsAFileAndALiveStreamLikeTheCli) {
  const std::string clip =
      std::string(DYNEMO_SOURCE_DIR) + "/examples/wesnoth_battle_epic_45s.flac";
  const std::vector<std::string> expected_file = predicted_lines(clip);
  ASSERT_EQ(expected_file.size(), 91u);
  const std::string expected_summary = cli_summary_;
  ASSERT_TRUE(contains(expected_summary, ": arousal +")) << expected_summary;
  const std::vector<std::string> expected_stream = predicted_lines(
      clip, std::string(DYNEMO_SOURCE_DIR) + "/models/deam-listener-ctx_mlp_256x2_c6-v3");
  ASSERT_EQ(expected_stream.size(), 91u);
  const std::string pcm = (dir_ / "clip.s16").string();
  const CommandRun convert =
      dynemo::testing::run_command("ffmpeg -v error -i " + shell_quote(clip) +
                                       " -f s16le -ac 1 -ar 44100 -y " + shell_quote(pcm),
                                   dir_);
  ASSERT_EQ(convert.exit_code, 0) << convert.err;
  for (const std::string& args : {shell_quote(clip), std::string("- <") + shell_quote(pcm)}) {
    const CommandRun run =
        dynemo::testing::run_command(shell_quote(DYNEMO_EXAMPLE_C_API) + " " + args, dir_);
    ASSERT_EQ(run.exit_code, 0) << args << ": " << run.err;
    const std::vector<std::string>& expected = args[0] == '-' ? expected_stream : expected_file;
    const std::vector<std::string> printed = split(run.out, '\n');
    ASSERT_EQ(printed.size(), expected.size()) << args;
    EXPECT_EQ(printed[0], "time_s,arousal,valence,arousal_sd,valence_sd");
    for (std::size_t i = 1; i < printed.size(); ++i) {
      const std::vector<std::string> a = split(printed[i], ','), b = split(expected[i], ',');
      ASSERT_EQ(a.size(), 5u);
      for (std::size_t c = 0; c < 5; ++c) {
        EXPECT_NEAR(std::stod(a[c]), std::stod(b[c]), 1e-4) << args << " row " << i;
      }
    }
    if (args[0] != '-') {  // the summary on stderr: the CLI's, then the level
      EXPECT_TRUE(contains(run.err, expected_summary + ", -")) << run.err;
      const double level = std::stod(run.err.substr(run.err.rfind(", ") + 2));
      EXPECT_NEAR(level, -19.8, 0.051) << run.err;  // the clip's level, printed to 0.1 dB
    }
  }
  // Digital silence: the C API's summary says so, at the level floor.
  const fs::path silence = dir_ / "silence.wav";
  ASSERT_EQ(dynemo::test::write_sound(silence.string(), SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, 44100,
                                      std::vector<float>(3 * 44100, 0.0f)),
            "");
  const CommandRun quiet = dynemo::testing::run_command(
      shell_quote(DYNEMO_EXAMPLE_C_API) + " " + shell_quote(silence.string()), dir_);
  ASSERT_EQ(quiet.exit_code, 0) << quiet.err;
  EXPECT_TRUE(contains(quiet.err, "(silent), -200.0 dBFS")) << quiet.err;
  EXPECT_EQ(std::count(quiet.out.begin(), quiet.out.end(), '\n'), 7) << quiet.out;  // 6 windows
  const CommandRun missing = dynemo::testing::run_command(
      shell_quote(DYNEMO_EXAMPLE_C_API) + " " + shell_quote((dir_ / "none.wav").string()), dir_);
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_TRUE(contains(missing.err, "error: ")) << missing.err;
  EXPECT_TRUE(contains(missing.err, "none.wav")) << missing.err;
  const CommandRun bad_rate =
      dynemo::testing::run_command(shell_quote(DYNEMO_EXAMPLE_C_API) + " - 5 </dev/null", dir_);
  EXPECT_EQ(bad_rate.exit_code, 1);
  EXPECT_TRUE(contains(bad_rate.err, "error: stream: <stream>: sample rate 5 Hz is out of range"))
      << bad_rate.err;
}

}  // namespace
