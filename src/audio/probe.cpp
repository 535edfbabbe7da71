// probe_audio, the audio extensions and the sample rates: what a file holds, from its header
// alone, and what dynemo reads.
#include <cmath>
#include <sstream>

#include "audio/sound-file.h"
#include "dynemo/audio.h"
#include "dynemo/error.h"

namespace dynemo {

const std::vector<std::string>& audio_extensions() {
  static const std::vector<std::string> extensions = {"wav", "flac", "ogg",  "oga", "opus",
                                                      "mp3", "aif",  "aiff", "aifc"};
  return extensions;
}

const std::vector<std::string>& undecoded_audio_extensions() {
  static const std::vector<std::string> extensions = {
      "m4a", "m4b",  "mp4", "aac", "alac", "wma", "ape", "wv", "mka", "webm",
      "ac3", "eac3", "dts", "mpc", "dsf",  "dff", "amr", "ra", "tta", "tak"};
  return extensions;
}

void check_sample_rate(double rate_hz, const std::string& what) {
  if (std::isfinite(rate_hz) && rate_hz >= kMinSampleRateHz && rate_hz <= kMaxSampleRateHz) return;
  std::ostringstream text;
  text << what << ": sample rate " << rate_hz << " Hz; expected " << kMinSampleRateHz << " to "
       << kMaxSampleRateHz << " Hz";
  throw ConfigError(text.str());
}

AudioInfo probe_audio(const std::string& path) {
  return audio_detail::describe(audio_detail::SoundFile(path));
}

AudioInfo audio_detail::describe(const SoundFile& file) {
  AudioInfo info;
  info.format = file.format_name();
  info.channels = file.channels();
  info.channel_layout = file.downmix().layout;
  info.sample_rate_hz = file.sample_rate_hz();
  info.n_frames = file.n_frames();
  return info;
}

}  // namespace dynemo
