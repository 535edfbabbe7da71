// The explain page of one track: a summary (model, means, quadrant, attended frames) and the four
// figures, inline; optionally the same figures as PNG files.
#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <system_error>

#include "dynemo/error.h"
#include "dynemo/explain.h"
#include "dynemo/io.h"
#include "explain/figures.h"
#include "explain/html.h"

namespace dynemo {
namespace {

using explain::escape_xml;
using explain::html_number;

std::string summary_html(const TrackExplanation& e) {
  const TrackPrediction& p = e.prediction;
  auto row = [](const std::string& label, const std::string& id, const std::string& value) {
    return "<div><b>" + escape_xml(label) + "</b><span id=\"" + id + "\">" + escape_xml(value) +
           "</span></div>\n";
  };
  std::string peaks;
  for (std::size_t w : e.attention_peaks) {
    char text[48];
    std::snprintf(text, sizeof text, "%s%.1f s", peaks.empty() ? "" : ", ", p.time_s[w]);
    peaks += text;
  }
  std::string out = "<div class=\"summary\">\n";
  out += row("Track", "track", p.source);
  out += row("Model", "model", e.model + (e.model_path.empty() ? "" : " (" + e.model_path + ")"));
  const std::size_t silent = e.summary.windows_left_out();
  out += row(
      "Duration", "duration",
      html_number(p.duration_s, 1) + " s, " + std::to_string(p.n_windows()) + " windows of 0.5 s" +
          (silent > 0 ? ", " + std::to_string(silent) + " silent (below -60 dBFS: not in the means)"
                      : ""));
  out += row("Mean arousal", "mean-arousal", html_number(e.summary.arousal_mean));
  out += row("Mean valence", "mean-valence", html_number(e.summary.valence_mean));
  out += row("Uncertainty (mean ±1 sd)", "uncertainty",
             "arousal " + html_number(e.summary.neutral.arousal) + ", valence " +
                 html_number(e.summary.neutral.valence));
  out += row("Summary", "quadrant", e.summary.label);  // a quadrant, one side, neutral or silent
  if (!peaks.empty()) out += row("Most attended frames", "attention-peaks", peaks);
  return out + "</div>\n";
}

// "baseline arousal +0.035, valence +0.041" (track means).
std::string baseline_text(const TrackPrediction& p) {
  const GroupAttribution& a = p.attribution;
  double ba = 0, bv = 0;
  for (float x : a.baseline_arousal) ba += x;
  for (float x : a.baseline_valence) bv += x;
  const double n = std::max<double>(1.0, static_cast<double>(a.baseline_arousal.size()));
  return "baseline arousal " + html_number(ba / n) + ", valence " + html_number(bv / n);
}

std::vector<explain::Figure> figures(const TrackExplanation& e) {
  const TrackPrediction& p = e.prediction;
  std::vector<explain::Figure> out = {explain::track_curves(e),
                                      explain::circumplex(p.valence, p.arousal)};
  if (!p.attribution.empty()) out.push_back(explain::attribution_bars(p));
  if (!e.attention.empty()) {
    out.push_back(explain::attention_map("attention-map", e.attention, p.time_s, p.window_s,
                                         "Attention: prediction time vs attended frame"));
  }
  if (!e.chroma.empty()) out.push_back(explain::chromagram(e.chroma, p.time_s, p.window_s));
  return out;
}

}  // namespace

std::string explanation_html(const TrackExplanation& e) {
  const TrackPrediction& p = e.prediction;
  std::string body = summary_html(e);
  for (const explain::Figure& f : figures(e)) {
    if (f.id == "curves") {
      body += explain::html_section("section-curves", "Arousal and valence over time",
                                    explain::render_svg(f));
    } else if (f.id == "attribution") {
      body += explain::html_section(
          "section-attribution", "Why: what in the music moved the prediction",
          "<p>How much each group of features moved the prediction away from the baseline (" +
              explain::escape_xml(baseline_text(p)) +
              ": every feature at its average over the training songs). The values are exact "
              "Shapley values: per window, the baseline plus the groups' values is the "
              "prediction.</p>\n" +
              explain::render_svg(f));
    } else if (f.id == "circumplex") {
      body += explain::html_section("section-circumplex", "Trajectory in the valence-arousal plane",
                                    explain::render_svg(f));
    } else if (f.id == "attention-map") {
      body += explain::html_section(
          "section-attention", "Attention map",
          "<p>Row = prediction time, column = the frame it attends to (Chaki et al. 2020, "
          "Fig. 3); brighter = more weight.</p>\n" +
              explain::render_svg(f));
    } else {
      body += explain::html_section("section-chromagram", "Chromagram", explain::render_svg(f));
    }
  }
  if (e.attention.empty()) {
    body += explain::html_section(
        "section-attention", "Attention map",
        explain::html_note("The model " + e.model + " has no attention: no map to show."));
  }
  const std::string name = std::filesystem::path(p.source).filename().string();
  return explain::html_page("dynemo explain: " + name, body);
}

void write_explanation(const TrackExplanation& e, const std::string& html_path,
                       const std::string& png_dir) {
  write_file_atomic(html_path, explanation_html(e));
  if (png_dir.empty()) return;
  std::error_code ec;
  std::filesystem::create_directories(png_dir, ec);
  if (!std::filesystem::is_directory(png_dir)) {
    throw IoError(png_dir + ": cannot create the folder for the PNG images (" + ec.message() + ")");
  }
  for (const explain::Figure& f : figures(e)) {
    explain::render_png(f, (std::filesystem::path(png_dir) / (f.id + ".png")).string());
  }
}

}  // namespace dynemo
