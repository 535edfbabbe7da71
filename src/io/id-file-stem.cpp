// id_file_stem (dynemo/io.h): the one rule by which ids become file names.
#include <string>

#include "dynemo/io.h"

namespace dynemo {

std::string id_file_stem(const std::string& id) {
  static const char* digits = "0123456789ABCDEF";
  std::string name;
  for (std::size_t i = 0; i < id.size(); ++i) {
    const auto c = static_cast<unsigned char>(id[i]);
    const bool safe = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '_' || c == '-' || (c == '.' && i > 0);
    if (safe) {
      name += static_cast<char>(c);
    } else {
      name += '%';
      name += digits[c >> 4];
      name += digits[c & 15];
    }
  }
  return name;
}

}  // namespace dynemo
