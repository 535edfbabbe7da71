// Prediction files: read_prediction_csv (dynemo/evaluation.h), what `dynemo evaluate` reads, and
// prediction_is_current (dynemo/predict.h), the resume check of `dynemo predict` on a CSV or JSON
// output. src/predict/outputs.cpp is compiled in: it has no LibTorch.
// Input: byte 0 'c' checks the rest as a current CSV output, 'j' as a current JSON output; any
// other byte reads the rest with read_prediction_csv.
#include <cstddef>
#include <cstdint>
#include <string>

#include "dynemo/evaluation.h"
#include "dynemo/predict.h"
#include "fuzz-common.h"
#include "fuzz-fixtures.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  using namespace dynemo::fuzz;
  static const dynemo::ModelCard card = fuzz_model_card();
  const std::string bytes(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] == 'c' || data[0] == 'j') {
    const std::string path = write_scratch(data[0] == 'c' ? "out.csv" : "out.json", bytes);
    expect_errors([&] { dynemo::prediction_is_current(path, card); });
    return 0;
  }
  const std::string path = write_scratch("1.csv", bytes);
  expect_errors([&] { dynemo::read_prediction_csv(path); });
  return 0;
}
