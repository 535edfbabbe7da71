// The feature file sidecar (<table>.json, dynemo/io.h): features_output_is_current, the check by
// which `dynemo features` skips a file it already wrote, reads the sidecar JSON and compares every
// field with the provenance of the run (fuzz-fixtures.h); its data file exists.
// Input: the sidecar text.
#include <cstddef>
#include <cstdint>
#include <string>

#include "dynemo/features.h"
#include "dynemo/io.h"
#include "fuzz-common.h"
#include "fuzz-fixtures.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace dynemo::fuzz;
  static const dynemo::FeatureProvenance provenance = fuzz_feature_provenance();
  static const std::vector<std::string> columns = dynemo::feature_columns(kFuzzSpec);
  static const std::string table = write_scratch("clip.csv", "time_s\n0\n");
  const std::string sidecar =
      write_scratch("clip.json", std::string(reinterpret_cast<const char*>(data), size));
  expect_errors([&] { dynemo::features_output_is_current(sidecar, table, provenance, columns); });
  return 0;
}
