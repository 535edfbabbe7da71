// Explanations and reports (dynemo/explain.h). First on hand-made data whose every number is
// known: the curves, trajectory, attention map, chromagram and histogram must put each value
// where the data says (pixels mapped back through the panel's axes), and the pages name the
// model, means and quadrant; PNGs have the figure's size. Then end to end on a tiny custom
// dataset of sine tones (written here): chroma cached, LSTM_AT_8 trained for 2 epochs by
// cross-validation and on all songs, `explain_track` on a 440 Hz tone and the report of the run.
#include <sndfile.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "audio-fixtures.h"
#include "dynemo/cache.h"
#include "dynemo/evaluation.h"
#include "dynemo/explain.h"
#include "dynemo/train.h"
#include "explain-helpers.h"
#include "explain/axes.h"
#include "explain/figures.h"
#include "file-helpers.h"

namespace {

namespace fs = std::filesystem;
using dynemo::testing::attr;
using dynemo::testing::contains;
using dynemo::testing::count;
using dynemo::testing::elements;
using dynemo::testing::polyline_data;
using dynemo::testing::svg_by_id;

constexpr std::size_t kN = 10;  // windows of the hand-made track

// Attention of window i: uniform plus extra weight on windows 7, 2 and 5 (in that order of
// weight), rows normalised to 1.
dynemo::TrackExplanation hand_made() {
  dynemo::TrackExplanation e;
  e.model = "LSTM_AT_TEST";
  e.model_path = "/models/test";
  dynemo::TrackPrediction& p = e.prediction;
  p.source = "/music/song & dance.wav";
  p.duration_s = 5.0;
  for (std::size_t i = 0; i < kN; ++i) {
    p.time_s.push_back(0.5 * i);
    p.arousal.push_back(-0.8f + 0.15f * i);
    p.valence.push_back(0.5f - 0.1f * i);
    p.arousal_sd.push_back(0.1f);
    p.valence_sd.push_back(0.1f);
    e.loudness_db.push_back(-6.0 - i);
    for (int k = 0; k < 12; ++k) e.chroma.push_back(k == static_cast<int>(i % 12) ? 1.0f : 0.1f);
  }
  for (std::size_t i = 0; i < kN; ++i) {
    std::vector<float> row(kN, 1.0f);
    row[7] += 5.0f;
    row[2] += 3.0f;
    row[5] += 2.0f;
    for (float v : row) p.attention.push_back(v / 20.0f);
  }
  const std::vector<float> wave = dynemo::test::sine(22050 * 5, 22050, 3.0, 0.5);
  dynemo::waveform_envelope(wave, 800, &e.envelope_min, &e.envelope_max);
  dynemo::summarise(e);
  return e;
}

TEST(ExplainFigures, AttentionPeaksAreTheMostAttendedColumns) {
  const dynemo::TrackExplanation e = hand_made();
  EXPECT_EQ(e.attention_peaks, (std::vector<std::size_t>{7, 2, 5}));
  // Only the three favoured columns are above an even share.
  EXPECT_EQ(dynemo::attention_peaks(e.prediction.attention, kN, 20).size(), 3u);
  // A causal window of 3 frames weighed evenly (rows 0 and 1 see 1 and 2 frames): no peaks,
  // although plain column sums would put frame 0 first.
  std::vector<float> causal(kN * kN, 0.0f);
  for (std::size_t i = 0; i < kN; ++i) {
    const std::size_t first = i >= 2 ? i - 2 : 0;
    for (std::size_t j = first; j <= i; ++j)
      causal[i * kN + j] = 1.0f / static_cast<float>(i - first + 1);
  }
  EXPECT_TRUE(dynemo::attention_peaks(causal, kN, 3).empty());
  causal[6 * kN + 5] += 0.5f;  // row 6 favours frame 5
  EXPECT_EQ(dynemo::attention_peaks(causal, kN, 3), (std::vector<std::size_t>{5}));
  // The same map kept row by row over each row's own frames (as long tracks keep it): the same
  // peaks and the same figure.
  dynemo::AttentionRows rows;
  rows.n_columns = kN;
  for (std::size_t i = 0; i < kN; ++i) {
    const std::size_t first = i >= 2 ? i - 2 : 0;
    rows.append(first, causal.data() + i * kN + first, i - first + 1);
  }
  EXPECT_EQ(rows.weights.size(), 3 * kN - 3);
  EXPECT_EQ(dynemo::attention_peaks(rows, 3), (std::vector<std::size_t>{5}));
  const dynemo::TrackExplanation e2 = hand_made();
  EXPECT_EQ(dynemo::explain::render_svg(
                dynemo::explain::attention_map("m", rows, e2.prediction.time_s, 0.5, "t")),
            dynemo::explain::render_svg(
                dynemo::explain::attention_map("m", causal, e2.prediction.time_s, 0.5, "t")));
  EXPECT_TRUE(dynemo::attention_peaks({}, 0, 3).empty());
  EXPECT_THROW_MSG(dynemo::attention_peaks({0.5f, 0.5f, 1.0f}, 2, 1), dynemo::Error,
                   "3 weights for 2 windows; expected n * n = 4");
}

TEST(ExplainFigures, SummaryAndEnvelopeAreComputedFromTheData) {
  const dynemo::TrackExplanation e = hand_made();
  EXPECT_NEAR(e.summary.arousal_mean, -0.125, 1e-6);
  EXPECT_NEAR(e.summary.valence_mean, 0.05, 1e-6);
  // Valence 0.05 lies inside the track's uncertainty (sd 0.1): only the arousal side is named.
  EXPECT_NEAR(e.summary.neutral.valence, 0.1, 1e-6);
  EXPECT_EQ(e.summary.label, "calm");
  dynemo::TrackExplanation narrow = hand_made();
  std::fill(narrow.prediction.valence_sd.begin(), narrow.prediction.valence_sd.end(), 0.04f);
  dynemo::summarise(narrow);
  EXPECT_NEAR(narrow.summary.neutral.valence, 0.04, 1e-6);
  EXPECT_EQ(narrow.summary.label, "calm/relaxed");
  EXPECT_EQ(e.summary.windows_heard, kN);  // levels unknown: every window counts
  // The last two windows silent: the means are those of the first eight, the page says so.
  dynemo::TrackExplanation tail = hand_made();
  tail.prediction.window_dbfs.assign(kN, -20.0f);
  tail.prediction.window_dbfs[8] = tail.prediction.window_dbfs[9] = -80.0f;
  dynemo::summarise(tail);
  EXPECT_EQ(tail.summary.windows_heard, 8u);
  EXPECT_NEAR(tail.summary.arousal_mean, -0.8 + 0.15 * 3.5, 1e-6);  // windows 0..7
  EXPECT_TRUE(contains(dynemo::explanation_html(tail),
                       "10 windows of 0.5 s, 2 silent (below -60 dBFS: not in the means)"));
  ASSERT_EQ(e.envelope_max.size(), 800u);
  // 3 Hz over 5 s: every bin is a 1/160 of a period; the largest value is the amplitude.
  EXPECT_NEAR(*std::max_element(e.envelope_max.begin(), e.envelope_max.end()), 0.5, 1e-3);
  EXPECT_NEAR(*std::min_element(e.envelope_min.begin(), e.envelope_min.end()), -0.5, 1e-3);
  std::vector<float> lo, hi;
  dynemo::waveform_envelope({0.1f, -0.3f, 0.2f, 0.4f}, 2, &lo, &hi);
  EXPECT_EQ(lo, (std::vector<float>{-0.3f, 0.2f}));
  EXPECT_EQ(hi, (std::vector<float>{0.1f, 0.4f}));

  dynemo::TrackExplanation bad = hand_made();
  bad.prediction.valence.pop_back();
  EXPECT_THROW_MSG(dynemo::summarise(bad), dynemo::Error,
                   "10 windows but 10 arousal and 9 valence values");
  bad = hand_made();
  bad.chroma.resize(5);
  EXPECT_THROW_MSG(dynemo::summarise(bad), dynemo::Error, "5 chroma values for 10 windows");
}

TEST(ExplainFigures, CurvesMapBackToTheValues) {
  const dynemo::TrackExplanation e = hand_made();
  const std::string svg = dynemo::explain::render_svg(dynemo::explain::track_curves(e));
  ASSERT_TRUE(contains(svg, "id=\"curves\""));
  const auto arousal = polyline_data(svg, "arousal");
  const auto valence = polyline_data(svg, "valence");
  ASSERT_EQ(arousal.size(), kN);
  ASSERT_EQ(valence.size(), kN);
  for (std::size_t i = 0; i < kN; ++i) {
    EXPECT_NEAR(arousal[i].first, e.prediction.time_s[i], 1e-3);
    EXPECT_NEAR(arousal[i].second, e.prediction.arousal[i], 1e-3);
    EXPECT_NEAR(valence[i].second, e.prediction.valence[i], 1e-3);
  }
  // Loudness on the strip: -60..0 dBFS over -1..1.
  const auto loudness = polyline_data(svg, "loudness");
  ASSERT_EQ(loudness.size(), kN);
  EXPECT_NEAR(loudness[3].second, 1.0 + (-9.0) / 30.0, 1e-3);
  EXPECT_EQ(elements(svg, "polygon", "waveform").size(), 1u);
  // Peaks: one circle on each curve per attended window, at that window's time, in rank order.
  const auto peaks = elements(svg, "circle", "attention-peak");
  ASSERT_EQ(peaks.size(), 6u);
  const dynemo::testing::PanelMap panel =
      dynemo::testing::panel_at(svg, svg.find("attention-peak"));
  EXPECT_NEAR(panel.x(std::stod(attr(peaks[0], "cx"))), 3.5, 1e-3);
  EXPECT_NEAR(panel.y(std::stod(attr(peaks[0], "cy"))), e.prediction.arousal[7], 1e-3);
  EXPECT_NEAR(panel.y(std::stod(attr(peaks[1], "cy"))), e.prediction.valence[7], 1e-3);
  EXPECT_NEAR(panel.x(std::stod(attr(peaks[2], "cx"))), 1.0, 1e-3);
  EXPECT_NEAR(panel.x(std::stod(attr(peaks[4], "cx"))), 2.5, 1e-3);
}

TEST(ExplainFigures, CircumplexTrajectoryAndMean) {
  const dynemo::TrackExplanation e = hand_made();
  const std::string svg = dynemo::explain::render_svg(
      dynemo::explain::circumplex(e.prediction.valence, e.prediction.arousal));
  const auto path = polyline_data(svg, "trajectory");
  ASSERT_EQ(path.size(), kN);
  for (std::size_t i = 0; i < kN; ++i) {
    EXPECT_NEAR(path[i].first, e.prediction.valence[i], 1e-3);
    EXPECT_NEAR(path[i].second, e.prediction.arousal[i], 1e-3);
  }
  const auto mean = elements(svg, "circle", "mean");
  ASSERT_EQ(mean.size(), 1u);
  const dynemo::testing::PanelMap panel =
      dynemo::testing::panel_at(svg, svg.find("class=\"mean\""));
  EXPECT_NEAR(panel.x(std::stod(attr(mean[0], "cx"))), 0.05, 1e-3);
  EXPECT_NEAR(panel.y(std::stod(attr(mean[0], "cy"))), -0.125, 1e-3);
  EXPECT_EQ(count(svg, "class=\"quadrant-label\""), 4u);
  for (const char* q : {"happy/excited", "angry/tense", "sad/depressed", "calm/relaxed"}) {
    EXPECT_TRUE(contains(svg, std::string(">") + q + "<")) << q;
  }
  EXPECT_THROW_MSG(dynemo::explain::circumplex({0.1f}, {}), dynemo::Error,
                   "1 valence values but 0 arousal");
}

TEST(ExplainFigures, AttentionMapAndChromagramHaveOneCellPerValue) {
  const dynemo::TrackExplanation e = hand_made();
  const std::string map = dynemo::explain::render_svg(
      dynemo::explain::attention_map("attention-map", e.attention, e.prediction.time_s, 0.5, "t"));
  const auto cells = elements(map, "rect", "cell");
  ASSERT_EQ(cells.size(), kN * kN);
  // Row 0 is drawn at the bottom; its column 7 holds 6/20 = 0.3, the largest weight (brightest).
  EXPECT_TRUE(contains(map, "prediction 0 attends 7: 0.3000"));
  EXPECT_TRUE(contains(map, "prediction 9 attends 0: 0.0500"));
  EXPECT_EQ(attr(cells[7], "fill"), attr(cells[17], "fill"));
  EXPECT_NE(attr(cells[7], "fill"), attr(cells[0], "fill"));
  EXPECT_GT(std::stod(attr(cells[0], "y")), std::stod(attr(cells[kN], "y")));
  EXPECT_EQ(map, dynemo::explain::render_svg(dynemo::explain::attention_map(
                     "attention-map", e.prediction.attention, e.prediction.time_s, 0.5, "t")));
  EXPECT_THROW_MSG(
      dynemo::explain::attention_map("x", std::vector<float>{1.0f}, e.prediction.time_s, 0.5, "t"),
      dynemo::Error, "1 weights for 10 windows; expected 100");

  const std::string chroma =
      dynemo::explain::render_svg(dynemo::explain::chromagram(e.chroma, e.prediction.time_s, 0.5));
  const auto chroma_cells = elements(chroma, "rect", "cell");
  ASSERT_EQ(chroma_cells.size(), 12 * kN);
  EXPECT_TRUE(contains(chroma, "1.5 s D#: 1.000"));  // window 3 lights pitch class 3
  EXPECT_TRUE(contains(chroma, "1.5 s D: 0.100"));
  EXPECT_EQ(attr(chroma_cells[3 * 12 + 3], "fill"), attr(chroma_cells[0], "fill"));
}

// Long tracks: the attention map pools blocks of windows (at most 150 cells a side) and the
// chromagram columns (at most 400), each cell the mean of its block, so a 20 min page stays small.
TEST(ExplainFigures, LongTracksArePooledIntoBoundedCells) {
  constexpr std::size_t n = 1000;
  std::vector<double> time_s(n);
  for (std::size_t i = 0; i < n; ++i) time_s[i] = 0.5 * static_cast<double>(i);
  std::vector<float> attention(n * n, 0.0f);
  for (std::size_t i = 0; i < n; ++i) attention[i * n + i] = 1.0f;  // each window on itself
  const std::string map =
      dynemo::explain::render_svg(dynemo::explain::attention_map("a", attention, time_s, 0.5, "t"));
  const auto cells = elements(map, "rect", "cell");
  ASSERT_EQ(cells.size(), 143u * 143u);  // blocks of 7 windows
  EXPECT_LT(map.size(), 5u << 20);
  // A diagonal block holds 7 ones in 49 weights; off the diagonal, nothing.
  EXPECT_NE(attr(cells[0], "fill"), attr(cells[1], "fill"));
  EXPECT_EQ(attr(cells[1], "fill"), attr(cells[2], "fill"));
  std::vector<float> chroma(n * 12, 0.25f);
  const auto chroma_cells =
      elements(dynemo::explain::render_svg(dynemo::explain::chromagram(chroma, time_s, 0.5)),
               "rect", "cell");
  ASSERT_EQ(chroma_cells.size(), 334u * 12u);  // blocks of 3 windows
  EXPECT_EQ(attr(chroma_cells[0], "fill"), attr(chroma_cells[12 * 333], "fill"));
}

// The time axes end where the last window ends: at its start plus the model's window length
// (TrackPrediction::window_s), not a fixed 0.5 s.
TEST(ExplainFigures, TimeAxesEndAtTheLastWindowsEnd) {
  const std::vector<double> time_s = {0.0, 2.0, 4.0, 6.0};
  const std::vector<float> chroma(4 * 12, 0.5f);
  const std::string wide =
      dynemo::explain::render_svg(dynemo::explain::chromagram(chroma, time_s, 2.0));
  const std::string narrow =
      dynemo::explain::render_svg(dynemo::explain::chromagram(chroma, time_s, 0.5));
  EXPECT_TRUE(contains(wide, ">8<")) << "no tick at 8 s";
  EXPECT_FALSE(contains(narrow, ">8<")) << "a tick at 8 s for an axis ending at 6.5 s";
}

TEST(ExplainFigures, ErrorHistogramCountsSongsPerBin) {
  const std::vector<double> errors = {0.01, 0.02, 0.07, 0.12, 0.03};
  const std::string svg = dynemo::explain::render_svg(dynemo::explain::error_histogram(
      "error-histogram-arousal", errors, 0.05, "Arousal", dynemo::explain::palette::arousal));
  EXPECT_EQ(elements(svg, "rect", "bar").size(), 3u);
  std::vector<std::string> counts;
  for (std::size_t at = svg.find("data-count=\""); at != std::string::npos;
       at = svg.find("data-count=\"", at + 1)) {
    counts.push_back(svg.substr(at + 12, svg.find('"', at + 12) - at - 12));
  }
  EXPECT_EQ(counts, (std::vector<std::string>{"3", "1", "1"}));
}

TEST(ExplainPage, NamesModelMeansQuadrantAndHoldsEveryFigure) {
  const dynemo::TrackExplanation e = hand_made();
  const std::string html = dynemo::explanation_html(e);
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  for (const char* id : {"curves", "circumplex", "attention-map", "chromagram"}) {
    EXPECT_FALSE(svg_by_id(html, id).empty()) << id;
  }
  EXPECT_TRUE(contains(html, "<span id=\"model\">LSTM_AT_TEST (/models/test)</span>"));
  EXPECT_TRUE(contains(html, "<span id=\"mean-arousal\">-0.125</span>"));
  EXPECT_TRUE(contains(html, "<span id=\"mean-valence\">0.050</span>"));
  EXPECT_TRUE(contains(html, "<span id=\"quadrant\">calm</span>"));
  EXPECT_TRUE(contains(html, "<span id=\"attention-peaks\">3.5 s, 1.0 s, 2.5 s</span>"));
  EXPECT_TRUE(contains(html, "song &amp; dance.wav"));
  // Self-contained: the only URL is the SVG namespace, nothing is loaded.
  EXPECT_EQ(count(html, "http"), count(html, "xmlns=\"http://www.w3.org/2000/svg\""));
  EXPECT_FALSE(contains(html, "<script"));
  EXPECT_FALSE(contains(html, "src=\""));

  dynemo::TrackExplanation plain = hand_made();
  plain.prediction.attention.clear();
  plain.attention = {};
  dynemo::summarise(plain);
  const std::string no_attention = dynemo::explanation_html(plain);
  EXPECT_TRUE(svg_by_id(no_attention, "attention-map").empty());
  EXPECT_TRUE(contains(no_attention, "has no attention"));
  EXPECT_EQ(count(no_attention, "class=\"attention-peak\""), 0u);
}

class ExplainFiles : public dynemo::testing::TempDirTest {
 protected:
  ExplainFiles() : TempDirTest("dynemo-test-explain") {}
};

TEST_F(ExplainFiles, WritesThePageAndPngsOfTheFigureSizes) {
  const dynemo::TrackExplanation e = hand_made();
  const std::string html = (dir_ / "page.html").string();
  dynemo::write_explanation(e, html, (dir_ / "png").string());
  EXPECT_EQ(dynemo::testing::read_file(html), dynemo::explanation_html(e));
  const struct {
    const char* name;
    int width, height;
  } pngs[] = {{"curves.png", 900, 462},
              {"circumplex.png", 620, 490},
              {"attention-map.png", 640, 520},
              {"chromagram.png", 900, 330}};
  for (const auto& png : pngs) {
    const auto info = dynemo::testing::png_info((dir_ / "png" / png.name).string());
    EXPECT_EQ(info.width, png.width) << png.name;
    EXPECT_EQ(info.height, png.height) << png.name;
    EXPECT_GT(info.n_colours, 5u) << png.name;
  }
  dynemo::testing::write(dir_ / "plain-file", "x");  // a file where a folder would have to be
  const std::string bad = (dir_ / "plain-file" / "page.html").string();
  EXPECT_THROW_MSG(dynemo::write_explanation(e, bad), dynemo::IoError, bad);
  EXPECT_THROW_MSG(dynemo::write_explanation(e, html, bad), dynemo::IoError, bad);
}

// A custom dataset of 6 songs, 5 s of a sine each (song 1: 440 Hz, amplitude 0.5), rated every
// 0.5 s; its chroma cached; LSTM_AT_8 cross-validated (3 folds) and trained on all songs for 2
// epochs. Made once for the suite.
class ExplainRun : public ::testing::Test {
 protected:
  static constexpr int kSongs = 6;
  static constexpr int kRatings = 10;

  static void SetUpTestSuite() {
    root_ = new fs::path(fs::temp_directory_path() /
                         ("dynemo-test-explain-run-" + std::to_string(::getpid())));
    fs::remove_all(*root_);
    fs::create_directories(*root_ / "audio");
    std::string manifest = "song_id,audio_path\n", ratings = "song_id,time_s,arousal,valence\n";
    for (int s = 1; s <= kSongs; ++s) {
      const double amplitude = s == 1 ? 0.5 : 0.1 + 0.1 * s;
      const double hz = s == 1 ? 440.0 : 220.0 * std::pow(2.0, s / 12.0);
      const std::string wav = "audio/" + std::to_string(s) + ".wav";
      const std::string err =
          dynemo::test::write_sound((*root_ / wav).string(), SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1,
                                    44100, dynemo::test::sine(44100 * 5, 44100, hz, amplitude));
      ASSERT_EQ(err, "");
      manifest += std::to_string(s) + "," + wav + "\n";
      for (int k = 0; k < kRatings; ++k) {
        ratings += std::to_string(s) + "," + std::to_string(0.5 * k) + "," +
                   std::to_string(-0.6 + 0.2 * s + 0.02 * k) + "," + std::to_string(0.4 - 0.1 * s) +
                   "\n";
      }
    }
    dynemo::testing::write(*root_ / "manifest.csv", manifest);
    dynemo::testing::write(*root_ / "annotations.csv", ratings);
    source_ = new dynemo::DatasetSource{"custom", "", (*root_ / "manifest.csv").string(),
                                        (*root_ / "annotations.csv").string()};
    const dynemo::Dataset dataset = dynemo::load_dataset(*source_);
    dynemo::CacheOptions cache;
    cache.spec = "chroma";
    cache.cache_dir = (*root_ / "cache").string();
    const dynemo::CacheResult built = dynemo::build_cache(dataset, cache);
    ASSERT_TRUE(built.failed.empty());
    const dynemo::CachedFeatures cached =
        dynemo::load_cached(cache.cache_dir, dataset.name, "chroma");
    const dynemo::SequenceSet data = dynemo::build_sequences(dataset, cached);
    ASSERT_EQ(data.songs.size(), static_cast<std::size_t>(kSongs));
    dynemo::TrainConfig config;
    config.model = "LSTM_AT_8";
    config.max_epochs = 2;
    config.folds = 3;
    config.batch_size = 4;
    config.seed = 1;
    dynemo::cross_validate(data, config, run_dir());
    dynemo::train_all(data, config, (*root_ / "model").string());
  }

  static void TearDownTestSuite() {
    std::error_code ec;
    fs::remove_all(*root_, ec);
    delete root_;
    delete source_;
  }

  static std::string run_dir() { return (*root_ / "run" / "LSTM_AT_8").string(); }
  static std::string model() { return (*root_ / "model" / "model").string(); }
  static std::string cache_dir() { return (*root_ / "cache").string(); }
  static std::string wav(int s) {
    return (*root_ / "audio" / (std::to_string(s) + ".wav")).string();
  }

  dynemo::ReportOptions options() const {
    dynemo::ReportOptions o;
    o.dataset = *source_;
    o.cache_dir = cache_dir();
    return o;
  }

  static fs::path* root_;
  static dynemo::DatasetSource* source_;
};

fs::path* ExplainRun::root_ = nullptr;
dynemo::DatasetSource* ExplainRun::source_ = nullptr;

TEST_F(ExplainRun, ExplainsATrackWithAttentionLoudnessAndChroma) {
  const dynemo::TrackExplanation e = dynemo::explain_track(wav(1), model());
  EXPECT_EQ(e.model, "LSTM_AT_8");
  const dynemo::TrackPrediction& p = e.prediction;
  ASSERT_EQ(p.n_windows(), 10u);
  EXPECT_NEAR(p.duration_s, 5.0, 1e-6);
  EXPECT_NEAR(p.time_s[3], 1.5, 1e-9);
  ASSERT_EQ(p.attention.size(), 100u);
  for (std::size_t i = 0; i < 10; ++i) {
    double row = 0;
    for (std::size_t j = 0; j < 10; ++j) row += p.attention[i * 10 + j];
    EXPECT_NEAR(row, 1.0, 1e-3) << "row " << i;
  }
  EXPECT_EQ(e.attention_peaks.size(), 3u);
  // A sine of amplitude 0.5 has RMS 0.5 / sqrt(2): -9.03 dBFS in every window.
  ASSERT_EQ(e.loudness_db.size(), 10u);
  for (double db : e.loudness_db) EXPECT_NEAR(db, 20.0 * std::log10(0.5 / std::sqrt(2.0)), 0.05);
  // 440 Hz is A: pitch class 9 holds the largest chroma in the middle windows.
  ASSERT_EQ(e.chroma.size(), 120u);
  for (std::size_t i = 2; i < 8; ++i) {
    const auto row = e.chroma.begin() + static_cast<std::ptrdiff_t>(12 * i);
    EXPECT_EQ(std::max_element(row, row + 12) - row, 9) << "window " << i;
  }
  double mean_a = 0;
  for (float a : p.arousal) mean_a += a / 10.0;
  EXPECT_NEAR(e.summary.arousal_mean, mean_a, 1e-6);
  EXPECT_EQ(e.summary.label,
            dynemo::mood_label(e.summary.valence_mean, e.summary.arousal_mean, e.summary.neutral));
  const std::string html = dynemo::explanation_html(e);
  EXPECT_TRUE(contains(html, "LSTM_AT_8"));
  EXPECT_EQ(elements(svg_by_id(html, "attention-map"), "rect", "cell").size(), 100u);
  EXPECT_THROW_MSG(dynemo::explain_track((*root_ / "nope.wav").string(), model()),
                   dynemo::AudioError, "nope.wav");
}

// A track over 3 minutes is read in pieces: the same loudness, envelope and chroma as the
// whole signal gives, in bounded memory.
TEST_F(ExplainRun, LongTracksAreDescribedPieceByPiece) {
  const std::size_t rate = 44100;
  const std::vector<float> x = dynemo::test::sine(200 * rate, rate, 440.0, 0.5);
  const std::string path = (*root_ / "long.wav").string();
  ASSERT_EQ(dynemo::test::write_sound(path, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 1, rate, x), "");
  const dynemo::TrackExplanation e = dynemo::explain_track(path, model());
  ASSERT_EQ(e.prediction.n_windows(), 400u);
  ASSERT_EQ(e.attention.n_rows(), 400u);  // up to 1024 windows: the whole map
  EXPECT_EQ(e.attention.weights.size(), 400u * 400u);
  ASSERT_EQ(e.loudness_db.size(), 400u);
  for (double db : e.loudness_db) EXPECT_NEAR(db, 20.0 * std::log10(0.5 / std::sqrt(2.0)), 0.05);
  std::vector<float> lo, hi;
  dynemo::waveform_envelope(x, 800, &lo, &hi);
  EXPECT_EQ(e.envelope_min, lo);
  EXPECT_EQ(e.envelope_max, hi);
  ASSERT_EQ(e.chroma.size(), 400u * 12u);
  for (std::size_t i = 2; i < 398; ++i) {
    const auto row = e.chroma.begin() + static_cast<std::ptrdiff_t>(12 * i);
    EXPECT_EQ(std::max_element(row, row + 12) - row, 9) << "window " << i;
  }
}

TEST_F(ExplainRun, ReportPairsPredictionsWithRatingsAndPicksBestMedianWorst) {
  const dynemo::RunReport r = dynemo::read_run_report(run_dir(), options());
  EXPECT_EQ(r.model, "LSTM_AT_8");
  EXPECT_EQ(r.spec, "chroma");
  ASSERT_EQ(r.all_songs.size(), static_cast<std::size_t>(kSongs));
  const dynemo::Dataset dataset = dynemo::load_dataset(*source_);
  for (const dynemo::SongReport& s : r.all_songs) {
    ASSERT_EQ(s.time_s.size(), static_cast<std::size_t>(kRatings));
    EXPECT_GE(s.fold, 1);
    const dynemo::SongPrediction p =
        dynemo::read_prediction_csv(run_dir() + "/predictions/" + s.song_id + ".csv");
    const dynemo::AnnotatedSong& truth = dataset.songs[std::stoul(s.song_id) - 1];
    double ss = 0;
    for (int k = 0; k < kRatings; ++k) ss += std::pow(p.arousal[k] - truth.arousal[k], 2);
    EXPECT_NEAR(s.rmse_arousal, std::sqrt(ss / kRatings), 1e-9) << s.song_id;
    EXPECT_NEAR(s.arousal_pred[4], p.arousal[4], 1e-12);
  }
  std::vector<double> rmse;
  for (const auto& s : r.all_songs) rmse.push_back(s.rmse_arousal);
  ASSERT_EQ(r.chosen.size(), 3u);
  EXPECT_EQ(r.all_songs[r.chosen[0]].rmse_arousal, *std::min_element(rmse.begin(), rmse.end()));
  EXPECT_EQ(r.all_songs[r.chosen[2]].rmse_arousal, *std::max_element(rmse.begin(), rmse.end()));
  std::sort(rmse.begin(), rmse.end());
  EXPECT_EQ(r.all_songs[r.chosen[1]].rmse_arousal, rmse[kSongs / 2]);

  const nlohmann::json metrics =
      nlohmann::json::parse(dynemo::testing::read_file(run_dir() + "/metrics.json"));
  ASSERT_EQ(r.metrics.size(), 4u);
  EXPECT_DOUBLE_EQ(r.metrics[0].arousal.at("rmse"),
                   metrics["pooled"]["arousal"]["rmse"].get<double>());
  EXPECT_EQ(r.metrics[2].scope, "fold 2");
  EXPECT_TRUE(r.has_attention);
  for (std::size_t c = 0; c < 3; ++c) {
    EXPECT_EQ(r.all_songs[r.chosen[c]].attention.size(), 100u)
        << r.all_songs[r.chosen[c]].attention_note;
  }

  const std::string html = dynemo::run_report_html(r);
  for (const char* id : {"error-histogram-arousal", "error-histogram-valence"}) {
    const std::string svg = svg_by_id(html, id);
    std::size_t songs = 0;
    for (std::size_t at = svg.find("data-count=\""); at != std::string::npos;
         at = svg.find("data-count=\"", at + 1)) {
      songs += std::stoul(svg.substr(at + 12));
    }
    EXPECT_EQ(songs, static_cast<std::size_t>(kSongs)) << id;
  }
  const dynemo::SongReport& best = r.all_songs[r.chosen[0]];
  const std::string curves = svg_by_id(html, "song-" + best.song_id);
  const auto annotated = polyline_data(curves, "annotated arousal");
  const auto predicted = polyline_data(curves, "predicted valence");
  ASSERT_EQ(annotated.size(), static_cast<std::size_t>(kRatings));
  ASSERT_EQ(predicted.size(), static_cast<std::size_t>(kRatings));
  EXPECT_NEAR(annotated[3].first, 1.5, 1e-3);
  EXPECT_NEAR(annotated[3].second, best.arousal[3], 1e-3);
  EXPECT_NEAR(predicted[6].second, best.valence_pred[6], 1e-3);
  EXPECT_EQ(elements(svg_by_id(html, "attention-" + best.song_id), "rect", "cell").size(), 100u);
  EXPECT_TRUE(contains(html, "<table id=\"metrics\">"));
  EXPECT_TRUE(contains(html, "<table id=\"fold-metrics\">"));
}

// A custom run records its manifest and annotations (absolute paths, FNV-1a): the report needs
// nothing else, draws the predictive sd band, and refuses annotations changed since the run.
TEST_F(ExplainRun, CustomRunIsReportedFromItsFolderAlone) {
  const nlohmann::json config =
      nlohmann::json::parse(dynemo::testing::read_file(run_dir() + "/config.json"));
  EXPECT_EQ(config["data"]["annotations"]["path"],
            fs::absolute(*root_ / "annotations.csv").lexically_normal().string());
  EXPECT_EQ(config["data"]["manifest"]["fnv1a"].get<std::string>().size(), 16u);
  dynemo::ReportOptions alone;
  alone.cache_dir = cache_dir();
  const dynemo::RunReport r = dynemo::read_run_report(run_dir(), alone);
  ASSERT_EQ(r.all_songs.size(), static_cast<std::size_t>(kSongs));
  EXPECT_EQ(r.all_songs[0].arousal_sd.size(), static_cast<std::size_t>(kRatings));
  EXPECT_GT(r.all_songs[0].arousal_sd[0], 0.0);
  const std::string html = dynemo::run_report_html(r);
  EXPECT_TRUE(contains(svg_by_id(html, "song-" + r.all_songs[r.chosen[0]].song_id),
                       "class=\"arousal-band\""));

  const fs::path annotations = *root_ / "annotations.csv";
  const std::string before = dynemo::testing::read_file(annotations.string());
  dynemo::testing::write(annotations, before + "1,30.0,0.1,0.1\n");
  EXPECT_THROW_MSG(dynemo::read_run_report(run_dir(), alone), dynemo::DataError,
                   "annotations.csv: changed since the run");
  dynemo::testing::write(annotations, before);
  EXPECT_NO_THROW(dynemo::read_run_report(run_dir(), alone));
}

// A 45 s tone with a noise burst at 20-25 s, through the shipped attention model v1 (multi-scale
// context attention): the most attended windows are the burst, not the first or last windows.
TEST_F(ExplainRun, MostAttendedWindowsOfAClipAreItsEvent) {
  const std::size_t n = 44100 * 45;
  std::vector<float> x = dynemo::test::sine(n, 44100, 220.0, 0.1);
  std::mt19937 rng(2);
  std::uniform_real_distribution<float> noise(-0.8f, 0.8f);
  for (std::size_t i = 20 * 44100; i < 25 * 44100; ++i) x[i] += noise(rng);
  const std::string wav = (*root_ / "event.wav").string();
  ASSERT_EQ(dynemo::test::write_sound(wav, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 1, 44100, x), "");
  const dynemo::TrackExplanation e = dynemo::explain_track(
      wav, std::string(DYNEMO_SOURCE_DIR) + "/models/deam-spectral-mca_alstm_64x2-v1");
  ASSERT_EQ(e.attention_peaks.size(), 3u);
  for (std::size_t w : e.attention_peaks) {
    EXPECT_GE(e.prediction.time_s[w], 19.5);
    EXPECT_LE(e.prediction.time_s[w], 25.0);
  }
}

TEST_F(ExplainRun, ReportWithoutCacheSaysSoAndBadInputNamesTheFile) {
  dynemo::ReportOptions o = options();
  o.cache_dir = (*root_ / "no-cache-here").string();
  o.songs = {"4", "2"};
  const dynemo::RunReport r = dynemo::read_run_report(run_dir(), o);
  ASSERT_EQ(r.chosen.size(), 2u);
  EXPECT_EQ(r.all_songs[r.chosen[0]].song_id, "4");
  EXPECT_TRUE(r.all_songs[r.chosen[0]].attention.empty());
  ASSERT_EQ(r.notes.size(), 1u);
  EXPECT_TRUE(contains(r.notes[0], "the feature cache is missing")) << r.notes[0];
  const std::string html = dynemo::run_report_html(r);
  EXPECT_TRUE(contains(html, "the feature cache is missing"));
  EXPECT_FALSE(svg_by_id(html, "song-4").empty());

  o.songs = {"99"};
  EXPECT_THROW_MSG(dynemo::read_run_report(run_dir(), o), dynemo::DataError, "song 99");
  const std::string missing = (*root_ / "no-run").string();
  EXPECT_THROW_MSG(dynemo::read_run_report(missing, o), dynemo::IoError, missing + "/config.json");
}

TEST_F(ExplainRun, CliWritesThePageAndImages) {
  const fs::path out = *root_ / "cli";
  fs::create_directories(out);
  const auto run = dynemo::testing::run_command(
      dynemo::testing::shell_quote(DYNEMO_CLI) + " explain " +
          dynemo::testing::shell_quote(wav(2)) + " -o " +
          dynemo::testing::shell_quote((out / "e.html").string()) + " --png " +
          dynemo::testing::shell_quote((out / "png").string()) + " -m " +
          dynemo::testing::shell_quote(model()),
      out);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(contains(run.out, "10 windows"));
  // The means as `predict` prints them (signed, three decimals).
  const dynemo::TrackExplanation e = dynemo::explain_track(wav(2), model());
  char means[64];
  std::snprintf(means, sizeof means, "mean arousal %+.3f, valence %+.3f (", e.summary.arousal_mean,
                e.summary.valence_mean);
  EXPECT_TRUE(contains(run.out, means)) << run.out;
  const std::string html = dynemo::testing::read_file(out / "e.html");
  EXPECT_EQ(elements(svg_by_id(html, "curves"), "polyline", "arousal").size(), 1u);
  EXPECT_EQ(dynemo::testing::png_info((out / "png" / "attention-map.png").string()).width, 640);

  const auto bad =
      dynemo::testing::run_command(dynemo::testing::shell_quote(DYNEMO_CLI) + " report " +
                                       dynemo::testing::shell_quote((out / "absent").string()),
                                   out);
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_TRUE(contains(bad.err, (out / "absent" / "config.json").string())) << bad.err;
}

}  // namespace
