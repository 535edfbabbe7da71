// Reports of `dynemo evaluate`: a Markdown table for people and a JSON object for programs.
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dynemo/evaluation.h"
#include "dynemo/metrics.h"
#include "dynemo/version.h"

namespace dynemo {
namespace {

using Json = nlohmann::ordered_json;

// At most this many song ids are listed in the Markdown summary (all of them go in the JSON).
constexpr std::size_t kMaxListed = 20;

// 4 decimals, "n/a" for an undefined value, never "-0.0000".
std::string fixed4(double value) {
  if (!std::isfinite(value)) return "n/a";
  char text[64];
  // Fixed decimals up to 1e5; beyond, 4 significant digits (a 1e308 error is not 309 digits).
  std::snprintf(text, sizeof text, std::fabs(value) < 1e5 ? "%.4f" : "%.4g", value);
  std::string out = text;
  if (out == "-0.0000") out = "0.0000";
  return out;
}

std::string mean_std(double mean, double std) { return fixed4(mean) + " ± " + fixed4(std); }

// "mean ± std (n 12, 3 skipped)": n = songs the statistic is defined for.
std::string mean_std_counted(double mean, double std, std::size_t n_songs, std::size_t skipped) {
  return mean_std(mean, std) + " (n " + std::to_string(n_songs - skipped) + ", " +
         std::to_string(skipped) + " skipped)";
}

std::string id_list(const std::vector<std::string>& ids) {
  std::string out;
  for (std::size_t i = 0; i < ids.size() && i < kMaxListed; ++i) out += (i ? ", " : "") + ids[i];
  if (ids.size() > kMaxListed)
    out += ", ... (" + std::to_string(ids.size() - kMaxListed) + " more)";
  return out;
}

Json number_or_null(double value) { return std::isfinite(value) ? Json(value) : Json(nullptr); }

Json dimension_json(const DimensionMetrics& m) {
  Json pooled = Json::object();
  pooled["n_frames"] = m.pooled.n_frames;
  pooled["r2"] = number_or_null(m.pooled.r2);
  pooled["rmse"] = number_or_null(m.pooled.rmse);
  pooled["mae"] = number_or_null(m.pooled.mae);
  pooled["pearson"] = number_or_null(m.pooled.pearson);
  pooled["ccc"] = number_or_null(m.pooled.ccc);
  Json per_song = Json::object();
  per_song["n_songs"] = m.per_song.n_songs;
  per_song["pearson_mean"] = number_or_null(m.per_song.pearson_mean);
  per_song["pearson_std"] = number_or_null(m.per_song.pearson_std);
  per_song["pearson_skipped"] = m.per_song.pearson_skipped;
  per_song["kendall_mean"] = number_or_null(m.per_song.kendall_mean);
  per_song["kendall_std"] = number_or_null(m.per_song.kendall_std);
  per_song["kendall_skipped"] = m.per_song.kendall_skipped;
  per_song["rmse_mean"] = number_or_null(m.per_song.rmse_mean);
  per_song["rmse_std"] = number_or_null(m.per_song.rmse_std);
  Json out = Json::object();
  out["pooled"] = pooled;
  out["per_song"] = per_song;
  if (m.has_calibration) {
    out["calibration"] = {{"within_1sd", number_or_null(m.calibration.within_1sd)},
                          {"within_2sd", number_or_null(m.calibration.within_2sd)},
                          {"nll", number_or_null(m.calibration.nll)},
                          {"mean_sd", number_or_null(m.calibration.mean_sd)},
                          {"nominal", {{"within_1sd", 0.6827}, {"within_2sd", 0.9545}}}};
  }
  return out;
}

}  // namespace

std::string evaluation_markdown(const EvaluationReport& report) {
  const EvaluationCounts& c = report.counts;
  std::string out;
  if (report.has_metrics) {
    const DimensionMetrics& a = report.arousal;
    const DimensionMetrics& v = report.valence;
    const auto row = [&out](const std::string& name, const std::string& arousal,
                            const std::string& valence) {
      out += "| " + name + " | " + arousal + " | " + valence + " |\n";
    };
    row("metric", "arousal", "valence");
    out += "|---|---:|---:|\n";
    row("R2 (pooled)", fixed4(a.pooled.r2), fixed4(v.pooled.r2));
    row("RMSE (pooled)", fixed4(a.pooled.rmse), fixed4(v.pooled.rmse));
    row("MAE (pooled)", fixed4(a.pooled.mae), fixed4(v.pooled.mae));
    row("Pearson r (pooled)", fixed4(a.pooled.pearson), fixed4(v.pooled.pearson));
    row("CCC (pooled)", fixed4(a.pooled.ccc), fixed4(v.pooled.ccc));
    row("Pearson r per song, mean ± std",
        mean_std_counted(a.per_song.pearson_mean, a.per_song.pearson_std, a.per_song.n_songs,
                         a.per_song.pearson_skipped),
        mean_std_counted(v.per_song.pearson_mean, v.per_song.pearson_std, v.per_song.n_songs,
                         v.per_song.pearson_skipped));
    row("Kendall tau-b per song, mean ± std",
        mean_std_counted(a.per_song.kendall_mean, a.per_song.kendall_std, a.per_song.n_songs,
                         a.per_song.kendall_skipped),
        mean_std_counted(v.per_song.kendall_mean, v.per_song.kendall_std, v.per_song.n_songs,
                         v.per_song.kendall_skipped));
    row("RMSE per song, mean ± std", mean_std(a.per_song.rmse_mean, a.per_song.rmse_std),
        mean_std(v.per_song.rmse_mean, v.per_song.rmse_std));
    if (a.has_calibration) {
      row("within ±1 sd (nominal 0.6827)", fixed4(a.calibration.within_1sd),
          fixed4(v.calibration.within_1sd));
      row("within ±2 sd (nominal 0.9545)", fixed4(a.calibration.within_2sd),
          fixed4(v.calibration.within_2sd));
      row("Gaussian NLL per frame", fixed4(a.calibration.nll), fixed4(v.calibration.nll));
      row("mean sd", fixed4(a.calibration.mean_sd), fixed4(v.calibration.mean_sd));
    }
    out += "\n";
  }
  out += std::to_string(c.n_songs_scored) + " of " + std::to_string(c.n_songs) + " songs scored, " +
         std::to_string(c.n_frames) + " frames paired; " + std::to_string(c.n_ratings_unpredicted) +
         " ratings without a prediction row (" + std::to_string(c.n_ratings_outside_audio) +
         " more outside the audio), " + std::to_string(c.n_predictions_unmatched) +
         " prediction rows without a rating.\n";
  if (!c.songs_missing.empty()) {
    out += std::to_string(c.songs_missing.size()) +
           " songs without a prediction file: " + id_list(c.songs_missing) + "\n";
  }
  if (!c.songs_without_pairs.empty()) {
    out += std::to_string(c.songs_without_pairs.size()) +
           " songs whose predictions are on no rating time: " + id_list(c.songs_without_pairs) +
           "\n";
  }
  return out;
}

std::string evaluation_json(const EvaluationReport& report,
                            const EvaluationProvenance& provenance) {
  const EvaluationCounts& c = report.counts;
  Json doc = Json::object();
  doc["dynemo_version"] = kVersion;
  doc["git_sha"] = kGitSha;
  doc["dataset"] = provenance.dataset;
  doc["dataset_root"] = provenance.dataset_root;
  doc["predictions"] = provenance.predictions;
  doc["prediction_files_of_no_song"] = provenance.foreign_files;
  if (provenance.split.empty()) {
    doc["split"] = nullptr;
  } else {
    Json split = Json::object();
    split["file"] = provenance.split;
    split["kind"] = provenance.split_kind;
    split["songs_not_in_dataset"] = provenance.split_unknown;
    doc["split"] = split;
  }
  Json counts = Json::object();
  counts["n_songs"] = c.n_songs;
  counts["n_songs_scored"] = c.n_songs_scored;
  counts["n_songs_missing"] = c.songs_missing.size();
  counts["songs_missing"] = c.songs_missing;
  counts["n_songs_without_pairs"] = c.songs_without_pairs.size();
  counts["songs_without_pairs"] = c.songs_without_pairs;
  counts["n_ratings"] = c.n_ratings;
  counts["n_frames"] = c.n_frames;
  counts["n_ratings_unpredicted"] = c.n_ratings_unpredicted;
  counts["n_ratings_outside_audio"] = c.n_ratings_outside_audio;
  counts["n_predictions_unmatched"] = c.n_predictions_unmatched;
  doc["counts"] = counts;
  if (report.has_metrics) {
    Json metrics = Json::object();
    metrics["arousal"] = dimension_json(report.arousal);
    metrics["valence"] = dimension_json(report.valence);
    doc["metrics"] = metrics;
  } else {
    doc["metrics"] = nullptr;
  }
  return doc.dump(2) + "\n";
}

}  // namespace dynemo
