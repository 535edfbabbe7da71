// The "basic usage" block of include/dynemo/dynemo.h as a program, so the documented code is
// compiled with the project and run by the tests (test-examples also checks that the block
// below, from the first #include to the end of extract_file, is the header's text verbatim).
//
// Usage: example-basic-usage INPUT_AUDIO OUTPUT_DIR
// Writes OUTPUT_DIR/<stem>.csv and OUTPUT_DIR/<stem>.json (OUTPUT_DIR is created if missing).
// Exit codes: 0 success, 1 an error (printed as "error: ..." on stderr), 2 bad arguments.
#include <exception>
#include <iostream>

#include <filesystem>
#include <string>

#include "dynemo/dynemo.h"

// Writes <output_dir>/<stem>.csv (time_s + 449 feature columns, one row per 0.5 s) and
// <output_dir>/<stem>.json (spec, feature hash, config, columns, version). output_dir must
// exist. Throws dynemo::Error.
void extract_file(const std::string& input, const std::string& output_dir) {
  const std::string spec = "spectral+cqt";
  const dynemo::FeatureConfig config;  // librosa defaults at 44.1 kHz, 0.5 s windows
  // Decoded, downmixed, resampled to config.sample_rate_hz; long files in pieces.
  const dynemo::FeatureMatrix features = dynemo::file_features(input, spec, config);
  const std::string stem = output_dir + "/" + std::filesystem::path(input).stem().string();
  dynemo::write_features_csv(stem + ".csv", features);
  const dynemo::FeatureProvenance origin{input, spec, config, "csv"};
  dynemo::write_features_sidecar(stem + ".json", features.columns, features.time_s, origin);
}

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: " << (argc > 0 ? argv[0] : "example-basic-usage")
              << " INPUT_AUDIO OUTPUT_DIR\n";
    return 2;
  }
  try {
    std::filesystem::create_directories(argv[2]);
    extract_file(argv[1], argv[2]);
  } catch (const std::exception& e) {  // dynemo::Error, or std::filesystem::filesystem_error
    std::cerr << "error: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
