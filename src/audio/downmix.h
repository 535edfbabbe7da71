// How a file's channels fold into the one signal the features see. Private to src/audio.
#pragma once

#include <string>
#include <vector>

namespace dynemo::audio_detail {

// What the weights were chosen from.
enum class ChannelOrder {
  declared,  // the file's own channel map (a WAV channel mask, a CAF/AIFF layout)
  wav,       // WAV/FLAC/AIFF default order for the count: FL FR FC LFE BL BR SL SR
  vorbis,    // Ogg Vorbis/Opus order for the count: FL FC FR ...
};

struct Downmix {
  std::vector<float> weights;  // one per channel; mono = sum over c of weights[c] * x[c]
  std::string layout;          // e.g. "5.1 (FL FR FC LFE BL BR)", "6 channels, averaged"
};

// The weights of the ITU-R BS.775 stereo fold-down (centre and surrounds at -3 dB into their
// side, LFE left out) followed by the mean of its two sides, so that a surround file reads as
// its stereo downmix does: FL/FR 0.5, centre 0.7071, surrounds 0.3536, LFE 0. One and two
// channels keep their plain mean. `map` holds libsndfile's SF_CHANNEL_MAP_* per channel (null
// when the file declares none); a file whose channels cannot all be named (more than 8 channels
// without a map, an unknown position) is averaged over its channels.
Downmix choose_downmix(int channels, const int* map, ChannelOrder default_order);

}  // namespace dynemo::audio_detail
