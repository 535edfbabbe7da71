// check_weights_archive (weights-archive.h): the zip structure (PKWARE APPNOTE 6.3: end of central
// directory, its Zip64 form, central and local headers), each record's CRC-32 (zlib) and the
// TorchScript sources of a LibTorch archive as dynemo writes them (torch::serialize::OutputArchive
// of nn::Module trees: attribute declarations only).
#include "models/weights-archive.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "dynemo/error.h"

namespace dynemo::models {
namespace {

constexpr std::uint32_t kLocalHeader = 0x04034b50;
constexpr std::uint32_t kCentralHeader = 0x02014b50;
constexpr std::uint32_t kEnd = 0x06054b50;
constexpr std::uint32_t kEnd64 = 0x06064b50;
constexpr std::uint32_t kEnd64Locator = 0x07064b50;
constexpr std::size_t kEndBytes = 22, kEnd64Bytes = 56, kLocatorBytes = 20;
constexpr std::size_t kCentralBytes = 46, kLocalBytes = 30;
constexpr std::uint64_t kMaxRecords = 1u << 20;

[[noreturn]] void fail(const std::string& path, const std::string& problem) {
  throw IoError(path + ": not a model weights file dynemo can read: " + problem);
}

// Little-endian fields of `bytes`, bounds-checked by the callers.
std::uint64_t le(std::string_view bytes, std::size_t at, int n) {
  std::uint64_t v = 0;
  for (int i = n - 1; i >= 0; --i) {
    v = (v << 8) | static_cast<unsigned char>(bytes[at + static_cast<std::size_t>(i)]);
  }
  return v;
}

struct Record {
  std::string name;
  std::uint64_t crc = 0, size = 0, compressed = 0, local = 0, method = 0;
};

// The central directory's offset, size and record count, from the end record (and its Zip64 form
// when a field is saturated).
void find_directory(std::string_view b, const std::string& path, std::uint64_t* offset,
                    std::uint64_t* size, std::uint64_t* count) {
  if (b.size() < kEndBytes) fail(path, "too short for a zip archive");
  // The end record lies in the last 22 + 65535 bytes (its comment is at most 65535 bytes).
  std::size_t at = b.size() - kEndBytes;
  const std::size_t lowest = b.size() > kEndBytes + 65535 ? b.size() - kEndBytes - 65535 : 0;
  while (le(b, at, 4) != kEnd) {
    if (at == lowest) fail(path, "no zip end-of-central-directory record (a cut or damaged file)");
    --at;
  }
  *count = le(b, at + 10, 2);
  *size = le(b, at + 12, 4);
  *offset = le(b, at + 16, 4);
  if (*count == 0xFFFF || *size == 0xFFFFFFFF || *offset == 0xFFFFFFFF) {
    if (at < kLocatorBytes || le(b, at - kLocatorBytes, 4) != kEnd64Locator) {
      fail(path, "a saturated zip end record without its Zip64 locator");
    }
    const std::uint64_t end64 = le(b, at - kLocatorBytes + 8, 8);
    if (b.size() < kEnd64Bytes || end64 > b.size() - kEnd64Bytes || le(b, end64, 4) != kEnd64) {
      fail(path, "the Zip64 end record lies outside the file");
    }
    *count = le(b, end64 + 32, 8);
    *size = le(b, end64 + 40, 8);
    *offset = le(b, end64 + 48, 8);
  }
  if (*offset > b.size() || *size > b.size() - *offset) {
    fail(path, "the zip central directory lies outside the file (a cut or damaged file)");
  }
  if (*count > kMaxRecords) fail(path, std::to_string(*count) + " zip records");
}

// The Zip64 extra field's 64-bit values for the saturated 32-bit ones, in APPNOTE order.
void read_zip64_extra(std::string_view extra, Record& r, const std::string& path) {
  std::size_t at = 0;
  while (at + 4 <= extra.size()) {
    const std::uint64_t id = le(extra, at, 2), n = le(extra, at + 2, 2);
    if (at + 4 + n > extra.size()) break;
    if (id == 0x0001) {
      std::size_t k = at + 4;
      for (std::uint64_t* field : {&r.size, &r.compressed, &r.local}) {
        if (*field != 0xFFFFFFFF) continue;
        if (k + 8 > at + 4 + n) fail(path, "record " + r.name + ": a short Zip64 extra field");
        *field = le(extra, k, 8);
        k += 8;
      }
      return;
    }
    at += 4 + n;
  }
  if (r.size == 0xFFFFFFFF || r.compressed == 0xFFFFFFFF || r.local == 0xFFFFFFFF) {
    fail(path, "record " + r.name + ": saturated sizes without a Zip64 extra field");
  }
}

std::vector<Record> read_directory(std::string_view b, const std::string& path) {
  std::uint64_t offset = 0, size = 0, count = 0;
  find_directory(b, path, &offset, &size, &count);
  std::vector<Record> records;
  std::size_t at = offset;
  const std::size_t end = offset + size;
  for (std::uint64_t i = 0; i < count; ++i) {
    if (at + kCentralBytes > end || le(b, at, 4) != kCentralHeader) {
      fail(path, "zip central directory entry " + std::to_string(i + 1) + " is damaged");
    }
    Record r;
    r.method = le(b, at + 10, 2);
    r.crc = le(b, at + 16, 4);
    r.compressed = le(b, at + 20, 4);
    r.size = le(b, at + 24, 4);
    const std::size_t name_n = le(b, at + 28, 2), extra_n = le(b, at + 30, 2);
    const std::size_t comment_n = le(b, at + 32, 2);
    r.local = le(b, at + 42, 4);
    if (at + kCentralBytes + name_n + extra_n + comment_n > end) {
      fail(path, "zip central directory entry " + std::to_string(i + 1) + " runs past it");
    }
    r.name = std::string(b.substr(at + kCentralBytes, name_n));
    read_zip64_extra(b.substr(at + kCentralBytes + name_n, extra_n), r, path);
    records.push_back(std::move(r));
    at += kCentralBytes + name_n + extra_n + comment_n;
  }
  return records;
}

// Compressed records (LibTorch deflates its sources and pickles, never the tensors) are inflated
// up to this size; a larger claim is refused rather than allocated.
constexpr std::uint64_t kMaxInflatedBytes = 64u << 20;

// The record's bytes, after its local header (whose name must be the directory's): the stored
// bytes themselves, or the deflated ones inflated into *inflated.
std::string_view record_bytes(std::string_view b, const Record& r, const std::string& path,
                              std::string* inflated) {
  if (r.local > b.size() || b.size() - r.local < kLocalBytes || le(b, r.local, 4) != kLocalHeader) {
    fail(path, "the local header of record " + r.name + " is missing or damaged");
  }
  const std::size_t name_n = le(b, r.local + 26, 2), extra_n = le(b, r.local + 28, 2);
  const std::uint64_t data = r.local + kLocalBytes + name_n + extra_n;
  if (data > b.size() || r.compressed > b.size() - data) {
    fail(path, "record " + r.name + " runs past the end of the file (a cut or damaged file)");
  }
  if (b.substr(r.local + kLocalBytes, name_n) != r.name) {
    fail(path, "record " + r.name + ": its local header names another record");
  }
  const std::string_view raw = b.substr(data, r.compressed);
  if (r.method == 0) {
    if (r.compressed != r.size) fail(path, "record " + r.name + ": stored with two sizes");
    return raw;
  }
  if (r.method != 8) {
    fail(path, "record " + r.name + " uses zip method " + std::to_string(r.method) +
                   "; LibTorch's archives store or deflate their records");
  }
  if (r.size > kMaxInflatedBytes || r.compressed > std::numeric_limits<uInt>::max()) {
    fail(path, "record " + r.name + " claims " + std::to_string(r.size) + " bytes deflated");
  }
  inflated->assign(r.size, '\0');
  z_stream z{};
  if (inflateInit2(&z, -MAX_WBITS) != Z_OK) fail(path, "zlib cannot start inflating");
  z.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
  z.avail_in = static_cast<uInt>(raw.size());
  z.next_out = reinterpret_cast<Bytef*>(inflated->data());
  z.avail_out = static_cast<uInt>(inflated->size());
  const int status = inflate(&z, Z_FINISH);
  const bool whole = status == Z_STREAM_END && z.total_out == r.size;
  inflateEnd(&z);
  if (!whole)
    fail(path, "record " + r.name + " does not inflate to its size (the file is damaged)");
  return *inflated;
}

// `s` cut to `most` bytes, those outside printable ASCII as '?': for messages.
std::string printable(std::string_view s, std::size_t most) {
  std::string out(s.substr(0, most));
  for (char& c : out) c = c >= 0x20 && c < 0x7f ? c : '?';
  return s.size() > most ? out + "..." : out;
}

bool is_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_identifier(std::string_view s) {
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

bool starts(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// "__torch__.Module" or "__torch__.___torch_mangle_<n>.Module".
bool is_module_type(std::string_view s) {
  if (s == "__torch__.Module") return true;
  constexpr std::string_view head = "__torch__.___torch_mangle_", tail = ".Module";
  return s.size() > head.size() + tail.size() && starts(s, head) &&
         s.substr(s.size() - tail.size()) == tail &&
         is_digits(s.substr(head.size(), s.size() - head.size() - tail.size()));
}

// The types an attribute of dynemo's modules and archives has: a tensor (a parameter, a
// buffer, a RIDGE member's matrix), a submodule, or a plain value.
bool is_attribute_type(std::string_view type) {
  return type == "Tensor" || type == "bool" || type == "int" || type == "float" || type == "str" ||
         type == "Optional[Tensor]" || type == "Optional[bool]" || is_module_type(type);
}

// `"name", "name", ` (each name of letters, digits, '_' and '.'), possibly empty.
bool is_name_list(std::string_view s) {
  while (!s.empty()) {
    if (s[0] != '"') return false;
    const std::size_t close = s.find('"', 1);
    if (close == std::string_view::npos || close == 1) return false;
    for (char c : s.substr(1, close - 1)) {
      if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '.') return false;
    }
    if (s.substr(close + 1, 2) != ", ") return false;
    s.remove_prefix(close + 3);
  }
  return true;
}

// A line of the class sources dynemo's archives hold.
bool is_declaration(std::string_view line) {
  if (line.empty() || line == "class Module(Module):" || line == "  __annotations__ = []") {
    return true;
  }
  for (std::string_view list : {"  __parameters__ = [", "  __buffers__ = ["}) {
    if (starts(line, list) && line.back() == ']') {
      return is_name_list(line.substr(list.size(), line.size() - list.size() - 1));
    }
  }
  constexpr std::string_view annotation = "  __annotations__[";
  if (starts(line, annotation)) {
    const std::size_t close = line.find("] = ");
    return close != std::string_view::npos &&
           is_name_list(std::string(line.substr(annotation.size(), close - annotation.size())) +
                        ", ") &&
           is_attribute_type(line.substr(close + 4));
  }
  const std::size_t colon = line.find(" : ");
  if (!starts(line, "  ") || colon == std::string_view::npos) return false;
  return is_identifier(line.substr(2, colon - 2)) && is_attribute_type(line.substr(colon + 3));
}

void check_source(std::string_view text, const std::string& name, const std::string& path) {
  std::size_t line_no = 1;
  if (!starts(text, "class Module(Module):\n")) {
    fail(path, name + " does not begin with the class declaration dynemo's archives hold");
  }
  while (!text.empty()) {
    const std::size_t end = std::min(text.find('\n'), text.size());
    if (!is_declaration(text.substr(0, end))) {
      fail(path, name + " line " + std::to_string(line_no) + " ('" +
                     printable(text.substr(0, end), 80) +
                     "') is not an attribute declaration as dynemo writes them");
    }
    text.remove_prefix(std::min(text.size(), end + 1));
    ++line_no;
  }
}

// The part of a record's name after the archive's folder: "data.pkl", "data/3", "code/...".
void check_name(const std::string& name, const std::string& folder, const std::string& path) {
  const bool same_folder =
      name.size() > folder.size() + 1 && starts(name, folder) && name[folder.size()] == '/';
  const std::string_view rest =
      same_folder ? std::string_view(name).substr(folder.size() + 1) : std::string_view();
  constexpr std::string_view mangled = "code/__torch__/___torch_mangle_";
  const auto source = [&](std::string_view s) {
    if (s == "code/__torch__.py") return true;
    return starts(s, mangled) && s.size() > mangled.size() + 3 && s.substr(s.size() - 3) == ".py" &&
           is_digits(s.substr(mangled.size(), s.size() - mangled.size() - 3));
  };
  const auto debug = [&](std::string_view s) {
    constexpr std::string_view suffix = ".debug_pkl";
    return s.size() > suffix.size() && s.substr(s.size() - suffix.size()) == suffix &&
           source(s.substr(0, s.size() - suffix.size()));
  };
  const bool known = rest == "data.pkl" || rest == "constants.pkl" || rest == "version" ||
                     (starts(rest, "data/") && is_digits(rest.substr(5))) || source(rest) ||
                     debug(rest);
  if (!known) {
    fail(path,
         "a record named '" + printable(name, 200) + "', which dynemo's archives do not hold");
  }
}

}  // namespace

void check_weights_archive_bytes(std::string_view bytes, const std::string& path) {
  const std::vector<Record> records = read_directory(bytes, path);
  if (records.empty()) fail(path, "an empty zip archive");
  const std::string folder = records.front().name.substr(0, records.front().name.find('/'));
  bool has_data = false, has_version = false;
  for (const Record& r : records) {
    check_name(r.name, folder, path);
    std::string inflated;
    const std::string_view data = record_bytes(bytes, r, path, &inflated);
    // zlib's crc32 takes at most UINT_MAX bytes a call.
    uLong crc = crc32(0L, Z_NULL, 0);
    for (std::size_t at = 0; at < data.size(); at += 1u << 30) {
      const std::size_t n = std::min<std::size_t>(data.size() - at, 1u << 30);
      crc = crc32(crc, reinterpret_cast<const Bytef*>(data.data() + at), static_cast<uInt>(n));
    }
    if (crc != r.crc) {
      fail(path, "record " + r.name + " fails its CRC-32 check (the file is damaged)");
    }
    const std::string_view rest = std::string_view(r.name).substr(folder.size() + 1);
    if (rest.size() > 3 && rest.substr(rest.size() - 3) == ".py") {
      check_source(data, r.name, path);
    }
    has_data = has_data || rest == "data.pkl";
    has_version = has_version || rest == "version";
  }
  if (!has_data || !has_version) fail(path, "the archive lacks its data.pkl or version record");
}

void check_weights_archive(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw IoError(path + ": cannot open the model weights: " + std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    throw IoError(path + ": the model weights are not a regular file");
  }
  const auto n = static_cast<std::size_t>(st.st_size);
  if (n == 0) {
    ::close(fd);
    fail(path, "the file is empty");
  }
  // Mapped, not read: the pages are the page cache's, so checking costs no fresh memory.
  void* map = ::mmap(nullptr, n, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
  ::close(fd);
  if (map == MAP_FAILED) throw IoError(path + ": cannot map the model weights");
  try {
    check_weights_archive_bytes(std::string_view(static_cast<const char*>(map), n), path);
  } catch (...) {
    ::munmap(map, n);
    throw;
  }
  ::munmap(map, n);
}

}  // namespace dynemo::models
