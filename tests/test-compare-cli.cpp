// `dynemo features` with the openSMILE-based sets: --opensmile-names on a reference clip gives
// the columns of openSMILE's MediaEval 2015 file in its order, 88 rows on its grid and values
// that agree; sets that cannot be combined or named that way are refused with a message.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "file-helpers.h"

namespace {

namespace fs = std::filesystem;
using dynemo::testing::shell_quote;

const std::string kReference = std::string(DYNEMO_SHARED_DIR) + "/reference";

class CompareCliTest : public dynemo::testing::TempDirTest {
 protected:
  CompareCliTest() : TempDirTest("dynemo-test-compare-cli") {}

  dynemo::testing::CommandRun run_cli(const std::string& args) {
    return dynemo::testing::run_command(shell_quote(DYNEMO_CLI) + " " + args, dir_);
  }
};

TEST_F(CompareCliTest, MediaEvalWithOpenSmileNamesLinesUpWithTheReference) {
  const std::string clip = kReference + "/wesnoth_battle_epic_45s.flac";
  const std::string ref_path =
      kReference + "/wesnoth_battle_epic_45s.opensmile_mediaeval2015_is13.csv";
  if (!fs::exists(clip) || !fs::exists(ref_path)) {
    GTEST_SKIP() << "reference data not found at " << kReference;
  }
  const fs::path out = dir_ / "out";
  const auto run = run_cli("features --set mediaeval2015 --format csv --opensmile-names " +
                           shell_quote(clip) + " -o " + shell_quote(out.string()));
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const dynemo::testing::Csv ours = dynemo::testing::read_csv(out / "wesnoth_battle_epic_45s.csv");

  const std::vector<std::string> lines =
      dynemo::testing::split(dynemo::testing::read_file(ref_path), '\n');
  ASSERT_GE(lines.size(), 89u);
  std::vector<std::string> ref_header = dynemo::testing::split(lines[0], ';');
  ASSERT_EQ(ref_header.size(), 262u);  // name, frameTime, 260 features
  ref_header.erase(ref_header.begin(), ref_header.begin() + 2);

  ASSERT_EQ(ours.header.size(), 261u);
  EXPECT_EQ(ours.header[0], "time_s");
  EXPECT_EQ(std::vector<std::string>(ours.header.begin() + 1, ours.header.end()), ref_header);
  ASSERT_EQ(ours.rows.size(), 88u);
  // Row k: the window starting at 0.5 k s, as the reference's frameTime; column values agree.
  for (std::size_t k = 0; k < 88; ++k) {
    const std::vector<std::string> cells = dynemo::testing::split(lines[k + 1], ';');
    ASSERT_EQ(cells.size(), 262u);
    EXPECT_NEAR(ours.rows[k][0], std::stod(cells[1]), 1e-9);
    // Columns (after time_s): pcm_RMSenergy_sma, audSpec_Rfilt_sma[10], mfcc_sma[1], each _amean.
    for (std::size_t c : {17u, 41u, 103u}) {
      const double want = std::stod(cells[c + 1]);
      EXPECT_NEAR(ours.rows[k][c], want, 1e-3 * std::fabs(want) + 1e-6)
          << ref_header[c - 1] << " row " << k;
    }
  }
  // The sidecar lists the same names.
  EXPECT_TRUE(
      dynemo::testing::contains(dynemo::testing::read_file(out / "wesnoth_battle_epic_45s.json"),
                                "\"pcm_RMSenergy_sma_amean\""));
}

TEST_F(CompareCliTest, RefusesCombiningCompareLldAndPlainNamesOfOtherSets) {
  const fs::path wav = dir_ / "missing.wav";  // never read: both specs fail before any work
  auto run = run_cli("features --set compare-lld,spectral " + shell_quote(wav.string()) + " -o " +
                     shell_quote((dir_ / "o").string()));
  EXPECT_NE(run.exit_code, 0);
  EXPECT_TRUE(dynemo::testing::contains(run.err, "cannot be combined")) << run.err;
  run = run_cli("features --set spectral --opensmile-names " + shell_quote(wav.string()) + " -o " +
                shell_quote((dir_ / "o").string()));
  EXPECT_NE(run.exit_code, 0);
  EXPECT_TRUE(dynemo::testing::contains(run.err, "no openSMILE column names")) << run.err;
}

}  // namespace
