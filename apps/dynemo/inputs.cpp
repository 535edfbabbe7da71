// Turning the command line's input arguments into a list of audio files, and checking that
// their outputs will not overwrite each other.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include "cli.h"
#include "dynemo/audio.h"
#include "dynemo/error.h"

namespace dynemo::cli {
namespace {

namespace fs = std::filesystem;

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool has_audio_extension(const fs::path& path) {
  std::string extension = path.extension().string();
  if (extension.size() < 2) return false;
  extension = lower(extension.substr(1));
  const std::vector<std::string>& known = audio_extensions();
  return std::find(known.begin(), known.end(), extension) != known.end();
}

// Audio files under `directory`, sorted so that runs are reproducible.
std::vector<std::string> walk(const fs::path& directory) {
  std::vector<std::string> files;
  std::error_code ec;
  fs::recursive_directory_iterator it(directory, fs::directory_options::follow_directory_symlink,
                                      ec);
  for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code type_ec;
    if (it->is_regular_file(type_ec) && has_audio_extension(it->path())) {
      files.push_back(it->path().string());
    }
  }
  if (ec) {
    throw Error("cannot read input directory " + directory.string() + ": " + ec.message());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// The path used to recognise one file named twice (via a directory and directly, say).
std::string identity(const std::string& path) {
  std::error_code ec;
  const fs::path canonical = fs::weakly_canonical(path, ec);
  return ec ? path : canonical.string();
}

}  // namespace

std::vector<std::string> collect_inputs(const std::vector<std::string>& inputs) {
  std::vector<std::string> files;
  std::set<std::string> seen;
  for (const std::string& input : inputs) {
    std::error_code ec;
    // A path that is not a directory is passed on as a file even when missing or not audio:
    // load_audio then reports exactly what is wrong with it.
    std::vector<std::string> found =
        fs::is_directory(input, ec) ? walk(input) : std::vector<std::string>{input};
    for (std::string& file : found) {
      if (seen.insert(identity(file)).second) files.push_back(std::move(file));
    }
  }
  if (files.empty()) {
    std::string names;
    for (const std::string& input : inputs) names += (names.empty() ? "" : ", ") + input;
    std::string known;
    for (const std::string& ext : audio_extensions()) known += (known.empty() ? "" : " ") + ext;
    throw Error("no audio files found in " + names + " (looked for extensions: " + known + ")");
  }
  return files;
}

void check_unique_stems(const std::vector<std::string>& files) {
  std::map<std::string, std::string> by_stem;
  for (const std::string& file : files) {
    const std::string stem = fs::path(file).stem().string();
    const auto [it, inserted] = by_stem.emplace(stem, file);
    if (!inserted) {
      throw Error("inputs " + it->second + " and " + file + " would both write outputs named '" +
                  stem + "': rename one or process them in separate runs");
    }
  }
}

}  // namespace dynemo::cli
