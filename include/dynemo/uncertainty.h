// How sure a prediction is: a predictive standard deviation per window and dimension, and how
// well such standard deviations are calibrated against annotations. No LibTorch.
//
// The model of the spread (per dimension): sd = sqrt(base^2 + (scale * member_sd)^2), where
// member_sd is the population std of the ensemble members' outputs for that window (0 for one
// member). base carries what no member sees (the listeners' disagreement and the error every
// member shares), scale how much the members' disagreement adds. Both are fitted by maximum
// Gaussian likelihood on held-out (cross-validation) predictions, so +-1 sd is meant to hold
// about 68 % of annotations and +-2 sd about 95 % (docs/results.md#uncertainty).
#pragma once

#include <cstddef>
#include <string>

namespace dynemo {

struct SpreadModel {
  double base = 0.1;   // sd when the members agree
  double scale = 0.0;  // weight of the members' disagreement
  double sd(double member_sd) const;
};

// The spread of a model file's predictions (sidecar "uncertainty").
struct Uncertainty {
  std::string method = "constant";  // "ensemble+cv": fitted as above on the CV predictions;
                                    // "cv-rmse": a model without one, base = CV RMSE (the maximum
                                    // likelihood constant sd); "constant": no CV metrics, base 0.1
  SpreadModel arousal;
  SpreadModel valence;
};

// Maximum-likelihood fit of base and scale on n held-out frames: residual[k] = truth - prediction
// and member_sd[k]. Throws MetricsError for n = 0 or non-finite values.
SpreadModel fit_spread(const double* residual, const double* member_sd, std::size_t n);

// How well sd describes the errors of n frames.
struct Calibration {
  std::size_t n_frames = 0;
  double within_1sd = 0.0;  // share of |truth - prediction| <= sd
  double within_2sd = 0.0;  // share within 2 sd
  double nll = 0.0;         // mean Gaussian negative log-likelihood per frame (nats)
  double mean_sd = 0.0;
};

// Throws MetricsError for n = 0, non-finite values or sd <= 0.
Calibration calibration(const double* truth, const double* prediction, const double* sd,
                        std::size_t n);

}  // namespace dynemo
