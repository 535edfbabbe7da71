// Public entry points of the features module: the registry, spec parsing and extraction.
#include <algorithm>
#include <cmath>
#include <sstream>
#include <string>
#include <utility>

#include "dynemo/audio.h"
#include "dynemo/error.h"
#include "dynemo/features.h"
#include "dynemo/settings.h"
#include "features/analysis.h"
#include "features/extract-with.h"
#include "features/feature-set.h"
#include "features/summary.h"

namespace dynemo {

using features::FeatureSetDef;

namespace {

const FeatureSetDef& find_set(const std::string& name) {
  for (const FeatureSetDef& d : features::feature_set_defs()) {
    if (d.info.name == name) return d;
  }
  std::string known;
  for (const FeatureSetDef& d : features::feature_set_defs()) {
    known += (known.empty() ? "" : ", ") + d.info.name;
  }
  throw ConfigError("features: unknown feature set '" + name + "' (known: " + known + ")");
}

std::string format_seconds(double s) {
  std::ostringstream out;
  out.precision(3);
  out << std::fixed << s;
  return out.str();
}

// Longest row span of the sets (window_s for sets averaged per window).
double longest_span_s(const std::vector<std::string>& names, const FeatureConfig& config) {
  double span = config.window_s;
  for (const std::string& name : names) span = std::max(span, find_set(name).row_span_s);
  return span;
}

// Row times of the sets `names` (parsed, so a set with its own rows is alone): its own times, or
// the window starts whose windows are whole for every set (the rows common to all).
std::vector<double> row_times(const std::vector<std::string>& names, std::size_t n_samples,
                              const FeatureConfig& config) {
  if (names.size() == 1 && find_set(names[0]).own_rows_s) {
    return find_set(names[0]).own_rows_s(n_samples, config);
  }
  FeatureConfig grid = config;
  grid.window_s = longest_span_s(names, config);
  std::vector<double> starts = features::window_starts(n_samples, grid);
  constexpr double kEps = 1e-9;
  for (const std::string& name : names) {
    const FeatureSetDef& d = find_set(name);
    if (!d.usable_s) continue;
    const double usable = d.usable_s(n_samples, config);
    const double span = d.row_span_s > 0.0 ? d.row_span_s : config.window_s;
    while (!starts.empty() && starts.back() + span > usable + kEps) starts.pop_back();
  }
  return starts;
}

}  // namespace

const std::vector<FeatureSetInfo>& feature_sets() {
  static const std::vector<FeatureSetInfo> infos = [] {
    std::vector<FeatureSetInfo> v;
    for (const FeatureSetDef& d : features::feature_set_defs()) v.push_back(d.info);
    return v;
  }();
  return infos;
}

std::vector<std::string> parse_feature_spec(const std::string& spec) {
  std::vector<std::string> names;
  std::string current;
  auto flush = [&] {
    if (current.empty()) {
      throw ConfigError("features: empty feature set name in spec '" + spec +
                        "' (write sets joined by '+' or ',', e.g. spectral+cqt)");
    }
    find_set(current);
    // Twice the same set would write every column twice under one name.
    if (std::find(names.begin(), names.end(), current) != names.end()) {
      throw ConfigError("features: spec '" + spec + "' names the set '" + current +
                        "' twice; name each set once");
    }
    names.push_back(current);
    current.clear();
  };
  for (char ch : spec) {
    if (ch == '+' || ch == ',')
      flush();
    else if (ch != ' ')
      current += ch;
  }
  flush();
  // A set on its own time axis cannot share rows with another.
  if (names.size() > 1) {
    for (const std::string& name : names) {
      if (find_set(name).own_rows_s) {
        throw ConfigError("features: set '" + name + "' in spec '" + spec +
                          "' has its own rows (not the summary-window grid) and cannot be "
                          "combined with other sets; extract it on its own");
      }
    }
  }
  return names;
}

std::vector<std::string> feature_columns(const std::string& spec) {
  std::vector<std::string> columns;
  for (const std::string& name : parse_feature_spec(spec)) {
    for (const std::string& c : find_set(name).columns) columns.push_back(name + "." + c);
  }
  return columns;
}

std::vector<std::string> opensmile_columns(const std::string& spec) {
  std::vector<std::string> columns;
  for (const std::string& name : parse_feature_spec(spec)) {
    const FeatureSetDef& d = find_set(name);
    if (!d.opensmile_names) {
      throw ConfigError("features: set '" + name +
                        "' has no openSMILE column names (only compare-lld, mediaeval2015 and "
                        "compare-lld-stats have)");
    }
    for (const std::string& c : d.columns) {
      if (std::find(columns.begin(), columns.end(), c) != columns.end()) {
        throw ConfigError("features: column '" + c + "' would appear twice in spec '" + spec +
                          "' without the set prefix");
      }
      columns.push_back(c);
    }
  }
  return columns;
}

void validate(const FeatureConfig& c) {
  auto fail = [](const std::string& field, double value, const std::string& expected) {
    throw ConfigError("features: " + field + "=" + number_text(value) + " is invalid: expected " +
                      expected);
  };
  const std::vector<SettingRange>& ranges = feature_config_ranges();
  const std::pair<const char*, double> fields[] = {{"sample_rate_hz", c.sample_rate_hz},
                                                   {"n_fft", c.n_fft},
                                                   {"hop_length", c.hop_length},
                                                   {"window_s", c.window_s},
                                                   {"hop_s", c.hop_s},
                                                   {"offset_s", c.offset_s}};
  for (const auto& [key, value] : fields) {
    const SettingRange& r = setting_range(ranges, key);
    if (!r.contains(value)) fail(key, value, r.text());
  }
  // Bounds that keep the work and memory of one file sane: frames at least n_fft / 16 apart
  // (librosa's default is n_fft / 4), summary windows of at least one frame hop.
  if ((c.n_fft & (c.n_fft - 1)) != 0) fail("n_fft", c.n_fft, "a power of two in 16..65536");
  if (c.hop_length < std::max(1, c.n_fft / 16) || c.hop_length > c.n_fft) {
    fail("hop_length", c.hop_length,
         std::to_string(std::max(1, c.n_fft / 16)) + "..n_fft (" + std::to_string(c.n_fft) +
             "): at least n_fft / 16");
  }
  if (!(c.window_s * c.sample_rate_hz >= c.hop_length)) {
    fail("window_s", c.window_s,
         "at least one frame hop (hop_length / sample_rate_hz = " +
             number_text(c.hop_length / c.sample_rate_hz) + " s)");
  }
}

std::size_t count_windows(std::size_t n_samples, const FeatureConfig& config) {
  return features::window_starts(n_samples, config).size();
}

std::size_t count_rows(const std::string& spec, std::size_t n_samples,
                       const FeatureConfig& config) {
  return row_times(parse_feature_spec(spec), n_samples, config).size();
}

FeatureMatrix extract_features(const std::string& spec, const float* samples, std::size_t n_samples,
                               double sample_rate_hz, const FeatureConfig& config,
                               const std::string& source) {
  return features::extract_features_with(spec, samples, n_samples, sample_rate_hz, config, source,
                                         nullptr);
}

namespace {

thread_local features::SharedRows* g_shared_rows = nullptr;

// Makes `rows` the shared rows of this thread's extraction for its lifetime.
class ScopedSharedRows {
 public:
  explicit ScopedSharedRows(features::SharedRows* rows) : previous_(g_shared_rows) {
    g_shared_rows = rows;
  }
  ~ScopedSharedRows() { g_shared_rows = previous_; }
  ScopedSharedRows(const ScopedSharedRows&) = delete;
  ScopedSharedRows& operator=(const ScopedSharedRows&) = delete;

 private:
  features::SharedRows* previous_;
};

}  // namespace

features::SharedRows* features::current_shared_rows() { return g_shared_rows; }

FeatureMatrix features::extract_features_with(const std::string& spec, const float* samples,
                                              std::size_t n_samples, double sample_rate_hz,
                                              const FeatureConfig& config,
                                              const std::string& source, PieceState* piece) {
  validate(config);
  const std::vector<std::string> names = parse_feature_spec(spec);
  if (std::fabs(sample_rate_hz - config.sample_rate_hz) > 1e-6) {
    throw ConfigError(source + ": audio at " + std::to_string(sample_rate_hz) +
                      " Hz, but the feature configuration expects " +
                      std::to_string(config.sample_rate_hz) + " Hz (resample it first)");
  }
  check_samples(samples, n_samples, source);
  const std::vector<double> starts = features::window_starts(n_samples, config);
  if (starts.empty()) {
    throw AudioError(AudioErrorKind::too_short, source,
                     "too short: " + format_seconds(n_samples / sample_rate_hz) +
                         " s of audio, but one window needs " +
                         format_seconds(config.offset_s + config.window_s) + " s (offset_s " +
                         format_seconds(config.offset_s) + " + window_s " +
                         format_seconds(config.window_s) + ")");
  }

  const std::vector<double> rows = row_times(names, n_samples, config);
  if (rows.empty()) {
    throw AudioError(AudioErrorKind::too_short, source,
                     "too short: " + format_seconds(n_samples / sample_rate_hz) +
                         " s of audio give no whole window of " +
                         format_seconds(longest_span_s(names, config)) + " s for '" + spec +
                         "' (offset_s " + format_seconds(config.offset_s) + ")");
  }

  features::Analysis analysis(samples, n_samples, config);
  if (piece && piece->whole) analysis.set_whole_input(*piece->whole);
  for (const std::string& name : names) {
    const FeatureSetDef& d = find_set(name);
    analysis.plan_cqt(d.needs_tuned_cqt, d.needs_untuned_cqt);
  }
  features::SharedRows shared;
  const ScopedSharedRows shared_scope(&shared);
  FeatureMatrix out;
  out.columns = feature_columns(spec);
  out.time_s = rows;
  out.values.assign(rows.size() * out.columns.size(), 0.0f);
  std::size_t column = 0;
  for (const std::string& name : names) {
    const FeatureSetDef& d = find_set(name);
    if (d.compute_rows) {
      const features::FrameMatrix m = d.compute_rows(samples, n_samples, config, rows, piece);
      if (m.n_frames != rows.size() || m.n_values != d.columns.size()) {
        throw Error("features: internal error: set '" + name + "' gave " +
                    std::to_string(m.n_frames) + " x " + std::to_string(m.n_values) +
                    " values for " + std::to_string(rows.size()) + " rows x " +
                    std::to_string(d.columns.size()) + " columns");
      }
      for (std::size_t k = 0; k < rows.size(); ++k) {
        std::copy(
            m.row(k), m.row(k) + m.n_values,
            out.values.begin() + static_cast<std::ptrdiff_t>(k * out.columns.size() + column));
      }
      column += m.n_values;
      continue;
    }
    for (const features::FrameGroup& g : d.compute(analysis)) {
      features::summarise_mean(g.frames, config, rows, out.values.data(), out.columns.size(),
                               column);
      column += g.names.size();
    }
  }
  if (column != out.columns.size()) {
    throw Error("features: internal error: " + std::to_string(column) + " values for " +
                std::to_string(out.columns.size()) + " columns of '" + spec + "'");
  }
  return out;
}

}  // namespace dynemo
