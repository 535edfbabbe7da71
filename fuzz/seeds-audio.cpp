// Seeds of the audio-decode harness (seeds.h): short clips written with the audio fixture helpers
// of tests/ in every format load_audio reads, a slice of the example clip, and the broken files
// of tests/test-audio-errors.cpp. Clips are short (0.05 s at 8 kHz) so that the fuzzer runs fast
// (-max_len in run.sh); byte 0 of a seed is the harness's control byte (audio-decode.cpp).
#include <sndfile.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "audio-fixtures.h"
#include "dynemo/audio.h"
#include "dynemo/error.h"
#include "seeds.h"

namespace dynemo::fuzz {
namespace {

// Control bytes of audio-decode.cpp: extension index, then the option bits.
enum Extension : std::uint8_t { wav = 0, flac = 1, ogg = 2, opus = 4, mp3 = 5, aiff = 7 };
constexpr std::uint8_t kOffset = 8, kDuration = 16, kResample = 32;

// One clip in `format`, as bytes ("" when this libsndfile cannot write it).
std::string encode(int format, int channels, int rate_hz, const std::vector<float>& interleaved) {
  const std::string path =
      (std::filesystem::temp_directory_path() / "dynemo-fuzz-seed.bin").string();
  const std::string why = test::write_sound(path, format, channels, rate_hz, interleaved);
  if (!why.empty()) return "";
  std::string bytes = test::read_bytes(path);
  std::filesystem::remove(path);
  return bytes;
}

void add_clip(const SeedWriter& seeds, const std::string& name, std::uint8_t control,
              const std::string& bytes) {
  if (bytes.empty()) return;  // a format this libsndfile does not write
  seeds.add("audio-decode", name, std::string(1, static_cast<char>(control)) + bytes);
}

void add_formats(const SeedWriter& seeds) {
  const int rate = 8000;
  const std::vector<float> mono = test::sine(400, rate, 440.0, 0.5);
  const std::vector<float> stereo =
      test::interleave({test::sine(400, rate, 440.0, 0.5), test::noise(400, 0.25)});
  add_clip(seeds, "pcm16.wav", wav, encode(SF_FORMAT_WAV | SF_FORMAT_PCM_16, 1, rate, mono));
  add_clip(seeds, "float-stereo.wav", wav | kOffset | kDuration,
           encode(SF_FORMAT_WAV | SF_FORMAT_FLOAT, 2, rate, stereo));
  add_clip(seeds, "pcm24.aiff", aiff | kResample,
           encode(SF_FORMAT_AIFF | SF_FORMAT_PCM_24, 1, rate, mono));
  add_clip(seeds, "pcm16.flac", flac | kOffset,
           encode(SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 1, rate, mono));
  add_clip(seeds, "vorbis.ogg", ogg, encode(SF_FORMAT_OGG | SF_FORMAT_VORBIS, 1, rate, mono));
  add_clip(seeds, "opus.opus", opus, encode(SF_FORMAT_OGG | SF_FORMAT_OPUS, 1, rate, mono));
  // Two streams joined end to end (a chained file), the second at another rate: refused.
  const std::string vorbis = encode(SF_FORMAT_OGG | SF_FORMAT_VORBIS, 1, rate, mono);
  add_clip(seeds, "chained.ogg", ogg | kOffset, vorbis + vorbis);
  add_clip(seeds, "chained-rates.ogg", ogg,
           vorbis + encode(SF_FORMAT_OGG | SF_FORMAT_VORBIS, 1, 2 * rate, mono));
  const std::string layer3 = encode(SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, 1, rate, mono);
  add_clip(seeds, "layer3.mp3", mp3, layer3);
  add_clip(seeds, "cut.mp3", mp3, layer3.substr(0, layer3.size() / 2));
  add_clip(seeds, "joined.mp3", mp3 | kOffset, layer3 + layer3);  // `cat a.mp3 b.mp3`
  const std::string flac_bytes = encode(SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 1, rate, mono);
  add_clip(seeds, "cut.flac", flac, flac_bytes.substr(0, flac_bytes.size() / 2));
}

// 0.05 s of the example clip (10 s in, at its own 44.1 kHz), as FLAC: real music.
void add_example_slice(const SeedWriter& seeds, const std::string& source_dir) {
  const std::string example =
      (std::filesystem::path(source_dir) / "examples" / "wesnoth_battle_epic_45s.flac").string();
  AudioLoadOptions options;
  options.target_sample_rate_hz = 0.0;
  options.offset_s = 10.0;
  options.duration_s = 0.05;
  const Audio audio = load_audio(example, options);
  const int rate = static_cast<int>(audio.sample_rate_hz);
  add_clip(seeds, "example.flac", flac | kResample,
           encode(SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 1, rate, audio.samples));
}

void add_broken(const SeedWriter& seeds) {
  const std::string silence(400, '\0');
  add_clip(seeds, "unknown-codec.wav", wav, test::wav_bytes(0x1234, 1, 44100, 16, silence));
  add_clip(seeds, "no-channels.wav", wav, test::wav_bytes(1, 0, 44100, 16, silence));
  add_clip(seeds, "zero-rate.wav", wav, test::wav_bytes(1, 1, 0, 16, silence));
  add_clip(seeds, "huge-rate.wav", wav, test::wav_bytes(1, 1, 2000000000, 16, silence));
  add_clip(seeds, "no-frames.wav", wav, test::wav_bytes(1, 1, 44100, 16, ""));
  add_clip(seeds, "cut-data.wav", wav, test::wav_bytes(1, 1, 8000, 16, silence).substr(0, 300));
  const std::string body = "\x01unknown codec header";
  add_clip(seeds, "unknown-codec.ogg", ogg,
           test::ogg_page(body, 77, 0, 2) + test::ogg_page(body, 77, 1, 4));
  std::string garbage("\xff\xfb\x90\x64", 4);
  for (int i = 0; i < 600; ++i) garbage.push_back(static_cast<char>(i * 7 % 13));
  add_clip(seeds, "garbage.mp3", mp3, garbage);
}

}  // namespace

void add_audio_seeds(const SeedWriter& seeds, const std::string& source_dir) {
  add_formats(seeds);
  add_example_slice(seeds, source_dir);
  add_broken(seeds);
}

}  // namespace dynemo::fuzz
