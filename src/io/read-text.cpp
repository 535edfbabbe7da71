// read_text_file: small text files (configs, sidecars, splits) read whole.
#include <fstream>
#include <sstream>
#include <string>

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

}  // namespace dynemo
