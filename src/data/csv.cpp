// CSV reading for the dataset loaders (csv.h).
#include "csv.h"

#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <system_error>

#include "dynemo/error.h"

namespace dynemo::data {
namespace {

bool is_blank(char c) { return c == ' ' || c == '\t'; }

std::string trim(const std::string& text) {
  std::size_t begin = 0, end = text.size();
  while (begin < end && is_blank(text[begin])) ++begin;
  while (end > begin && is_blank(text[end - 1])) --end;
  return text.substr(begin, end - begin);
}

// Parses the whole of `text` as a double; false when any character is left over.
bool parse_double(const std::string& text, double& value) {
  const char* first = text.data();
  const char* last = first + text.size();
  if (first != last && *first == '+') {  // from_chars takes no '+'; "+-1" is no number
    ++first;
    if (first != last && *first == '-') return false;
  }
  const auto [end, ec] = std::from_chars(first, last, value);
  return ec == std::errc() && end == last;
}

// One record being assembled, and where it started.
struct Record {
  std::vector<std::string> cells;
  std::size_t line = 0;
};

// Splits `text` into records. Quoted cells keep their inner text verbatim (separators, "" ->
// ", line breaks); unquoted cells are trimmed of spaces and tabs.
std::vector<Record> split_records(const std::string& text, const std::string& path,
                                  char separator) {
  std::vector<Record> records;
  std::size_t i = 0;
  if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) i = 3;  // UTF-8 byte-order mark
  std::size_t line_no = 1;
  const std::size_t n = text.size();
  while (i < n) {
    Record record;
    record.line = line_no;
    bool end_of_record = false;
    while (!end_of_record) {
      // Leading blanks of a cell.
      while (i < n && is_blank(text[i])) ++i;
      std::string cell;
      if (i < n && text[i] == '"') {
        const std::size_t quote_line = line_no;
        ++i;
        bool closed = false;
        while (i < n) {
          if (text[i] == '"') {
            if (i + 1 < n && text[i + 1] == '"') {
              cell += '"';
              i += 2;
              continue;
            }
            ++i;
            closed = true;
            break;
          }
          if (text[i] == '\n') ++line_no;
          cell += text[i++];
        }
        if (!closed) {
          throw DataError(path + ":" + std::to_string(quote_line) + ":" +
                          std::to_string(record.cells.size() + 1) +
                          ": a quoted cell is not closed before the end of the file");
        }
        while (i < n && is_blank(text[i])) ++i;
        if (i < n && text[i] != separator && text[i] != '\n' && text[i] != '\r') {
          throw DataError(path + ":" + std::to_string(line_no) + ":" +
                          std::to_string(record.cells.size() + 1) +
                          ": text after the closing quote of a quoted cell");
        }
      } else {
        const std::size_t begin = i;
        while (i < n && text[i] != separator && text[i] != '\n' && text[i] != '\r') ++i;
        cell = trim(text.substr(begin, i - begin));
      }
      record.cells.push_back(std::move(cell));
      if (i < n && text[i] == separator) {
        ++i;
        continue;
      }
      // End of line (or of file): \n, \r\n or a lone \r.
      if (i < n && text[i] == '\r') ++i;
      if (i < n && text[i] == '\n') ++i;
      ++line_no;
      end_of_record = true;
    }
    const bool blank_line = record.cells.size() == 1 && record.cells[0].empty();
    if (!blank_line) records.push_back(std::move(record));
  }
  return records;
}

}  // namespace

std::optional<double> parse_number(const std::string& text) {
  double value = 0.0;
  if (!parse_double(text, value) || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::optional<std::size_t> CsvTable::find_column(const std::string& name) const {
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (header[c] == name) return c;
  }
  return std::nullopt;
}

std::size_t CsvTable::column(const std::string& name) const {
  if (const auto c = find_column(name)) return *c;
  std::string names;
  for (const std::string& h : header) names += (names.empty() ? "'" : ", '") + h + "'";
  throw DataError(path + ":1: no column '" + name + "' in the header (" + names + ")");
}

std::string CsvTable::where(std::size_t row, std::size_t col) const {
  return path + ":" + std::to_string(line.at(row)) + ":" + std::to_string(col + 1);
}

std::optional<double> CsvTable::number_or_empty(std::size_t row, std::size_t col) const {
  const std::string& cell = rows.at(row).at(col);
  if (cell.empty()) return std::nullopt;
  double value = 0.0;
  if (!parse_double(cell, value)) {
    throw DataError(where(row, col) + ": '" + cell + "' is not a number");
  }
  if (!std::isfinite(value)) {
    throw DataError(where(row, col) + ": '" + cell + "' is not a finite number");
  }
  return value;
}

double CsvTable::number(std::size_t row, std::size_t col, const std::string& what) const {
  if (const auto value = number_or_empty(row, col)) return *value;
  throw DataError(where(row, col) + ": empty cell, expected " + what);
}

const std::string& CsvTable::text(std::size_t row, std::size_t col, const std::string& what) const {
  const std::string& cell = rows.at(row).at(col);
  if (cell.empty()) throw DataError(where(row, col) + ": empty cell, expected " + what);
  return cell;
}

CsvTable parse_csv(const std::string& text, const std::string& path, char separator) {
  std::vector<Record> records = split_records(text, path, separator);
  if (records.empty()) throw DataError(path + ": empty file, expected a header line");
  CsvTable table;
  table.path = path;
  table.header = std::move(records[0].cells);
  table.rows.reserve(records.size() - 1);
  table.line.reserve(records.size() - 1);
  for (std::size_t r = 1; r < records.size(); ++r) {
    if (records[r].cells.size() != table.header.size()) {
      throw DataError(path + ":" + std::to_string(records[r].line) + ": " +
                      std::to_string(records[r].cells.size()) + " cells, the header has " +
                      std::to_string(table.header.size()));
    }
    table.rows.push_back(std::move(records[r].cells));
    table.line.push_back(records[r].line);
  }
  return table;
}

CsvTable read_csv(const std::string& path, char separator) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError(path + ": cannot open the file for reading (missing?)");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw DataError(path + ": read error");
  return parse_csv(text.str(), path, separator);
}

}  // namespace dynemo::data
