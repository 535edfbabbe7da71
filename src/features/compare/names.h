// openSMILE's column names of the ComParE LLDs (as in the header of
// ../shared/reference/*.opensmile_compare16_lld.csv.gz) and of their window statistics (as in
// *.opensmile_mediaeval2015_is13.csv), in openSMILE's order (spec §10, §12).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace dynemo::features::compare {

inline constexpr std::size_t kLldCount = 65;      // LLDs, each "_sma"
inline constexpr std::size_t kVoicingCount = 6;   // the first six: the voicing group
inline constexpr std::size_t kColumnCount = 130;  // 65 "_sma" then their 65 "_sma_de"

// The 65 smoothed LLD names: "F0final_sma", ..., "pcm_RMSenergy_sma", "audSpec_Rfilt_sma[0]",
// ..., "mfcc_sma[14]".
const std::vector<std::string>& lld_names();

// The delta's name of a smoothed LLD: "_sma" becomes "_sma_de" ("audSpec_Rfilt_sma_de[0]").
std::string delta_name(const std::string& sma_name);

// All 130 columns: lld_names() then their delta names.
const std::vector<std::string>& lld_columns();

// The 260 window statistics: for each of the 130 columns, "<column>_amean" then
// "<column>_stddev".
const std::vector<std::string>& lld_stats_columns();

}  // namespace dynemo::features::compare
