// Cross-fitted calibration of a CV run's predictive sds (train/calibrate.h).
#include "train/calibrate.h"

#include <nlohmann/json.hpp>

namespace dynemo::train {
namespace {

using Json = nlohmann::ordered_json;

// Held-out frames of one dimension, with the fold of each.
struct Frames {
  std::vector<double> truth, prediction, residual, member_sd;
  std::vector<std::size_t> fold;
};

Frames frames_of(const SequenceSet& data, const std::map<std::string, std::size_t>& fold_of,
                 const SongOutputs& prediction, const SongOutputs& member_sd, std::size_t dim) {
  Frames f;
  for (const SongSequence& song : data.songs) {
    const auto p = prediction.find(song.song_id);
    const auto s = member_sd.find(song.song_id);
    const auto k = fold_of.find(song.song_id);
    if (p == prediction.end() || s == member_sd.end() || k == fold_of.end()) continue;
    for (std::size_t t = 0; t < song.n_frames(); ++t) {
      f.truth.push_back(song.targets[2 * t + dim]);
      f.prediction.push_back(p->second[2 * t + dim]);
      f.residual.push_back(f.truth.back() - f.prediction.back());
      f.member_sd.push_back(s->second[2 * t + dim]);
      f.fold.push_back(k->second);
    }
  }
  return f;
}

SpreadModel fit_where(const Frames& f, std::size_t n_folds, std::size_t left_out) {
  std::vector<double> r, s;
  for (std::size_t i = 0; i < f.residual.size(); ++i) {
    if (f.fold[i] == left_out && left_out < n_folds) continue;
    r.push_back(f.residual[i]);
    s.push_back(f.member_sd[i]);
  }
  return fit_spread(r.data(), s.data(), r.size());
}

Json spread_json(const SpreadModel& m) { return {{"base", m.base}, {"scale", m.scale}}; }

Json calibration_json(const Calibration& c) {
  return {{"n_frames", c.n_frames},
          {"within_1sd", c.within_1sd},
          {"within_2sd", c.within_2sd},
          {"nll", c.nll},
          {"mean_sd", c.mean_sd}};
}

}  // namespace

CvUncertainty calibrate_cv(const SequenceSet& data,
                           const std::vector<std::vector<std::string>>& folds,
                           const SongOutputs& prediction, const SongOutputs& member_sd) {
  std::map<std::string, std::size_t> fold_of;
  for (std::size_t k = 0; k < folds.size(); ++k) {
    for (const std::string& id : folds[k]) fold_of[id] = k;
  }
  CvUncertainty out;
  out.fit.method = "ensemble+cv";
  std::vector<std::vector<double>> sd(2);
  for (std::size_t dim = 0; dim < 2; ++dim) {
    const Frames f = frames_of(data, fold_of, prediction, member_sd, dim);
    (dim == 0 ? out.fit.arousal : out.fit.valence) = fit_where(f, folds.size(), folds.size());
    std::vector<SpreadModel> per_fold;
    for (std::size_t k = 0; k < folds.size(); ++k)
      per_fold.push_back(fit_where(f, folds.size(), k));
    for (std::size_t i = 0; i < f.residual.size(); ++i) {
      sd[dim].push_back(per_fold[f.fold[i]].sd(f.member_sd[i]));
    }
    (dim == 0 ? out.arousal : out.valence) =
        calibration(f.truth.data(), f.prediction.data(), sd[dim].data(), f.truth.size());
  }
  // The same frame order as frames_of: songs in data order with a prediction.
  std::size_t i = 0;
  for (const SongSequence& song : data.songs) {
    if (!prediction.count(song.song_id) || !member_sd.count(song.song_id) ||
        !fold_of.count(song.song_id)) {
      continue;
    }
    std::vector<float>& v = out.sd[song.song_id];
    for (std::size_t t = 0; t < song.n_frames(); ++t, ++i) {
      v.push_back(static_cast<float>(sd[0][i]));
      v.push_back(static_cast<float>(sd[1][i]));
    }
  }
  return out;
}

std::string uncertainty_json(const CvUncertainty& u, bool calibration) {
  Json j = {{"method", u.fit.method},
            {"arousal", spread_json(u.fit.arousal)},
            {"valence", spread_json(u.fit.valence)}};
  if (calibration) {
    j["calibration"] = {{"cross_fitted", true},
                        {"arousal", calibration_json(u.arousal)},
                        {"valence", calibration_json(u.valence)}};
  }
  return j.dump();
}

}  // namespace dynemo::train
