// The ranges of numeric settings (see dynemo/settings.h).
#include "dynemo/settings.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <stdexcept>
#include <thread>

namespace dynemo {

bool SettingRange::contains(double value) const {
  if (std::isnan(value)) return false;
  const bool above = min_exclusive ? value > min : value >= min;
  const bool below = max_exclusive ? value < max : value <= max;
  return above && below;
}

std::string SettingRange::text() const {
  std::string out;
  if (!min_exclusive && !max_exclusive) {
    out = number_text(min) + ".." + number_text(max);
  } else {
    out = std::string(min_exclusive ? "(" : "[") + number_text(min) + ", " + number_text(max) +
          (max_exclusive ? ")" : "]");
  }
  return unit.empty() ? out : out + " " + unit;
}

const std::vector<SettingRange>& feature_config_ranges() {
  static const std::vector<SettingRange> ranges = {
      {"sample_rate_hz", 8000.0, 384000.0, false, false, "Hz"},
      {"n_fft", 16.0, 65536.0},
      {"hop_length", 1.0, 65536.0},
      {"window_s", 0.01, 60.0, false, false, "s"},
      {"hop_s", 0.01, 60.0, false, false, "s"},
      {"offset_s", 0.0, 86400.0, false, false, "s"},
  };
  return ranges;
}

const std::vector<SettingRange>& train_config_ranges() {
  // More threads than cores only slows LibTorch down; thousands of them hang the machine.
  static const double cores = std::max(1u, std::thread::hardware_concurrency());
  static const std::vector<SettingRange> ranges = {
      {"learning_rate", 0.0, 10.0, true, true},
      {"batch_size", 1.0, 100000.0},
      {"max_epochs", 1.0, 100000.0},
      {"patience", 1.0, 100000.0},
      {"min_delta", 0.0, 1.0},
      {"validation_fraction", 0.0, 0.5, true, true},
      {"dropout", 0.0, 1.0, false, true},
      {"weight_decay", 0.0, 1.0},
      {"join_fraction", 0.0, 1.0},
      {"pretrain_epochs", 0.0, 100000.0},
      {"smoothing_frames", 0.0, 1000.0},
      {"seeds", 1.0, 1000.0},
      {"seed", 0.0, static_cast<double>(std::numeric_limits<unsigned>::max())},
      {"threads", 1.0, cores},
      {"folds", 2.0, 1000.0},
  };
  return ranges;
}

const SettingRange& setting_range(const std::vector<SettingRange>& ranges, const std::string& key) {
  for (const SettingRange& r : ranges) {
    if (r.key == key) return r;
  }
  throw std::out_of_range("no setting range for '" + key + "'");
}

std::string number_text(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.15g", value);
  // The shortest of %.15g and %.17g that reads back as the value.
  if (std::strtod(buffer, nullptr) != value) std::snprintf(buffer, sizeof buffer, "%.17g", value);
  return buffer;
}

}  // namespace dynemo
