// Musical groups of feature columns (dynemo/features.h): each column goes to the first group
// whose rule matches its name after the set prefix; what matches none is timbre (spectral shape).
//
// Per-band levels (mel/auditory bands in dB, ComParE's fband energies) count as loudness, not
// timbre: they rise together when the music gets louder, and a listener hears that as energy.
// Spectral flux counts as rhythm: it measures how much changes from frame to frame (onsets).
#include <array>
#include <string>
#include <vector>

#include "dynemo/features.h"

namespace dynemo {
namespace {

enum Group : std::size_t { kLoudness, kRhythm, kTimbre, kHarmony, kVoice };

struct Rule {
  Group group;
  std::vector<const char*> parts;  // any of these substrings
};

// In order: the first match wins (F0 before everything, chroma before "mel" etc.).
const std::array<Rule, 4>& rules() {
  static const std::array<Rule, 4> r = {{
      {kVoice, {"F0final", "voicing", "jitter", "shimmer", "HNR"}},
      {kHarmony, {"chroma", "key_", "cqt", "Harmonicity", "dissonance", "roughness", "tonnetz"}},
      {kRhythm, {"onset", "pulse", "rhythm", "tempo", "event_density", "Flux", "flux"}},
      {kLoudness,
       {"RMSenergy", "rms", "lengthL1norm", "audSpec_Rfilt", "logmel", "mel", "fband", "loudness"}},
  }};
  return r;
}

}  // namespace

const std::vector<FeatureGroup>& feature_groups() {
  static const std::vector<FeatureGroup> groups = {
      {"loudness", "loudness / energy"},
      {"rhythm", "tempo / onsets"},
      {"timbre", "brightness / timbre"},
      {"harmony", "harmony / mode"},
      {"voice", "voice"},
  };
  return groups;
}

std::size_t feature_group_of(const std::string& column) {
  const std::size_t dot = column.find('.');
  const std::string name = dot == std::string::npos ? column : column.substr(dot + 1);
  for (const Rule& rule : rules()) {
    for (const char* part : rule.parts) {
      if (name.find(part) != std::string::npos) return rule.group;
    }
  }
  return kTimbre;
}

}  // namespace dynemo
