// CPU time of each feature set on a 45 s clip, single thread (Google Benchmark).
// Run: build/bench/bench-features [--benchmark_repetitions=5]
// The counter "x_realtime" is clip seconds per CPU second. See bench/README.md.
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

void decode(benchmark::State& state) {
  const std::string path =
      std::string(DYNEMO_SOURCE_DIR) + "/examples/wesnoth_battle_epic_45s.flac";
  for (auto _ : state) {
    dynemo::Audio a = dynemo::load_audio(path);
    benchmark::DoNotOptimize(a.samples.data());
  }
}

BENCHMARK(decode)
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->ComputeStatistics("min", min_of);
BENCHMARK_CAPTURE(extract, spectral, std::string("spectral"))
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->ComputeStatistics("min", min_of);
BENCHMARK_CAPTURE(extract, cqt, std::string("cqt"))
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->ComputeStatistics("min", min_of);
BENCHMARK_CAPTURE(extract, chroma, std::string("chroma"))
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->ComputeStatistics("min", min_of);
BENCHMARK_CAPTURE(extract, spectral_cqt, std::string("spectral+cqt"))
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->ComputeStatistics("min", min_of);
BENCHMARK_CAPTURE(extract, listener, std::string("listener"))
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->ComputeStatistics("min", min_of);
BENCHMARK_CAPTURE(extract, listener_compare, std::string("listener-compare"))
    ->Unit(benchmark::kMillisecond)
    ->MeasureProcessCPUTime()
    ->ComputeStatistics("min", min_of);
BENCHMARK_CAPTURE(extract, listener_and_compare, std::string("listener+listener-compare"))
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
