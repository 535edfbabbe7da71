// The pages as a browser shows them: headless Chromium (Debian's `chromium`) renders an explain
// page and a report page built from hand-made data; the screenshot must be a PNG of the window
// size that is not one flat colour, and the DOM Chromium dumps must hold every plot element.
// Skipped (with a message) when chromium is not installed.
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "dynemo/explain.h"
#include "dynemo/io.h"
#include "explain-helpers.h"
#include "file-helpers.h"

namespace {

namespace fs = std::filesystem;
using dynemo::testing::contains;
using dynemo::testing::shell_quote;

std::string chromium() {
  for (const char* path : {"/usr/bin/chromium", "/usr/bin/chromium-browser"}) {
    if (fs::exists(path)) return path;
  }
  return "";
}

dynemo::TrackExplanation track() {
  dynemo::TrackExplanation e;
  e.model = "LSTM_AT_RENDER";
  dynemo::TrackPrediction& p = e.prediction;
  p.source = "render.wav";
  p.duration_s = 12.0;
  const std::size_t n = 24;
  for (std::size_t i = 0; i < n; ++i) {
    p.time_s.push_back(0.5 * i);
    p.arousal.push_back(static_cast<float>(0.6 * std::sin(0.4 * i)));
    p.valence.push_back(static_cast<float>(0.5 * std::cos(0.3 * i)));
    p.arousal_sd.push_back(0.18f);
    p.valence_sd.push_back(0.2f);
    e.loudness_db.push_back(-20.0 + 5.0 * std::sin(0.2 * i));
    for (int k = 0; k < 12; ++k) e.chroma.push_back(static_cast<float>((i + k) % 7) / 6.0f);
    e.envelope_min.push_back(-0.3f);
    e.envelope_max.push_back(0.3f);
  }
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j)
      p.attention.push_back(j == (i * 3) % n ? 0.5f : 0.5f / (n - 1));
  }
  // Attributions: loudness +0.2 and harmony -0.1 on arousal in every window, valence the reverse.
  dynemo::GroupAttribution& a = p.attribution;
  a.groups = {"loudness", "rhythm", "timbre", "harmony", "voice"};
  for (std::size_t i = 0; i < n; ++i) {
    a.baseline_arousal.push_back(0.05f);
    a.baseline_valence.push_back(0.04f);
    for (float v : {0.2f, 0.0f, 0.0f, -0.1f, 0.0f}) a.arousal.push_back(v);
    for (float v : {-0.1f, 0.0f, 0.0f, 0.2f, 0.0f}) a.valence.push_back(v);
  }
  dynemo::summarise(e);
  return e;
}

dynemo::RunReport run() {
  dynemo::RunReport r;
  r.run_dir = "/runs/x";
  r.model = "LSTM_AT_RENDER";
  r.dataset = "deam";
  r.spec = "chroma";
  r.has_attention = true;
  dynemo::MetricsRow pooled;
  pooled.scope = "pooled";
  pooled.n_songs = 3;
  pooled.arousal = {{"r2", 0.5}, {"rmse", 0.2}};
  pooled.valence = {{"r2", 0.3}, {"rmse", 0.25}};
  r.metrics = {pooled, pooled};
  r.metrics[1].scope = "fold 1";
  for (int s = 0; s < 3; ++s) {
    dynemo::SongReport song;
    song.song_id = std::to_string(10 + s);
    song.fold = 1;
    for (int k = 0; k < 8; ++k) {
      song.time_s.push_back(15.0 + 0.5 * k);
      song.arousal.push_back(0.1 * k - 0.3);
      song.valence.push_back(0.2 - 0.05 * k);
      song.arousal_pred.push_back(0.08 * k - 0.2 + 0.05 * s);
      song.valence_pred.push_back(0.1);
    }
    song.rmse_arousal = 0.05 + 0.1 * s;
    song.rmse_valence = 0.1;
    for (int i = 0; i < 64; ++i) song.attention.push_back(i % 9 == 0 ? 0.6f : 0.05f);
    r.all_songs.push_back(song);
    r.chosen.push_back(static_cast<std::size_t>(s));
  }
  return r;
}

class ExplainRender : public dynemo::testing::TempDirTest {
 protected:
  ExplainRender() : TempDirTest("dynemo-test-explain-render") {}

  // Renders `html` (written to dir_/<stem>.html) at 1200x2400; returns the dumped DOM.
  std::string render(const std::string& stem, const std::string& html) {
    const fs::path page = dir_ / (stem + ".html"), png = dir_ / (stem + ".png");
    dynemo::write_file_atomic(page.string(), html);
    const std::string flags =
        " --headless --no-sandbox --disable-gpu --hide-scrollbars "
        "--user-data-dir=" +
        shell_quote((dir_ / "profile").string()) + " --window-size=1200,2400 ";
    const auto shot = dynemo::testing::run_command(shell_quote(chromium()) + flags +
                                                       "--screenshot=" + shell_quote(png.string()) +
                                                       " " + shell_quote("file://" + page.string()),
                                                   dir_);
    EXPECT_EQ(shot.exit_code, 0) << shot.err;
    const auto info = dynemo::testing::png_info(png.string());
    EXPECT_EQ(info.width, 1200) << stem;
    EXPECT_EQ(info.height, 2400) << stem;
    EXPECT_GT(info.n_colours, 8u) << stem;
    const auto dom = dynemo::testing::run_command(
        shell_quote(chromium()) + flags + "--dump-dom " + shell_quote("file://" + page.string()),
        dir_);
    EXPECT_EQ(dom.exit_code, 0) << dom.err;
    return dom.out;
  }
};

TEST_F(ExplainRender, ExplainPageRendersWithEveryPlot) {
  if (chromium().empty()) GTEST_SKIP() << "chromium is not installed (apt-get install chromium)";
  const std::string dom = render("explain", dynemo::explanation_html(track()));
  for (const char* id : {"id=\"curves\"", "id=\"circumplex\"", "id=\"attention-map\"",
                         "id=\"chromagram\"", "class=\"arousal\"", "class=\"valence\"",
                         "class=\"attention-peak\"", "class=\"trajectory\"", "LSTM_AT_RENDER",
                         "class=\"arousal-band\"", "class=\"valence-band\"", "id=\"attribution\"",
                         "Why: what in the music moved the prediction"}) {
    EXPECT_TRUE(contains(dom, id)) << id;
  }
  // One bar per group and dimension, carrying the track means.
  const std::string bars = dynemo::testing::svg_by_id(dom, "attribution");
  EXPECT_EQ(dynemo::testing::count(bars, "class=\"attribution-bar\""), 10u);
  EXPECT_TRUE(
      contains(bars, "data-dimension=\"arousal\" data-group=\"loudness\" data-value=\"+0.200\""))
      << bars.substr(0, 2000);
  EXPECT_TRUE(
      contains(bars, "data-dimension=\"valence\" data-group=\"harmony\" data-value=\"+0.200\""));
  EXPECT_TRUE(contains(dom, "<span id=\"uncertainty\">arousal 0.180, valence 0.200</span>"));
  EXPECT_EQ(
      dynemo::testing::count(dynemo::testing::svg_by_id(dom, "attention-map"), "class=\"cell\""),
      24u * 24u);
}

TEST_F(ExplainRender, ReportPageRendersWithEveryPlot) {
  if (chromium().empty()) GTEST_SKIP() << "chromium is not installed (apt-get install chromium)";
  const std::string dom = render("report", dynemo::run_report_html(run()));
  for (const char* id :
       {"id=\"metrics\"", "id=\"fold-metrics\"", "id=\"error-histogram-arousal\"",
        "id=\"error-histogram-valence\"", "id=\"song-10\"", "id=\"song-12\"", "id=\"attention-10\"",
        "class=\"predicted arousal\"", "class=\"annotated valence\""}) {
    EXPECT_TRUE(contains(dom, id)) << id;
  }
}

}  // namespace
