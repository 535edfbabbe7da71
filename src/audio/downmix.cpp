// choose_downmix (downmix.h).
#include "audio/downmix.h"

#include "dynemo/audio.h"
#include "dynemo/error.h"

#include <sndfile.h>

#include <array>

namespace dynemo::audio_detail {
namespace {

constexpr float kFront = 0.5f;            // FL, FR: half of their side
constexpr float kCentre = 0.70710678f;    // -3 dB into each side, both sides averaged
constexpr float kSurround = 0.35355339f;  // -3 dB into its side, half of that side

struct Position {
  int id;
  const char* name;
  float weight;
};

// libsndfile's positions (SF_CHANNEL_MAP_INVALID, missing here, makes the layout unknown).
constexpr std::array<Position, 26> kPositions = {{
    {SF_CHANNEL_MAP_MONO, "M", kCentre},
    {SF_CHANNEL_MAP_LEFT, "FL", kFront},
    {SF_CHANNEL_MAP_RIGHT, "FR", kFront},
    {SF_CHANNEL_MAP_CENTER, "FC", kCentre},
    {SF_CHANNEL_MAP_FRONT_LEFT, "FL", kFront},
    {SF_CHANNEL_MAP_FRONT_RIGHT, "FR", kFront},
    {SF_CHANNEL_MAP_FRONT_CENTER, "FC", kCentre},
    {SF_CHANNEL_MAP_REAR_CENTER, "BC", kCentre},
    {SF_CHANNEL_MAP_REAR_LEFT, "BL", kSurround},
    {SF_CHANNEL_MAP_REAR_RIGHT, "BR", kSurround},
    {SF_CHANNEL_MAP_LFE, "LFE", 0.0f},
    {SF_CHANNEL_MAP_FRONT_LEFT_OF_CENTER, "FLC", kFront},
    {SF_CHANNEL_MAP_FRONT_RIGHT_OF_CENTER, "FRC", kFront},
    {SF_CHANNEL_MAP_SIDE_LEFT, "SL", kSurround},
    {SF_CHANNEL_MAP_SIDE_RIGHT, "SR", kSurround},
    // Height channels 3 dB below the bed position under them.
    {SF_CHANNEL_MAP_TOP_CENTER, "TC", kFront},
    {SF_CHANNEL_MAP_TOP_FRONT_LEFT, "TFL", kSurround},
    {SF_CHANNEL_MAP_TOP_FRONT_RIGHT, "TFR", kSurround},
    {SF_CHANNEL_MAP_TOP_FRONT_CENTER, "TFC", kFront},
    {SF_CHANNEL_MAP_TOP_REAR_LEFT, "TBL", kSurround* kCentre},
    {SF_CHANNEL_MAP_TOP_REAR_RIGHT, "TBR", kSurround* kCentre},
    {SF_CHANNEL_MAP_TOP_REAR_CENTER, "TBC", kFront},
    // B-format: the omnidirectional component alone is the sound at the listener.
    {SF_CHANNEL_MAP_AMBISONIC_B_W, "W", 1.0f},
    {SF_CHANNEL_MAP_AMBISONIC_B_X, "X", 0.0f},
    {SF_CHANNEL_MAP_AMBISONIC_B_Y, "Y", 0.0f},
    {SF_CHANNEL_MAP_AMBISONIC_B_Z, "Z", 0.0f},
}};

const Position* position(int id) {
  for (const Position& p : kPositions) {
    if (p.id == id) return &p;
  }
  return nullptr;
}

// Default orders for 3..8 channels (index = count - 3).
constexpr int FL = SF_CHANNEL_MAP_FRONT_LEFT, FR = SF_CHANNEL_MAP_FRONT_RIGHT,
              FC = SF_CHANNEL_MAP_FRONT_CENTER, LFE = SF_CHANNEL_MAP_LFE,
              BL = SF_CHANNEL_MAP_REAR_LEFT, BR = SF_CHANNEL_MAP_REAR_RIGHT,
              BC = SF_CHANNEL_MAP_REAR_CENTER, SL = SF_CHANNEL_MAP_SIDE_LEFT,
              SR = SF_CHANNEL_MAP_SIDE_RIGHT;
// WAVEFORMATEXTENSIBLE's default masks, which FLAC's format specification takes over.
constexpr int kWavOrder[6][8] = {
    {FL, FR, FC},
    {FL, FR, BL, BR},
    {FL, FR, FC, BL, BR},
    {FL, FR, FC, LFE, BL, BR},
    {FL, FR, FC, LFE, BC, SL, SR},
    {FL, FR, FC, LFE, BL, BR, SL, SR},
};
// The Vorbis I specification's channel orders (section 4.3.9), also Opus's mapping family 1.
constexpr int kVorbisOrder[6][8] = {
    {FL, FC, FR},
    {FL, FR, BL, BR},
    {FL, FC, FR, BL, BR},
    {FL, FC, FR, BL, BR, LFE},
    {FL, FC, FR, SL, SR, BC, LFE},
    {FL, FC, FR, SL, SR, BL, BR, LFE},
};

std::string layout_name(int channels, const std::vector<std::string>& names) {
  std::string label;
  const bool has_lfe = !names.empty() && [&] {
    for (const std::string& n : names) {
      if (n == "LFE") return true;
    }
    return false;
  }();
  if (has_lfe) {
    label = std::to_string(channels - 1) + ".1";
  } else {
    label = std::to_string(channels) + ".0";
  }
  label += " (";
  for (std::size_t c = 0; c < names.size(); ++c) label += (c ? " " : "") + names[c];
  return label + ")";
}

Downmix averaged(int channels, const std::string& why) {
  Downmix d;
  d.weights.assign(static_cast<std::size_t>(channels), 1.0f / static_cast<float>(channels));
  d.layout = std::to_string(channels) + " channels, averaged (" + why + ")";
  return d;
}

}  // namespace

Downmix choose_downmix(int channels, const int* map, ChannelOrder default_order) {
  if (channels == 1) return {{1.0f}, "mono"};
  if (channels == 2) return {{0.5f, 0.5f}, "stereo"};
  const int* order = map;
  if (order == nullptr) {
    if (channels > 8) return averaged(channels, "no channel map for more than 8 channels");
    order = (default_order == ChannelOrder::vorbis ? kVorbisOrder : kWavOrder)[channels - 3];
  }
  Downmix d;
  std::vector<std::string> names;
  for (int c = 0; c < channels; ++c) {
    const Position* p = position(order[c]);
    if (p == nullptr) {
      return averaged(channels, "channel " + std::to_string(c + 1) + " has no known position");
    }
    d.weights.push_back(p->weight);
    names.emplace_back(p->name);
  }
  d.layout = layout_name(channels, names);
  return d;
}

}  // namespace dynemo::audio_detail

namespace dynemo {

std::vector<float> interleaved_mono_weights(int channels) {
  if (channels < 1) {
    throw ConfigError("interleaved_mono_weights: " + std::to_string(channels) +
                      " channels; expected at least 1");
  }
  return audio_detail::choose_downmix(channels, nullptr, audio_detail::ChannelOrder::wav).weights;
}

}  // namespace dynemo
