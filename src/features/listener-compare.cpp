// The listener-compare set (listener-compare.h): the ComParE functionals of the listener LLDs.
#include "features/listener-compare.h"

#include "features/compare/functional-set.h"
#include "features/compare/names.h"
#include "features/extract-with.h"

namespace dynemo::features {
namespace {

using compare::kLldCount;

bool is_dropped(std::size_t lld_column) { return lld_column % kLldCount == kListenerDroppedLld; }

// The indices of compare::functional_columns() kept: all but those of the dropped LLD and its
// delta.
const std::vector<std::size_t>& kept() {
  static const std::vector<std::size_t> indices = [] {
    std::vector<std::size_t> out;
    const std::vector<std::size_t>& sources = compare::functional_sources();
    for (std::size_t j = 0; j < sources.size(); ++j) {
      if (!is_dropped(sources[j])) out.push_back(j);
    }
    return out;
  }();
  return indices;
}

// The 130 columns compare_functionals reads (65 LLDs, 65 deltas) from the listener's 64 + 64,
// the dropped LLD and its delta as zeros.
FrameMatrix as_compare_columns(const ListenerLldFrames& lld) {
  FrameMatrix out(lld.llds.n_frames, 2 * kLldCount);
  for (std::size_t t = 0; t < out.n_frames; ++t) {
    float* o = out.row(t);
    for (std::size_t c = 0, k = 0; c < kLldCount; ++c) {
      if (c == kListenerDroppedLld) continue;
      o[c] = lld.llds.at(t, k);
      o[kLldCount + c] = lld.deltas.at(t, k);
      ++k;
    }
  }
  return out;
}

}  // namespace

const std::vector<std::string>& listener_compare_columns() {
  static const std::vector<std::string> columns = [] {
    const std::vector<std::string>& compare_names = compare::functional_columns();
    const std::vector<std::size_t>& sources = compare::functional_sources();
    const std::vector<std::string>& llds = listener_lld_names();
    std::vector<std::string> out;
    for (const std::size_t j : kept()) {
      const std::size_t c = sources[j];
      const std::size_t lld = c % kLldCount;
      const std::string& name = llds[lld < kListenerDroppedLld ? lld : lld - 1];
      const std::string& compare_source = compare::lld_columns()[c];
      out.push_back((c < kLldCount ? name : compare::delta_name(name)) +
                    compare_names[j].substr(compare_source.size()));
    }
    return out;
  }();
  return columns;
}

FrameMatrix listener_compare_rows(const ListenerLldFrames& lld, double lld_t0_s,
                                  const std::vector<double>& starts_s, double window_s) {
  std::vector<double> starts(starts_s);
  for (double& s : starts) s -= lld_t0_s;
  const FrameMatrix all = compare::compare_functionals(as_compare_columns(lld), starts, window_s);
  const std::vector<std::size_t>& columns = kept();
  FrameMatrix out(all.n_frames, columns.size());
  for (std::size_t k = 0; k < all.n_frames; ++k) {
    const float* a = all.row(k);
    float* o = out.row(k);
    for (std::size_t i = 0; i < columns.size(); ++i) o[i] = a[columns[i]];
  }
  return out;
}

FrameMatrix listener_compare_windows(const float* samples, std::size_t n,
                                     const FeatureConfig& config,
                                     const std::vector<double>& starts_s) {
  // Beside the listener set in one extraction the LLDs are computed: no resampling needed.
  const SharedRows* shared = current_shared_rows();
  if (shared && shared->listener_llds) {
    return listener_compare_rows(*shared->listener_llds, 0.0, starts_s, config.window_s);
  }
  std::vector<float> resampled;
  const ListenerInput in = at_listener_rate(samples, n, config.sample_rate_hz, &resampled);
  ListenerLldFrames own;
  return listener_compare_rows(shared_listener_lld_frames(in.y, in.n, &own), 0.0, starts_s,
                               config.window_s);
}

}  // namespace dynemo::features
