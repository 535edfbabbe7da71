#include "features/compare/names.h"

namespace dynemo::features::compare {
namespace {

std::vector<std::string> make_lld_names() {
  std::vector<std::string> n = {"F0final_sma",
                                "voicingFinalUnclipped_sma",
                                "jitterLocal_sma",
                                "jitterDDP_sma",
                                "shimmerLocal_sma",
                                "logHNR_sma",
                                "audspec_lengthL1norm_sma",
                                "audspecRasta_lengthL1norm_sma",
                                "pcm_RMSenergy_sma",
                                "pcm_zcr_sma"};
  for (int b = 0; b < 26; ++b) n.push_back("audSpec_Rfilt_sma[" + std::to_string(b) + "]");
  for (const char* s :
       {"fband250-650", "fband1000-4000", "spectralRollOff25.0", "spectralRollOff50.0",
        "spectralRollOff75.0", "spectralRollOff90.0", "spectralFlux", "spectralCentroid",
        "spectralEntropy", "spectralVariance", "spectralSkewness", "spectralKurtosis",
        "spectralSlope", "psySharpness", "spectralHarmonicity"}) {
    n.push_back(std::string("pcm_fftMag_") + s + "_sma");
  }
  for (int i = 1; i <= 14; ++i) n.push_back("mfcc_sma[" + std::to_string(i) + "]");
  return n;
}

}  // namespace

const std::vector<std::string>& lld_names() {
  static const std::vector<std::string> names = make_lld_names();
  return names;
}

std::string delta_name(const std::string& sma_name) {
  const std::size_t at = sma_name.rfind("_sma");
  if (at == std::string::npos) return sma_name + "_de";
  return sma_name.substr(0, at + 4) + "_de" + sma_name.substr(at + 4);
}

const std::vector<std::string>& lld_columns() {
  static const std::vector<std::string> columns = [] {
    std::vector<std::string> c = lld_names();
    for (const std::string& name : lld_names()) c.push_back(delta_name(name));
    return c;
  }();
  return columns;
}

const std::vector<std::string>& lld_stats_columns() {
  static const std::vector<std::string> columns = [] {
    std::vector<std::string> c;
    for (const std::string& name : lld_columns()) {
      c.push_back(name + "_amean");
      c.push_back(name + "_stddev");
    }
    return c;
  }();
  return columns;
}

}  // namespace dynemo::features::compare
