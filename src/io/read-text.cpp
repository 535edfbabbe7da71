// read_text_file: small text files (configs, sidecars, splits) read whole; their hash.
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "common/hash.h"
#include "dynemo/error.h"
#include "dynemo/io.h"

namespace dynemo {

std::string read_text_file(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path + ": cannot open the " + what + " for reading");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw IoError(path + ": read error");
  return text.str();
}

std::string file_fnv1a(const std::string& path, const std::string& what) {
  const std::string bytes = read_text_file(path, what);
  char hex[20];
  std::snprintf(hex, sizeof hex, "%016llx",
                static_cast<unsigned long long>(fnv1a(kFnv1aOffset, bytes.data(), bytes.size())));
  return hex;
}

}  // namespace dynemo
