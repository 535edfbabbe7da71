// Reads the reference feature tables of ../shared/reference (comma-separated, header row).
#pragma once

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace dynemo::test {

struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<double>> rows;

  std::size_t index(const std::string& name) const {
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (columns[i] == name) return i;
    }
    throw std::runtime_error("reference table has no column " + name);
  }
  std::vector<double> column(const std::string& name) const {
    const std::size_t c = index(name);
    std::vector<double> v;
    for (const auto& r : rows) v.push_back(r[c]);
    return v;
  }
};

inline Table read_csv(const std::string& path, char separator = ',') {
  std::ifstream in(path);
  if (!in) throw std::runtime_error("cannot open " + path);
  Table t;
  std::string line;
  std::getline(in, line);
  std::stringstream header(line);
  for (std::string cell; std::getline(header, cell, separator);) t.columns.push_back(cell);
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::stringstream row(line);
    std::vector<double> values;
    for (std::string cell; std::getline(row, cell, separator);) {
      try {
        values.push_back(std::stod(cell));
      } catch (const std::exception&) {
        values.push_back(0.0);  // non-numeric cells (names) are not compared
      }
    }
    t.rows.push_back(std::move(values));
  }
  return t;
}

}  // namespace dynemo::test
