// Prediction files of `dynemo evaluate`: <song_id>.csv with header time_s,arousal,valence, read
// strictly (every malformed cell is an error naming file, line and field).
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include "dynemo/error.h"
#include "dynemo/evaluation.h"
#include "dynemo/io.h"

namespace dynemo {
namespace {

namespace fs = std::filesystem;

constexpr const char* kHeader = "time_s,arousal,valence";
constexpr const char* kHeaderWithSd = "time_s,arousal,valence,arousal_sd,valence_sd";

std::string position(const std::string& path, std::size_t line, std::size_t column) {
  return path + ":" + std::to_string(line) + ":" + std::to_string(column) + ": ";
}

// The whole cell as a finite number, else DataError at path:line:column.
double parse_number(const std::string& cell, const std::string& path, std::size_t line,
                    std::size_t column, const char* name) {
  const char* begin = cell.c_str();
  char* end = nullptr;
  errno = 0;
  const double value = std::strtod(begin, &end);
  const bool whole = !cell.empty() && end == begin + cell.size() && cell.front() != ' ' &&
                     cell.front() != '\t' && cell.front() != '\n';
  if (!whole || errno == ERANGE || !std::isfinite(value)) {
    throw DataError(position(path, line, column) + "'" + cell + "' is not a finite number (" +
                    name + ")");
  }
  return value;
}

std::vector<std::string> split_cells(const std::string& line) {
  std::vector<std::string> cells;
  std::size_t start = 0;
  for (;;) {
    const std::size_t comma = line.find(',', start);
    cells.push_back(line.substr(start, comma - start));
    if (comma == std::string::npos) return cells;
    start = comma + 1;
  }
}

}  // namespace

SongPrediction read_prediction_csv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(path + ": cannot open the prediction file for reading");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) throw IoError(path + ": read error");
  const std::string text = buffer.str();

  // Lines without their ends ("\n" or "\r\n"); a final line end adds no empty line.
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(line);
    start = end + 1;
  }
  if (lines.empty()) {
    throw DataError(position(path, 1, 1) + "empty file, expected the header " + kHeader);
  }
  if (!lines.empty() && lines[0].rfind("\xEF\xBB\xBF", 0) == 0) lines[0].erase(0, 3);  // BOM
  // Leading "# ..." lines are provenance comments (dynemo predict writes one).
  std::size_t first = 0;
  while (first < lines.size() && lines[first].rfind('#', 0) == 0) ++first;
  if (first == lines.size()) {
    throw DataError(position(path, first + 1, 1) + "empty file, expected the header " + kHeader);
  }
  const std::string& header = lines[first];
  if (header != kHeader && header != kHeaderWithSd) {
    throw DataError(position(path, first + 1, 1) + "header '" + header + "', expected " + kHeader +
                    " or " + kHeaderWithSd);
  }
  const bool with_sd = header == kHeaderWithSd;
  const std::size_t n_fields = with_sd ? 5 : 3;

  SongPrediction prediction;
  for (std::size_t i = first + 1; i < lines.size(); ++i) {
    const std::size_t line = i + 1;
    const std::vector<std::string> cells = split_cells(lines[i]);
    if (cells.size() != n_fields) {
      throw DataError(position(path, line, 1) + std::to_string(cells.size()) +
                      " fields, expected " + std::to_string(n_fields) + " (" + header + ")");
    }
    const double time_s = parse_number(cells[0], path, line, 1, "time_s");
    if (!prediction.time_s.empty() && !(time_s > prediction.time_s.back())) {
      std::ostringstream previous;
      previous.precision(10);
      previous << prediction.time_s.back();
      throw DataError(position(path, line, 1) + "time_s " + cells[0] +
                      " is not after the previous row's " + previous.str() +
                      ", expected strictly ascending times");
    }
    prediction.time_s.push_back(time_s);
    prediction.arousal.push_back(parse_number(cells[1], path, line, 2, "arousal"));
    prediction.valence.push_back(parse_number(cells[2], path, line, 3, "valence"));
    if (!with_sd) continue;
    for (std::size_t d = 0; d < 2; ++d) {
      const char* name = d == 0 ? "arousal_sd" : "valence_sd";
      const double sd = parse_number(cells[3 + d], path, line, 4 + d, name);
      if (!(sd > 0.0)) {
        throw DataError(position(path, line, 4 + d) + name + " " + cells[3 + d] +
                        " is not > 0, expected a standard deviation");
      }
      (d == 0 ? prediction.arousal_sd : prediction.valence_sd).push_back(sd);
    }
  }
  return prediction;
}

std::string prediction_csv(const SongPrediction& prediction) {
  const bool with_sd = prediction.has_sd();
  std::string out = std::string(with_sd ? kHeaderWithSd : kHeader) + "\n";
  char line[160];
  for (std::size_t i = 0; i < prediction.time_s.size(); ++i) {
    if (with_sd) {
      std::snprintf(line, sizeof line, "%.3f,%.6g,%.6g,%.6g,%.6g\n", prediction.time_s[i],
                    prediction.arousal[i], prediction.valence[i], prediction.arousal_sd.at(i),
                    prediction.valence_sd.at(i));
    } else {
      std::snprintf(line, sizeof line, "%.3f,%.6g,%.6g\n", prediction.time_s[i],
                    prediction.arousal[i], prediction.valence[i]);
    }
    out += line;
  }
  return out;
}

std::map<std::string, SongPrediction> read_prediction_dir(
    const std::string& dir, const std::vector<std::string>& song_ids) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw IoError(dir + ": not a directory of prediction files (<song_id>.csv)");
  }
  std::map<std::string, SongPrediction> predictions;
  for (const std::string& id : song_ids) {
    const fs::path file = fs::path(dir) / (id_file_stem(id) + ".csv");
    if (!fs::exists(file, ec)) continue;
    predictions.emplace(id, read_prediction_csv(file.string()));
  }
  return predictions;
}

std::vector<std::string> foreign_prediction_files(const std::string& dir,
                                                  const std::vector<std::string>& song_ids) {
  std::set<std::string> known;
  for (const std::string& id : song_ids) known.insert(id_file_stem(id) + ".csv");
  std::vector<std::string> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    const bool csv = name.size() > 4 && name.compare(name.size() - 4, 4, ".csv") == 0;
    const bool beside = name.find(".attention.") != std::string::npos ||
                        name.find(".attribution.") != std::string::npos;
    if (csv && !beside && !known.count(name) && it->is_regular_file(ec)) out.push_back(name);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace dynemo
