// Group attributions (Predictor::attribute): exact Shapley values of the musical feature groups.
//
// With n groups (5 for the default model) every coalition S of present groups is predicted
// once (2^n forward passes over the track, absent groups' columns set to the training mean), and
//   phi_g = sum over S not holding g of |S|! (n - |S| - 1)! / n! * (v(S + g) - v(S)).
// Shapley's efficiency property makes sum_g phi_g = v(all) - v(none) exactly; occlusion of one
// group at a time or gradients would not add up. Memory: one copy of the feature table at a time.
#include <cstdint>
#include <vector>

#include "dynemo/error.h"
#include "dynemo/predict.h"

namespace dynemo {
namespace {

double factorial(std::size_t k) {
  double f = 1.0;
  for (std::size_t i = 2; i <= k; ++i) f *= static_cast<double>(i);
  return f;
}

}  // namespace

GroupAttribution Predictor::attribute(const FeatureMatrix& features) {
  const std::vector<float>& means = feature_means();
  if (features.n_cols() != means.size()) {
    throw ConfigError("attribute: " + std::to_string(features.n_cols()) +
                      " feature columns, the model takes " + std::to_string(means.size()));
  }
  // The groups present, and each column's position among them.
  const std::vector<FeatureGroup>& all = feature_groups();
  std::vector<int> slot_of_group(all.size(), -1);
  std::vector<std::size_t> slot_of_column(features.n_cols());
  GroupAttribution out;
  for (std::size_t c = 0; c < features.n_cols(); ++c) {
    const std::size_t g = feature_group_of(features.columns[c]);
    if (slot_of_group[g] < 0) slot_of_group[g] = 0;
  }
  for (std::size_t g = 0; g < all.size(); ++g) {
    if (slot_of_group[g] < 0) continue;
    slot_of_group[g] = static_cast<int>(out.groups.size());
    out.groups.push_back(all[g].id);
  }
  for (std::size_t c = 0; c < features.n_cols(); ++c) {
    slot_of_column[c] =
        static_cast<std::size_t>(slot_of_group[feature_group_of(features.columns[c])]);
  }
  const std::size_t n = out.groups.size();
  const std::size_t t = features.n_rows();
  const std::size_t n_coalitions = std::size_t{1} << n;

  // v[S]: both dimensions per window for coalition S (bit k = group k present).
  std::vector<std::vector<float>> va(n_coalitions), vv(n_coalitions);
  FeatureMatrix f = features;
  for (std::size_t s = 0; s < n_coalitions; ++s) {
    for (std::size_t c = 0; c < f.n_cols(); ++c) {
      const bool present = (s >> slot_of_column[c]) & 1u;
      for (std::size_t r = 0; r < t; ++r) {
        f.values[r * f.n_cols() + c] = present ? features.values[r * f.n_cols() + c] : means[c];
      }
    }
    const TrackPrediction p = predict_features(f);
    va[s] = p.arousal;
    vv[s] = p.valence;
  }

  std::vector<double> weight(n);  // by coalition size |S| (without the group)
  for (std::size_t k = 0; k < n; ++k) {
    weight[k] = factorial(k) * factorial(n - k - 1) / factorial(n);
  }
  out.baseline_arousal = va[0];
  out.baseline_valence = vv[0];
  out.arousal.assign(t * n, 0.0f);
  out.valence.assign(t * n, 0.0f);
  for (std::size_t g = 0; g < n; ++g) {
    const std::size_t bit = std::size_t{1} << g;
    for (std::size_t r = 0; r < t; ++r) {
      double a = 0.0, v = 0.0;
      for (std::size_t s = 0; s < n_coalitions; ++s) {
        if (s & bit) continue;
        const double w = weight[static_cast<std::size_t>(__builtin_popcountll(s))];
        a += w * (static_cast<double>(va[s | bit][r]) - va[s][r]);
        v += w * (static_cast<double>(vv[s | bit][r]) - vv[s][r]);
      }
      out.arousal[r * n + g] = static_cast<float>(a);
      out.valence[r * n + g] = static_cast<float>(v);
    }
  }
  return out;
}

}  // namespace dynemo
