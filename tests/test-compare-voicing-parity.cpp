// Parity of the six voicing LLDs and their deltas with openSMILE 3.0 on both reference clips:
// - ComParE 2016 LLDs (../shared/reference/*.opensmile_compare16_lld.csv.gz): Pearson r per
//   column over all rows but the last 8 (openSMILE's end-of-input artefacts, spec §10);
// - IS13 LLDs through the MediaEval 2015 summary (*.opensmile_mediaeval2015_is13.csv): mean and
//   population standard deviation over rows 50k .. 50k + 99 (spec §12), r over the 88 windows.
// Criterion: r >= 0.90 for each of the six LLDs (issue acceptance: 0.80) and for the six IS13
// window means; deltas and standard deviations are reported.
#include <gtest/gtest.h>
#include <algorithm>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <string>
#include <vector>

#include "dynemo/audio.h"
#include "dynemo/metrics.h"
#include "features/compare/voicing.h"
#include "file-helpers.h"

namespace {

namespace compare = dynemo::features::compare;

const std::string kReference = std::string(DYNEMO_SHARED_DIR) + "/reference";
constexpr std::size_t kEndRowsIgnored = 8;
constexpr double kMinLldR = 0.90;

const char* const kColumns[12] = {"F0final_sma",         "voicingFinalUnclipped_sma",
                                  "jitterLocal_sma",     "jitterDDP_sma",
                                  "shimmerLocal_sma",    "logHNR_sma",
                                  "F0final_sma_de",      "voicingFinalUnclipped_sma_de",
                                  "jitterLocal_sma_de",  "jitterDDP_sma_de",
                                  "shimmerLocal_sma_de", "logHNR_sma_de"};

// The library's Pearson r (NaN when a side is constant).
double pearson(const std::vector<double>& a, const std::vector<double>& b) {
  return dynemo::pearson(a.data(), b.data(), std::min(a.size(), b.size()));
}

// An openSMILE CSV: header cells and, per row, the numeric cells after name;frameTime.
struct LldTable {
  std::vector<std::string> header;
  std::vector<std::vector<double>> rows;

  // Values of the named column; empty if there is no such column.
  std::vector<double> column(const std::string& name) const {
    std::vector<double> values;
    for (std::size_t at = 2; at < header.size(); ++at) {
      if (header[at] != name) continue;
      for (const auto& row : rows) values.push_back(row[at - 2]);
    }
    return values;
  }
};

// `tool` prints the file: "gzip -dc" or "cat".
LldTable read_opensmile_csv(const std::string& tool, const std::string& path,
                            const std::filesystem::path& dir) {
  const dynemo::testing::CommandRun run =
      dynemo::testing::run_command(tool + " " + dynemo::testing::shell_quote(path), dir);
  LldTable table;
  if (run.exit_code != 0) return table;
  const std::vector<std::string> lines = dynemo::testing::split(run.out, '\n');
  if (lines.empty()) return table;
  table.header = dynemo::testing::split(lines[0], ';');
  for (std::size_t i = 1; i < lines.size(); ++i) {
    const std::vector<std::string> cells = dynemo::testing::split(lines[i], ';');
    if (cells.size() != table.header.size()) continue;
    std::vector<double> row;
    for (std::size_t c = 2; c < cells.size(); ++c) row.push_back(std::stod(cells[c]));
    table.rows.push_back(row);
  }
  return table;
}

class VoicingParity : public dynemo::testing::TempDirTest,
                      public ::testing::WithParamInterface<std::string> {
 protected:
  VoicingParity() : TempDirTest("voicing-parity") {}
};

TEST_P(VoicingParity, MatchesOpensmileCompare2016) {
  const std::string clip = kReference + "/" + GetParam() + ".flac";
  const std::string ref_gz = kReference + "/" + GetParam() + ".opensmile_compare16_lld.csv.gz";
  if (!std::filesystem::exists(clip) || !std::filesystem::exists(ref_gz)) {
    GTEST_SKIP() << "reference data not found at " << kReference
                 << " (needs ../shared beside the repository)";
  }
  const dynemo::Audio audio = dynemo::load_audio(clip);
  // openSMILE scales 16-bit PCM by 1/32767, dynemo's decoder by 1/32768.
  std::vector<float> x(audio.samples);
  for (float& v : x) v *= 32768.0f / 32767.0f;
  const LldTable ref = read_opensmile_csv("gzip -dc", ref_gz, dir_);
  ASSERT_FALSE(ref.rows.empty()) << "cannot read " << ref_gz;
  const std::size_t n_rows = ref.rows.size();

  const auto begin = std::chrono::steady_clock::now();
  const std::clock_t cpu_begin = std::clock();
  const auto ours = compare::voicing_llds(x.data(), x.size(), audio.sample_rate_hz,
                                          compare::LldVariant::compare2016, n_rows);
  const double cpu_s = static_cast<double>(std::clock() - cpu_begin) / CLOCKS_PER_SEC;
  const double wall_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
  ASSERT_EQ(ours.n_frames, n_rows);
  ASSERT_EQ(ours.n_values, 12u);
  std::printf("%s: voicing_llds on %.1f s of audio: %.3f s CPU, %.3f s wall, %zu rows\n",
              GetParam().c_str(), x.size() / audio.sample_rate_hz, cpu_s, wall_s, n_rows);

  const std::size_t used = n_rows - kEndRowsIgnored;
  std::printf("%-30s %10s %12s %12s\n", "column", "pearson_r", "mean_ours", "mean_ref");
  for (std::size_t c = 0; c < 12; ++c) {
    std::size_t at = 0;
    while (at < ref.header.size() && ref.header[at] != kColumns[c]) ++at;
    ASSERT_LT(at, ref.header.size()) << "reference has no column " << kColumns[c];
    std::vector<double> a(used), b(used);
    double ma = 0, mb = 0;
    for (std::size_t t = 0; t < used; ++t) {
      a[t] = ours.at(t, c);
      b[t] = ref.rows[t][at - 2];
      ASSERT_TRUE(std::isfinite(a[t])) << kColumns[c] << " row " << t;
      ma += a[t] / used, mb += b[t] / used;
    }
    const double r = pearson(a, b);
    std::printf("%-30s %10.6f %12.5g %12.5g\n", kColumns[c], r, ma, mb);
    if (c < 6) {
      EXPECT_GE(r, kMinLldR) << kColumns[c];
    }
  }
}

TEST_P(VoicingParity, Is13WindowStatisticsMatchMediaeval2015) {
  const std::string clip = kReference + "/" + GetParam() + ".flac";
  const std::string ref_csv = kReference + "/" + GetParam() + ".opensmile_mediaeval2015_is13.csv";
  if (!std::filesystem::exists(clip) || !std::filesystem::exists(ref_csv)) {
    GTEST_SKIP() << "reference data not found at " << kReference
                 << " (needs ../shared beside the repository)";
  }
  const dynemo::Audio audio = dynemo::load_audio(clip);
  std::vector<float> x(audio.samples);
  for (float& v : x) v *= 32768.0f / 32767.0f;
  const LldTable ref = read_opensmile_csv("cat", ref_csv, dir_);
  ASSERT_FALSE(ref.rows.empty()) << "cannot read " << ref_csv;
  const std::size_t hop = 441, len = 2646;
  const std::size_t n_rows = (x.size() - len) / hop + 2;
  const auto ours = compare::voicing_llds(x.data(), x.size(), audio.sample_rate_hz,
                                          compare::LldVariant::is13, n_rows);
  const std::size_t n_windows = (n_rows - 100) / 50 + 1;
  ASSERT_EQ(n_windows, ref.rows.size());

  std::printf("%-36s %10s\n", "is13 window statistic", "pearson_r");
  for (std::size_t c = 0; c < 12; ++c) {
    std::vector<double> mean(n_windows), stddev(n_windows);
    for (std::size_t k = 0; k < n_windows; ++k) {
      double sum = 0, sum_sq = 0;
      for (std::size_t t = 50 * k; t < 50 * k + 100; ++t) sum += ours.at(t, c);
      mean[k] = sum / 100;
      for (std::size_t t = 50 * k; t < 50 * k + 100; ++t) {
        sum_sq += (ours.at(t, c) - mean[k]) * (ours.at(t, c) - mean[k]);
      }
      stddev[k] = std::sqrt(sum_sq / 100);
    }
    for (const std::string stat : {"_amean", "_stddev"}) {
      const std::string name = kColumns[c] + stat;
      const std::vector<double> expected = ref.column(name);
      ASSERT_EQ(expected.size(), n_windows) << "reference has no column " << name;
      const double r = pearson(stat == "_amean" ? mean : stddev, expected);
      std::printf("%-36s %10.6f\n", name.c_str(), r);
      if (c < 6 && stat == "_amean") {
        EXPECT_GE(r, kMinLldR) << name;
      }
    }
  }
}

INSTANTIATE_TEST_SUITE_P(ReferenceClips, VoicingParity,
                         ::testing::Values("wesnoth_battle_epic_45s", "singularity_awakening_45s"));

}  // namespace
