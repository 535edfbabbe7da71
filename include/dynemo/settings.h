// The ranges of the numeric settings of feature extraction and training: one table that the
// library's checks (validate(FeatureConfig), validate(TrainConfig)) and the command line's
// checks and --help both read, so that what is refused and what is shown never differ.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace dynemo {

struct SettingRange {
  SettingRange(std::string key_, double min_, double max_, bool min_exclusive_ = false,
               bool max_exclusive_ = false, std::string unit_ = "")
      : key(std::move(key_)),
        min(min_),
        max(max_),
        min_exclusive(min_exclusive_),
        max_exclusive(max_exclusive_),
        unit(std::move(unit_)) {}

  std::string key;  // the setting's JSON key: "hop_s", "learning_rate"
  double min = 0.0;
  double max = 0.0;
  bool min_exclusive = false;
  bool max_exclusive = false;
  std::string unit;  // "s", "Hz", or ""

  bool contains(double value) const;  // false for NaN
  // "0.01..60 s" when both ends are included, else interval notation: "(0, 10)", "[0, 1)".
  std::string text() const;
};

// FeatureConfig's fields. validate(FeatureConfig) also requires n_fft to be a power of two,
// hop_length >= n_fft / 16 and <= n_fft, and window_s to hold at least one frame hop.
const std::vector<SettingRange>& feature_config_ranges();

// TrainConfig's numeric fields; "threads" ends at this machine's cores.
const std::vector<SettingRange>& train_config_ranges();

// The range of `key` in `ranges`; throws std::out_of_range for an unknown key (a programming
// error).
const SettingRange& setting_range(const std::vector<SettingRange>& ranges, const std::string& key);

// A number as a message shows it: shortest round-trip text, "1e+308" rather than 309 digits.
std::string number_text(double value);

}  // namespace dynemo
