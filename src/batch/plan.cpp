// plan_batch (dynemo/batch.h): inputs -> (input, output) pairs with one naming rule.
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <map>
#include <set>
#include <string>
#include <system_error>
#include <vector>

#include "dynemo/audio.h"
#include "dynemo/batch.h"
#include "dynemo/error.h"

namespace dynemo {
namespace {

namespace fs = std::filesystem;

// Whether a folder scan takes the file: a format load_audio decodes, or a music format it does
// not (the item then fails saying so, rather than the file being passed over in silence).
bool is_audio(const fs::path& p) {
  std::string ext = p.extension().string();
  if (ext.size() < 2) return false;
  ext = ext.substr(1);
  std::transform(ext.begin(), ext.end(), ext.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  for (const std::vector<std::string>* list :
       {&audio_extensions(), &undecoded_audio_extensions()}) {
    if (std::find(list->begin(), list->end(), ext) != list->end()) return true;
  }
  return false;
}

// The path used to recognise one file named twice (via a directory and directly, say).
std::string identity(const fs::path& path) {
  std::error_code ec;
  const fs::path canonical = fs::weakly_canonical(path, ec);
  return ec ? path.string() : canonical.string();
}

// The audio names below the folder `root` (given as `arg`). Symbolic links to folders are
// followed (a library spread over disks), each real folder walked once: the folder's own tree
// first (sorted), then each linked folder not walked yet, in name order, so a link back up the
// tree or to a folder already walked adds nothing, and a file reached both ways keeps its real
// path. An audio name that is not a readable file (a broken link, a pipe) is listed too: its
// item fails with the decoder's reason instead of being passed over.
std::vector<fs::path> audio_files_below(const fs::path& root, const std::string& arg) {
  std::vector<fs::path> files;
  std::set<std::string> walked;
  std::vector<fs::path> pending{root};
  while (!pending.empty()) {
    const fs::path folder = pending.front();
    pending.erase(pending.begin());
    if (!walked.insert(identity(folder)).second) continue;
    std::vector<fs::path> links;
    const std::size_t first = files.size();
    std::error_code ec;
    for (fs::recursive_directory_iterator
             it(folder, fs::directory_options::skip_permission_denied, ec),
         end;
         it != end; it.increment(ec)) {
      if (ec) throw Error(arg + ": cannot read the directory (" + ec.message() + ")");
      std::error_code type_ec;
      if (it->is_directory(type_ec)) {
        if (it->is_symlink(type_ec)) {
          links.push_back(it->path());
        } else if (!walked.insert(identity(it->path())).second) {
          it.disable_recursion_pending();  // inside a linked folder: walked already
        }
        continue;
      }
      if (is_audio(it->path())) files.push_back(it->path());
    }
    if (ec) throw Error(arg + ": cannot read the directory (" + ec.message() + ")");
    std::sort(files.begin() + static_cast<std::ptrdiff_t>(first), files.end());
    std::sort(links.begin(), links.end());
    pending.insert(pending.end(), links.begin(), links.end());
  }
  return files;
}

struct Found {
  fs::path input;
  fs::path relative;  // below the output folder, with the input's extension
};

}  // namespace

std::vector<BatchItem> plan_batch(const std::vector<std::string>& inputs,
                                  const std::string& output_dir, const std::string& extension) {
  std::vector<Found> found;
  std::set<std::string> seen;
  const auto add = [&](const fs::path& input, const fs::path& relative) {
    if (seen.insert(identity(input)).second) found.push_back({input, relative});
  };
  for (const std::string& arg : inputs) {
    std::error_code ec;
    const fs::path path(arg);
    if (!fs::is_directory(path, ec)) {
      add(path, path.filename());  // missing or not audio: its item says so
      continue;
    }
    const std::vector<fs::path> files = audio_files_below(path, arg);
    for (const fs::path& f : files) add(f, f.lexically_relative(path));
  }
  if (found.empty()) {
    std::string known;
    for (const std::string& ext : audio_extensions()) known += (known.empty() ? "" : " ") + ext;
    throw Error("no audio files found in the inputs (looked for: " + known + ")");
  }
  // Outputs without the input's extension, unless two inputs would share one.
  const auto output_of = [&](const Found& f, bool keep_extension) {
    fs::path out = fs::path(output_dir) / f.relative;
    if (keep_extension) {
      out += "." + extension;
    } else {
      out.replace_extension("." + extension);
    }
    return out.lexically_normal().string();
  };
  std::map<std::string, int> uses;
  for (const Found& f : found) ++uses[output_of(f, false)];
  std::vector<BatchItem> items;
  std::set<std::string> outputs;
  for (const Found& f : found) {
    std::string out = output_of(f, uses[output_of(f, false)] > 1);
    // Still taken (x.wav from two folders): -2, -3, ... before the extension, in input order.
    const std::string base = out.substr(0, out.size() - extension.size() - 1);
    for (int n = 2; !outputs.insert(out).second; ++n) {
      out = base + "-" + std::to_string(n) + "." + extension;
    }
    items.push_back({f.input.string(), out});
  }
  return items;
}

}  // namespace dynemo
