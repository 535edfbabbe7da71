// Every bad input load_audio/probe_audio reject: the kind, and a message naming the file and
// the problem.
#include <sndfile.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <tuple>

#include <gtest/gtest.h>

#include "audio-fixtures.h"
#include "dynemo/audio.h"

namespace dynemo {
namespace {

using test::TempDir;
using test::throws_audio_error;
using Kind = AudioErrorKind;

// A 1 s, 44.1 kHz mono fixture in `format`; skips the test when libsndfile cannot write it.
#define FIXTURE_OR_SKIP(path, format, n_frames)                                           \
  do {                                                                                    \
    const std::string why =                                                               \
        test::write_sound(path, format, 1, 44100, test::sine(n_frames, 44100, 440, 0.5)); \
    if (!why.empty()) GTEST_SKIP() << "cannot write fixture " << path << ": " << why;     \
  } while (0)

auto loading(const std::string& path, AudioLoadOptions options = {}) {
  return [path, options] { load_audio(path, options); };
}
auto probing(const std::string& path) {
  return [path] { probe_audio(path); };
}

TEST(AudioErrors, MissingFileAndDirectory) {
  TempDir dir;
  const std::string path = dir.file("nothing-here.wav");
  EXPECT_TRUE(throws_audio_error(loading(path), Kind::missing, path, {"does not exist"}));
  EXPECT_TRUE(throws_audio_error(probing(path), Kind::missing, path, {"does not exist"}));
  const std::string folder = dir.file("folder.wav");
  std::filesystem::create_directory(folder);
  EXPECT_TRUE(throws_audio_error(loading(folder), Kind::missing, folder, {"is a directory"}));
}

// A broken link and a pipe named like audio say what they are (a pipe is never opened: reading
// it would wait for a writer).
TEST(AudioErrors, BrokenLinksAndPipesSayWhatTheyAre) {
  TempDir dir;
  const std::string link = dir.file("gone.mp3");
  std::filesystem::create_symlink(dir.file("moved-away.mp3"), link);
  EXPECT_TRUE(
      throws_audio_error(loading(link), Kind::missing, link,
                         {"is a broken symbolic link", "moved-away.mp3", "does not exist"}));
  const std::string pipe = dir.file("pipe.wav");
  ASSERT_EQ(::mkfifo(pipe.c_str(), 0600), 0);
  EXPECT_TRUE(throws_audio_error(loading(pipe), Kind::missing, pipe,
                                 {"is a pipe (FIFO), not a regular file"}));
  EXPECT_TRUE(throws_audio_error(probing(pipe), Kind::missing, pipe, {"is a pipe (FIFO)"}));
}

TEST(AudioErrors, UnreadableFile) {
  if (::geteuid() == 0) GTEST_SKIP() << "running as root: file permissions do not stop reads";
  TempDir dir;
  const std::string path = dir.file("locked.wav");
  FIXTURE_OR_SKIP(path, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 4410);
  std::filesystem::permissions(path, std::filesystem::perms::none);
  EXPECT_TRUE(throws_audio_error(loading(path), Kind::missing, path,
                                 {"cannot be opened for reading", "Permission denied"}));
}

TEST(AudioErrors, EmptyFile) {
  TempDir dir;
  const std::string path = dir.file("empty.flac");
  test::write_bytes(path, "");
  EXPECT_TRUE(throws_audio_error(loading(path), Kind::empty, path, {"empty: ", "0 bytes"}));
}

TEST(AudioErrors, TextAndNoiseAreNotAudio) {
  TempDir dir;
  const std::string text = dir.file("notes.mp3");
  std::string lines;
  for (int i = 0; i < 40; ++i) lines += "this is a text file, not an mp3\n";
  test::write_bytes(text, lines);
  EXPECT_TRUE(throws_audio_error(
      loading(text), Kind::not_audio, text,
      {"not_audio: not an audio file", "no WAV, AIFF, FLAC, Ogg or MP3 signature"}));
  const std::string bytes = dir.file("bytes.wav");
  std::string random;
  // Bytes 0..199 through unsigned char: a float above 127 converted to char is undefined.
  for (float v : test::noise(4096, 100.0, 9)) {
    random.push_back(static_cast<char>(static_cast<unsigned char>(100 + v)));
  }
  test::write_bytes(bytes, random);
  EXPECT_TRUE(throws_audio_error(probing(bytes), Kind::not_audio, bytes, {"not an audio file"}));
}

// A file named otherwise is read by its bytes: "track01", "song.wave", an MP3 named .bin.
TEST(AudioErrors, FilesNamedOtherwiseAreReadByTheirBytes) {
  TempDir dir;
  const std::string wav = dir.file("song.wav");
  FIXTURE_OR_SKIP(wav, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 4410);
  const std::vector<float> expected = load_audio(wav).samples;
  ASSERT_EQ(expected.size(), 4410u);
  for (const char* name : {"song.xyz", "song", "song.wave"}) {
    const std::string other = dir.file(name);
    std::filesystem::copy_file(wav, other);
    EXPECT_EQ(load_audio(other).samples, expected) << name;
  }
  const std::string mp3 = dir.file("song.mp3");
  FIXTURE_OR_SKIP(mp3, SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III, 44100);
  const std::string bin = dir.file("song.bin");
  std::filesystem::copy_file(mp3, bin);
  EXPECT_EQ(load_audio(bin).samples, load_audio(mp3).samples);
  // AIFF-C under its own extension.
  const std::string aifc = dir.file("song.aifc");
  FIXTURE_OR_SKIP(aifc, SF_FORMAT_AIFF | SF_FORMAT_FLOAT, 4410);
  const std::vector<float> aifc_samples = load_audio(aifc).samples;
  ASSERT_EQ(aifc_samples.size(), expected.size());
  for (std::size_t i = 0; i < expected.size(); i += 97) {
    EXPECT_NEAR(aifc_samples[i], expected[i], 1.0 / 32767) << i;
  }
}

// Some taggers put an ID3v2 tag before a FLAC stream: the file is read as FLAC, and a damaged
// one is called FLAC, not MPEG audio (the tag's "ID3" begins MP3 files too).
TEST(AudioErrors, FlacAfterAnId3TagIsFlac) {
  TempDir dir;
  const std::string flac = dir.file("plain.flac");
  FIXTURE_OR_SKIP(flac, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 4410);
  std::ifstream in(flac, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // ID3v2.3, no flags, a syncsafe size of 20, then 20 bytes of padding.
  const std::string tag =
      std::string("ID3\x03\x00\x00\x00\x00\x00\x14", 10) + std::string(20, '\0');
  const std::string tagged = dir.file("tagged.flac");
  test::write_bytes(tagged, tag + bytes);
  EXPECT_EQ(load_audio(tagged).samples, load_audio(flac).samples);
  std::string broken = tag + bytes;
  for (std::size_t i = tag.size() + 8; i < tag.size() + 30; ++i) broken[i] = '\0';  // STREAMINFO
  const std::string damaged = dir.file("damaged.flac");
  test::write_bytes(damaged, broken);
  EXPECT_TRUE(throws_audio_error(loading(damaged), Kind::unsupported_format, damaged,
                                 {"FLAC data in an encoding libsndfile cannot decode"}));
}

TEST(AudioErrors, UnlistedExtensionWithoutAudioBytesIsUnsupported) {
  TempDir dir;
  std::string lines;
  for (int i = 0; i < 40; ++i) lines += "these are notes, not music\n";
  const std::string notes = dir.file("notes.xyz");
  test::write_bytes(notes, lines);
  EXPECT_TRUE(throws_audio_error(
      loading(notes), Kind::unsupported_format, notes,
      {"extension '.xyz' is not a decoded audio format and its bytes are not those of a WAV, "
       "AIFF, FLAC, Ogg or MP3 file",
       "wav, flac, ogg, oga, opus, mp3, aif, aiff, aifc"}));
  const std::string bare = dir.file("README");
  test::write_bytes(bare, lines);
  EXPECT_TRUE(throws_audio_error(loading(bare), Kind::unsupported_format, bare,
                                 {"unsupported_format: the file name has no extension and its "
                                  "bytes are not those of"}));
  // A music format dynemo does not decode says so and how to convert it, whatever it holds.
  const std::string wav = dir.file("song.wav");
  FIXTURE_OR_SKIP(wav, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 4410);
  const std::string m4a = dir.file("song.M4A");
  std::filesystem::copy_file(wav, m4a);
  EXPECT_TRUE(throws_audio_error(
      loading(m4a), Kind::unsupported_format, m4a,
      {"'.m4a' is a music format dynemo does not decode; convert the file to one of wav, flac",
       "(e.g. ffmpeg -i IN.m4a OUT.flac)"}));
}

TEST(AudioErrors, UnknownCodecsAreUnsupported) {
  TempDir dir;
  const std::string wav = dir.file("codec.wav");
  test::write_bytes(wav, test::wav_bytes(0x1234, 1, 44100, 16, std::string(400, '\0')));
  EXPECT_TRUE(throws_audio_error(loading(wav), Kind::unsupported_format, wav,
                                 {"WAV codec 0x1234 cannot be decoded"}));
  const std::string ogg = dir.file("video.ogg");
  const std::string body = std::string("\x80theora", 7) + std::string(35, '\0');
  test::write_bytes(ogg, test::ogg_page(body, 77, 0, 2) + test::ogg_page(body, 77, 1, 4));
  EXPECT_TRUE(throws_audio_error(loading(ogg), Kind::unsupported_format, ogg,
                                 {"Ogg stream of codec Theora", "expected Vorbis or Opus"}));
  // Ogg FLAC (.oga): libsndfile 1.2 fails on valid files with "unknown error in flac decoder";
  // the file is named unsupported, not corrupt.
  const std::string oga = dir.file("flac.oga");
  test::write_bytes(oga, test::ogg_flac_pages());
  EXPECT_TRUE(throws_audio_error(
      loading(oga), Kind::unsupported_format, oga,
      {"Ogg stream of codec FLAC cannot be decoded", "ffmpeg -i IN.oga OUT.flac"}));
}

// An MP3 stream stored in a WAV (format tag 0x55, as ffmpeg -c:a libmp3lame -f wav writes it):
// its frame count, like an MP3's, is an estimate, not a promise whose shortfall means a cut file.
TEST(AudioErrors, Mp3InsideAWavIsReadLikeAnMp3) {
  if (std::system("ffmpeg -version >/dev/null 2>&1") != 0) GTEST_SKIP() << "ffmpeg not installed";
  TempDir dir;
  const std::string path = dir.file("broadcast.wav");
  // 5 s of lavfi's sine (amplitude 1/8), 440 Hz.
  ASSERT_EQ(std::system(("ffmpeg -nostdin -v error -f lavfi -i sine=f=440:d=5 -c:a libmp3lame "
                         "-f wav '" +
                         path + "'")
                            .c_str()),
            0);
  const Audio audio = load_audio(path);
  EXPECT_NEAR(audio.duration_s(), 5.0, 0.06);
  double sum = 0.0;
  for (float v : audio.samples) sum += static_cast<double>(v) * v;
  EXPECT_NEAR(std::sqrt(sum / static_cast<double>(audio.samples.size())), 0.125 / std::sqrt(2.0),
              0.005);
}

TEST(AudioErrors, TruncatedWavAndAiffAreSeenInTheHeader) {
  TempDir dir;
  for (const auto& [name, format] :
       {std::pair<const char*, int>{"w.wav", SF_FORMAT_WAV | SF_FORMAT_PCM_16},
        {"a.aiff", SF_FORMAT_AIFF | SF_FORMAT_PCM_16}}) {
    const std::string full = dir.file(std::string("full-") + name);
    const std::string cut = dir.file(name);
    FIXTURE_OR_SKIP(full, format, 44100);
    test::write_prefix(full, cut, 30000);  // about 14950 of 44100 frames
    const std::vector<std::string> expected = {
        "truncated: the header declares 44100 frames but the file holds only", "(30000 bytes)"};
    EXPECT_TRUE(throws_audio_error(loading(cut), Kind::truncated, cut, expected));
    EXPECT_TRUE(throws_audio_error(probing(cut), Kind::truncated, cut, expected));
  }
}

TEST(AudioErrors, TruncatedCompressedFilesAreSeenWhileDecoding) {
  TempDir dir;
  for (const auto& [name, format] :
       {std::pair<const char*, int>{"f.flac", SF_FORMAT_FLAC | SF_FORMAT_PCM_16},
        {"m.mp3", SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III}}) {
    const std::string full = dir.file(std::string("full-") + name);
    const std::string cut = dir.file(name);
    FIXTURE_OR_SKIP(full, format, 441000);
    test::write_prefix(full, cut, test::read_bytes(full).size() / 3);
    EXPECT_TRUE(throws_audio_error(
        loading(cut), Kind::truncated, cut,
        {"truncated: the header declares 441000 frames but only", "could be decoded"}));
    // The part before the cut still loads; a range past the cut reports the same shortfall.
    EXPECT_EQ(load_audio(cut, {0, 0.5, 1.0}).samples.size(), 44100u) << name;
    std::string whole, tail;
    try {
      load_audio(cut);
    } catch (const AudioError& e) {
      whole = e.what();
    }
    try {
      load_audio(cut, {0, 8.0, 1.0});
    } catch (const AudioError& e) {
      tail = e.what();
    }
    EXPECT_EQ(tail, whole) << name;
  }
}

// Ogg declares no length up front; a cut file lacks its final end-of-stream page.
TEST(AudioErrors, TruncatedOggIsSeenAtItsEnd) {
  TempDir dir;
  for (const auto& [name, format, rate] :
       {std::tuple<const char*, int, int>{"v.ogg", SF_FORMAT_OGG | SF_FORMAT_VORBIS, 44100},
        {"o.opus", SF_FORMAT_OGG | SF_FORMAT_OPUS, 48000}}) {
    const std::string full = dir.file(std::string("full-") + name);
    const std::string why = test::write_sound(full, format, 1, rate, test::noise(10 * rate, 0.5));
    if (!why.empty()) GTEST_SKIP() << "cannot write fixture " << full << ": " << why;
    const std::string bytes = test::read_bytes(full);
    const std::string inside = dir.file(std::string("inside-") + name);
    test::write_bytes(inside, bytes.substr(0, bytes.size() / 2 + 7));
    EXPECT_TRUE(throws_audio_error(loading(inside), Kind::truncated, inside,
                                   {"truncated: the file ends inside an Ogg page"}));
    const std::string between = dir.file(std::string("between-") + name);
    test::write_bytes(between, bytes.substr(0, bytes.find("OggS", bytes.size() / 2)));
    EXPECT_TRUE(throws_audio_error(probing(between), Kind::truncated, between,
                                   {"truncated: the last Ogg page lacks the end-of-stream flag"}));
  }
}

// A chained Ogg file is read stream after stream (test-audio: AudioChainedOgg) when its streams
// share rate and channels and are Vorbis or Opus; otherwise it is refused, naming the stream.
TEST(AudioErrors, ChainedOggWhoseStreamsDifferIsRefused) {
  TempDir dir;
  const std::string first = dir.file("first.ogg"), second = dir.file("second.ogg");
  const int format = SF_FORMAT_OGG | SF_FORMAT_VORBIS;
  std::string why = test::write_sound(first, format, 1, 48000, test::noise(48000, 0.5));
  if (why.empty()) why = test::write_sound(second, format, 1, 44100, test::noise(44100, 0.5));
  if (!why.empty()) GTEST_SKIP() << "cannot write fixture: " << why;
  const std::string rates = dir.file("rates.ogg");
  test::write_bytes(rates, test::read_bytes(first) + test::read_bytes(second));
  EXPECT_TRUE(throws_audio_error(
      loading(rates), Kind::unsupported_format, rates,
      {"a chained Ogg file whose stream 2 (at byte ",
       ") is 44100 Hz, 1 channel(s), after 48000 Hz, 1 channel(s)", "ffmpeg -i IN.ogg OUT.flac"}));
  // A refused chain leaves no file descriptor open.
  const auto open_fds = [] {
    return std::distance(std::filesystem::directory_iterator("/proc/self/fd"),
                         std::filesystem::directory_iterator());
  };
  const auto before = open_fds();
  for (int i = 0; i < 20; ++i) EXPECT_THROW(load_audio(rates), AudioError);
  EXPECT_EQ(open_fds(), before);
  // Vorbis, then a stream of Ogg FLAC (which libsndfile 1.2 does not decode).
  const std::string codecs = dir.file("codecs.ogg");
  const std::string vorbis = test::read_bytes(first);
  test::write_bytes(codecs, vorbis + test::ogg_flac_pages());
  EXPECT_TRUE(
      throws_audio_error(loading(codecs), Kind::unsupported_format, codecs,
                         {"stream 2 of 2 of the chained Ogg file (at byte " +
                              std::to_string(vorbis.size()) + ") of codec FLAC cannot be decoded",
                          "ffmpeg -i IN.ogg OUT.flac"}));
}

TEST(AudioErrors, FilesCutInsideTheirHeaders) {
  TempDir dir;
  const std::string wav = dir.file("full.wav");
  FIXTURE_OR_SKIP(wav, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 4410);
  const std::string wav_cut = dir.file("cut.wav");
  test::write_prefix(wav, wav_cut, 20);
  EXPECT_TRUE(throws_audio_error(loading(wav_cut), Kind::truncated, wav_cut,
                                 {"20 bytes, shorter than a complete WAV header (44 bytes)"}));
  const std::string ogg = dir.file("full.ogg");
  FIXTURE_OR_SKIP(ogg, SF_FORMAT_OGG | SF_FORMAT_VORBIS, 4410);
  const std::string ogg_cut = dir.file("cut.ogg");
  test::write_prefix(ogg, ogg_cut, 1000);
  EXPECT_TRUE(throws_audio_error(loading(ogg_cut), Kind::truncated, ogg_cut,
                                 {"truncated: the file ends inside an Ogg page"}));
}

TEST(AudioErrors, MalformedDataIsCorrupt) {
  TempDir dir;
  // An MPEG frame header followed by bytes no decoder can use.
  const std::string path = dir.file("garbage.mp3");
  std::string bytes("\xff\xfb\x90\x64", 4);
  for (int i = 0; i < 3000; ++i) bytes.push_back(static_cast<char>(i * 7 % 13));
  test::write_bytes(path, bytes);
  EXPECT_TRUE(throws_audio_error(
      loading(path), Kind::corrupt, path,
      {"corrupt: MPEG audio data is malformed", "no decodable MPEG audio frame"}));
}

TEST(AudioErrors, ZeroChannelsAndBadSampleRates) {
  TempDir dir;
  const std::string data(400, '\0');
  const std::string no_channels = dir.file("c0.wav");
  test::write_bytes(no_channels, test::wav_bytes(1, 0, 44100, 16, data));
  EXPECT_TRUE(throws_audio_error(loading(no_channels), Kind::no_channels, no_channels,
                                 {"declares 0 channels"}));
  const std::string zero_rate = dir.file("r0.wav");
  test::write_bytes(zero_rate, test::wav_bytes(1, 1, 0, 16, data));
  EXPECT_TRUE(throws_audio_error(loading(zero_rate), Kind::bad_sample_rate, zero_rate,
                                 {"sample rate of 0 Hz", "expected 1000 to 768000 Hz"}));
  const std::string huge_rate = dir.file("r2g.wav");
  test::write_bytes(huge_rate, test::wav_bytes(1, 1, 2000000000, 16, data));
  EXPECT_TRUE(throws_audio_error(probing(huge_rate), Kind::bad_sample_rate, huge_rate,
                                 {"sample rate of 2000000000 Hz"}));
}

TEST(AudioErrors, NonFiniteSamples) {
  TempDir dir;
  std::vector<float> left = test::sine(1000, 44100, 440, 0.5);
  std::vector<float> right = left;
  left[100] = std::numeric_limits<float>::quiet_NaN();
  right[50] = std::numeric_limits<float>::infinity();
  const std::string path = dir.file("nan.wav");
  const std::string why = test::write_sound(path, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 2, 44100,
                                            test::interleave({left, right}));
  ASSERT_EQ(why, "");
  EXPECT_TRUE(throws_audio_error(
      loading(path), Kind::non_finite, path,
      {"non_finite: 2 of 1000 samples are NaN or infinite", "the first at index 50 (inf)"}));
  EXPECT_TRUE(throws_audio_error([&] { check_samples(left.data(), left.size(), "<memory>"); },
                                 Kind::non_finite, "<memory>", {"index 100 (nan)"}));
  EXPECT_NO_THROW(check_samples(right.data(), 50, "<memory>"));
}

// Finite samples far beyond full scale (a float file holding integer-scaled or garbage values)
// are refused with their count and the first one, as a file and as memory; +-100 passes.
TEST(AudioErrors, SamplesFarBeyondFullScale) {
  TempDir dir;
  std::vector<float> x = test::sine(1000, 44100, 440, 0.5);
  x[10] = 100.0f;
  x[11] = -100.0f;
  EXPECT_NO_THROW(check_samples(x.data(), x.size(), "<memory>"));
  x[20] = 1e30f;
  x[40] = -32768.0f;
  const std::string path = dir.file("loud.wav");
  ASSERT_EQ(test::write_sound(path, SF_FORMAT_WAV | SF_FORMAT_FLOAT, 1, 44100, x), "");
  EXPECT_TRUE(throws_audio_error(
      loading(path), Kind::out_of_range, path,
      {"out_of_range: 2 of 1000 samples lie beyond +-100 (40 dB above full scale)",
       "the first at index 20 (1e+30)", "a float file scaled to integers?"}));
  EXPECT_TRUE(throws_audio_error([&] { check_samples(x.data(), x.size(), "<memory>", 5000); },
                                 Kind::out_of_range, "<memory>", {"index 5020 (1e+30)"}));
  x[30] = std::numeric_limits<float>::quiet_NaN();  // non-finite is named first
  EXPECT_TRUE(throws_audio_error([&] { check_samples(x.data(), x.size(), "<memory>"); },
                                 Kind::non_finite, "<memory>", {"1 of 1000 samples are NaN"}));
}

TEST(AudioErrors, NoFramesIsEmpty) {
  TempDir dir;
  const std::string path = dir.file("silence.wav");
  test::write_bytes(path, test::wav_bytes(1, 1, 44100, 16, ""));
  EXPECT_TRUE(throws_audio_error(loading(path), Kind::empty, path, {"declares 0 frames"}));
}

TEST(AudioErrors, BadRanges) {
  TempDir dir;
  const std::string path = dir.file("one-second.flac");
  FIXTURE_OR_SKIP(path, SF_FORMAT_FLAC | SF_FORMAT_PCM_16, 44100);
  const double nan = std::nan("");
  EXPECT_TRUE(throws_audio_error(loading(path, {0, 1.5, -1}), Kind::bad_range, path,
                                 {"offset_s=1.5 (frame 66150) is at or past the end of the file "
                                  "(44100 frames, 1 s)"}));
  EXPECT_TRUE(throws_audio_error(loading(path, {0, -1, -1}), Kind::bad_range, path,
                                 {"offset_s=-1; expected a finite number of seconds >= 0"}));
  EXPECT_TRUE(
      throws_audio_error(loading(path, {0, nan, -1}), Kind::bad_range, path, {"offset_s=nan"}));
  EXPECT_TRUE(throws_audio_error(loading(path, {0, 0, -2}), Kind::bad_range, path,
                                 {"duration_s=-2; expected seconds > 0, or -1 for the rest"}));
  EXPECT_TRUE(
      throws_audio_error(loading(path, {0, 0, 0}), Kind::bad_range, path, {"duration_s=0"}));
  EXPECT_TRUE(throws_audio_error(loading(path, {0, 0, 1e-6}), Kind::bad_range, path,
                                 {"shorter than one frame at 44100 Hz"}));
  EXPECT_EQ(load_audio(path, {0, 0.5, -1}).samples.size(), 22050u);
}

// A target rate is 0 (the file's own) or one dynemo analyses: 1 kHz to 768 kHz (1 THz would
// ask for terabytes).
TEST(AudioErrors, TargetRatesOutsideTheRangeAreConfigErrors) {
  TempDir dir;
  const std::string path = dir.file("a.wav");
  FIXTURE_OR_SKIP(path, SF_FORMAT_WAV | SF_FORMAT_PCM_16, 4410);
  for (const double rate : {-44100.0, 10.0, 999.0, 768001.0, 1e12, std::nan("")}) {
    try {
      load_audio(path, {rate, 0, -1});
      ADD_FAILURE() << rate << " accepted";
    } catch (const ConfigError& e) {
      EXPECT_NE(std::string(e.what()).find("load_audio: target_sample_rate_hz: sample rate "),
                std::string::npos)
          << e.what();
      EXPECT_NE(std::string(e.what()).find("expected 1000 to 768000 Hz"), std::string::npos)
          << e.what();
    }
  }
  EXPECT_EQ(load_audio(path, {1000, 0, -1}).samples.size(), 100u);  // 4410 at 44.1 kHz
  EXPECT_EQ(load_audio(path, {0, 0, -1}).sample_rate_hz, 44100.0);
}

}  // namespace
}  // namespace dynemo
