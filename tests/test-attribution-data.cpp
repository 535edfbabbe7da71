// The shipped model's group attributions add up to its predictions on the shared reference
// clips (label data: skipped without ../shared).
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "attribution-check.h"
#include "dynemo/predict.h"

namespace {

const std::string kModel =
    std::string(DYNEMO_SOURCE_DIR) + "/models/deam-listener-ctx_mlp_256x2_c6-v3";

TEST(Attribution, AddsUpOnTheSharedReferenceClips) {
  const std::filesystem::path dir = std::filesystem::path(DYNEMO_SHARED_DIR) / "reference";
  if (!std::filesystem::is_directory(dir)) GTEST_SKIP() << dir << " not found";
  dynemo::Predictor predictor(kModel);
  for (const char* clip : {"singularity_awakening_45s.flac", "wesnoth_battle_epic_45s.flac"}) {
    SCOPED_TRACE(clip);
    dynemo::testing::expect_attribution_adds_up(
        predictor.predict_file((dir / clip).string(), false, true));
  }
}

}  // namespace
