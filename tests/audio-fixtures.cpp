#include "audio-fixtures.h"

#include <sndfile.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <fstream>
#include <iterator>
#include <random>
#include <stdexcept>

namespace dynemo::test {
namespace fs = std::filesystem;

TempDir::TempDir() {
  static std::atomic<int> counter{0};
  root_ = fs::temp_directory_path() /
          ("dynemo-test-audio-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
  fs::remove_all(root_);
  fs::create_directories(root_);
}

TempDir::~TempDir() {
  std::error_code ec;
  fs::remove_all(root_, ec);
}

std::vector<float> sine(std::size_t n, double rate_hz, double frequency_hz, double amplitude,
                        double phase) {
  std::vector<float> x(n);
  for (std::size_t i = 0; i < n; ++i) {
    x[i] = static_cast<float>(amplitude *
                              std::sin(2.0 * M_PI * frequency_hz * double(i) / rate_hz + phase));
  }
  return x;
}

std::vector<float> noise(std::size_t n, double amplitude, std::uint32_t seed) {
  std::mt19937 generator(seed);
  std::vector<float> x(n);
  for (float& v : x) v = static_cast<float>(amplitude * (generator() / 2147483648.0 - 1.0));
  return x;
}

std::vector<float> interleave(const std::vector<std::vector<float>>& channels) {
  const std::size_t n = channels.at(0).size();
  std::vector<float> out;
  out.reserve(n * channels.size());
  for (std::size_t i = 0; i < n; ++i) {
    for (const std::vector<float>& channel : channels) out.push_back(channel.at(i));
  }
  return out;
}

std::string write_sound(const std::string& path, int format, int channels, int rate_hz,
                        const std::vector<float>& interleaved) {
  SF_INFO info{};
  info.format = format;
  info.channels = channels;
  info.samplerate = rate_hz;
  if (!sf_format_check(&info)) return "libsndfile rejects format 0x" + std::to_string(format);
  SNDFILE* file = sf_open(path.c_str(), SFM_WRITE, &info);
  if (file == nullptr) return std::string("sf_open for writing: ") + sf_strerror(nullptr);
  const sf_count_t frames = static_cast<sf_count_t>(interleaved.size()) / channels;
  const sf_count_t written = sf_writef_float(file, interleaved.data(), frames);
  std::string why = written == frames ? "" : std::string("sf_writef_float: ") + sf_strerror(file);
  sf_close(file);
  return why;
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("test fixture: cannot read " + path);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

void write_bytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out) throw std::runtime_error("test fixture: cannot write " + path);
}

void write_prefix(const std::string& from, const std::string& to, std::size_t n_bytes) {
  write_bytes(to, read_bytes(from).substr(0, n_bytes));
}

namespace {

void put_le(std::string& out, std::uint32_t value, int n_bytes) {
  for (int i = 0; i < n_bytes; ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

// CRC-32 of Ogg pages: polynomial 0x04c11db7, no reflection, initial value 0.
std::uint32_t ogg_crc(const std::string& bytes) {
  std::uint32_t crc = 0;
  for (unsigned char byte : bytes) {
    crc ^= std::uint32_t(byte) << 24;
    for (int bit = 0; bit < 8; ++bit)
      crc = (crc & 0x80000000u) ? (crc << 1) ^ 0x04c11db7u : crc << 1;
  }
  return crc;
}

}  // namespace

std::string wav_bytes(int format_tag, int channels, std::uint32_t rate_hz, int bits,
                      const std::string& data) {
  const int block_align = std::max(1, channels) * bits / 8;
  std::string fmt;
  put_le(fmt, format_tag, 2);
  put_le(fmt, channels, 2);
  put_le(fmt, rate_hz, 4);
  put_le(fmt, rate_hz * block_align, 4);
  put_le(fmt, block_align, 2);
  put_le(fmt, bits, 2);
  std::string body = "WAVEfmt ";
  put_le(body, static_cast<std::uint32_t>(fmt.size()), 4);
  body += fmt + "data";
  put_le(body, static_cast<std::uint32_t>(data.size()), 4);
  body += data;
  std::string out = "RIFF";
  put_le(out, static_cast<std::uint32_t>(body.size()), 4);
  return out + body;
}

std::string ogg_page(const std::string& body, std::uint32_t serial, std::uint32_t sequence,
                     int header_type) {
  std::string page = "OggS";
  page.push_back('\0');  // version
  page.push_back(static_cast<char>(header_type));
  put_le(page, 0, 4);  // granule position (64 bits)
  put_le(page, 0, 4);
  put_le(page, serial, 4);
  put_le(page, sequence, 4);
  put_le(page, 0, 4);  // CRC, filled in below
  std::size_t left = body.size();
  std::string lacing;
  while (left >= 255) {
    lacing.push_back('\xff');
    left -= 255;
  }
  lacing.push_back(static_cast<char>(left));
  page.push_back(static_cast<char>(lacing.size()));
  page += lacing + body;
  const std::uint32_t crc = ogg_crc(page);
  for (int i = 0; i < 4; ++i) page[22 + i] = static_cast<char>((crc >> (8 * i)) & 0xff);
  return page;
}

std::string ogg_flac_pages() {
  const std::string packet = std::string(
                                 "\x7f"
                                 "FLAC\x01\x00\x00\x01"
                                 "fLaC",
                                 13) +
                             std::string(38, '\0');
  return ogg_page(packet, 5, 0, 2) + ogg_page(packet, 5, 1, 4);
}

double rms(const std::vector<float>& x, std::size_t begin, std::size_t end) {
  double sum = 0.0;
  for (std::size_t i = begin; i < end; ++i) sum += double(x[i]) * x[i];
  return end > begin ? std::sqrt(sum / double(end - begin)) : 0.0;
}

double zero_crossing_hz(const std::vector<float>& x, double rate_hz, std::size_t begin,
                        std::size_t end) {
  double first = -1.0;
  double last = -1.0;
  int n_crossings = 0;
  for (std::size_t i = begin + 1; i < end; ++i) {
    if (x[i - 1] < 0.0f && x[i] >= 0.0f) {
      const double t = double(i - 1) + x[i - 1] / (double(x[i - 1]) - x[i]);
      if (first < 0) first = t;
      last = t;
      ++n_crossings;
    }
  }
  return n_crossings > 1 ? (n_crossings - 1) * rate_hz / (last - first) : 0.0;
}

}  // namespace dynemo::test
