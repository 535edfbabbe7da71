// CPU time of the openSMILE-based sets on a 45 s clip, single thread (Google Benchmark):
// mediaeval2015 (the MediaEval 2015 baseline: IS13 LLDs + mean/stddev over 1 s windows) and
// compare-lld (the 130 ComParE 2016 LLD columns at 100 Hz). openSMILE needs about 1.45 CPU s for
// mediaeval2015 on these machines; the target is <= 0.48 s. See bench/README.md.
// Run: build/bench/bench-compare [--benchmark_repetitions=20]
#include <benchmark/benchmark.h>

#include <algorithm>
#include <string>
#include <vector>

#include "dynemo/audio.h"
#include "dynemo/features.h"
#include "dynemo/runtime.h"

namespace {

double min_of(const std::vector<double>& v) { return *std::min_element(v.begin(), v.end()); }

const dynemo::Audio& clip() {
  static const dynemo::Audio audio =
      dynemo::load_audio(std::string(DYNEMO_SOURCE_DIR) + "/examples/wesnoth_battle_epic_45s.flac");
  return audio;
}

void extract(benchmark::State& state, const std::string& spec) {
  const dynemo::Audio& audio = clip();
  for (auto _ : state) {
    dynemo::FeatureMatrix m = dynemo::extract_features(spec, audio.samples.data(),
                                                       audio.samples.size(), audio.sample_rate_hz);
    benchmark::DoNotOptimize(m.values.data());
  }
  state.counters["x_realtime"] = benchmark::Counter(
      audio.duration_s() * static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}

BENCHMARK_CAPTURE(extract, mediaeval2015, std::string("mediaeval2015"))
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->ComputeStatistics("min", min_of);
BENCHMARK_CAPTURE(extract, compare_lld, std::string("compare-lld"))
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->ComputeStatistics("min", min_of);

}  // namespace

// As the CLI: freed buffers are reused between calls (dynemo::reuse_large_buffers).
int main(int argc, char** argv) {
  dynemo::reuse_large_buffers();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
