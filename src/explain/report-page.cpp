// The report page of a cross-validation run: what was run, the metrics tables, the error
// histograms over songs, predicted vs annotated curves of the chosen songs and their attention
// maps.
#include <cmath>
#include <cstdio>

#include "dynemo/explain.h"
#include "explain/axes.h"
#include "explain/figures.h"
#include "explain/html.h"

namespace dynemo {
namespace {

using explain::escape_xml;
using explain::html_number;

const std::pair<const char*, const char*> kMetrics[] = {
    {"r2", "R² (pooled)"},
    {"rmse", "RMSE (pooled)"},
    {"mae", "MAE (pooled)"},
    {"pearson", "Pearson r (pooled)"},
    {"ccc", "CCC (pooled)"},
    {"song_pearson_mean", "per-song r (mean)"},
    {"song_kendall_mean", "per-song Kendall τ (mean)"},
    {"song_rmse_mean", "per-song RMSE (mean)"}};

double at(const std::map<std::string, double>& m, const char* key) {
  const auto it = m.find(key);
  return it == m.end() ? std::nan("") : it->second;
}

std::string metrics_html(const RunReport& r) {
  std::vector<std::vector<std::string>> rows;
  const MetricsRow& pooled = r.metrics.front();
  for (const auto& [key, label] : kMetrics) {
    rows.push_back(
        {label, html_number(at(pooled.arousal, key), 4), html_number(at(pooled.valence, key), 4)});
  }
  std::string out = explain::html_table("metrics", {"metric", "arousal", "valence"}, rows);
  rows.clear();
  for (std::size_t i = 1; i < r.metrics.size(); ++i) {
    const MetricsRow& m = r.metrics[i];
    rows.push_back({m.scope, std::to_string(m.n_songs), html_number(at(m.arousal, "r2"), 4),
                    html_number(at(m.valence, "r2"), 4), html_number(at(m.arousal, "rmse"), 4),
                    html_number(at(m.valence, "rmse"), 4),
                    html_number(at(m.arousal, "song_kendall_mean"), 4),
                    html_number(at(m.valence, "song_kendall_mean"), 4)});
  }
  return out + explain::html_table("fold-metrics",
                                   {"fold", "songs", "R² arousal", "R² valence", "RMSE arousal",
                                    "RMSE valence", "τ arousal", "τ valence"},
                                   rows);
}

std::string song_label(const RunReport& r, std::size_t c) {
  const SongReport& s = r.all_songs[r.chosen[c]];
  char text[160];
  std::snprintf(text, sizeof text, "Song %s (fold %d): RMSE arousal %.3f, valence %.3f",
                s.song_id.c_str(), s.fold, s.rmse_arousal, s.rmse_valence);
  return text;
}

}  // namespace

std::string run_report_html(const RunReport& r) {
  std::string body = "<div class=\"summary\">\n";
  auto row = [&](const std::string& label, const std::string& id, const std::string& value) {
    body += "<div><b>" + escape_xml(label) + "</b><span id=\"" + id + "\">" + escape_xml(value) +
            "</span></div>\n";
  };
  row("Run", "run", r.run_dir);
  row("Model", "model", r.model);
  row("Dataset", "dataset", r.dataset);
  row("Features", "features", r.spec);
  row("Songs with predictions", "n-songs", std::to_string(r.all_songs.size()));
  body += "</div>\n";
  if (!r.metrics.empty())
    body += explain::html_section("section-metrics", "Metrics", metrics_html(r));

  std::vector<double> err_a, err_v;
  for (const SongReport& s : r.all_songs) {
    err_a.push_back(s.rmse_arousal);
    err_v.push_back(s.rmse_valence);
  }
  body += explain::html_section(
      "section-errors", "Per-song error histograms",
      "<p>Songs per bin of per-song RMSE, bins of 0.05 (Chaki et al. 2020, Fig. 2).</p>\n"
      "<div class=\"row\">\n" +
          explain::render_svg(explain::error_histogram("error-histogram-arousal", err_a, 0.05,
                                                       "Arousal", explain::palette::arousal)) +
          explain::render_svg(explain::error_histogram("error-histogram-valence", err_v, 0.05,
                                                       "Valence", explain::palette::valence)) +
          "</div>\n");

  std::string songs;
  for (std::size_t c = 0; c < r.chosen.size(); ++c) {
    songs += "<h3>" + escape_xml(song_label(r, c)) + "</h3>\n" +
             explain::render_svg(explain::song_curves(r.all_songs[r.chosen[c]]));
  }
  body += explain::html_section("section-songs", "Predicted vs annotated", songs);

  std::string maps;
  for (std::size_t c = 0; c < r.chosen.size(); ++c) {
    const SongReport& s = r.all_songs[r.chosen[c]];
    if (!s.attention.empty()) {
      maps += explain::render_svg(
          explain::attention_map("attention-" + s.song_id, s.attention, s.time_s, r.window_s,
                                 "Song " + s.song_id + ": prediction time vs attended frame"));
    } else if (!s.attention_note.empty()) {
      maps += explain::html_note(s.attention_note);
    }
  }
  for (const std::string& note : r.notes) maps += explain::html_note(note);
  if (!r.has_attention && r.notes.empty()) {
    maps += explain::html_note("The model " + r.model + " has no attention: no maps to show.");
  }
  body += explain::html_section("section-attention", "Attention maps", maps);
  return explain::html_page("dynemo report: " + r.model + " on " + r.dataset, body);
}

}  // namespace dynemo
