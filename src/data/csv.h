// A small CSV reader for the dataset files (RFC 4180 with the leniencies real dataset files
// need): a configurable separator (',' or ';'), quoted fields with embedded separators, quotes
// ("") and line breaks, spaces and tabs around a cell trimmed (emoMusic's songs_info.csv has
// cells like "\t2.mp3"), CRLF line ends, a UTF-8 byte-order mark and blank lines ignored.
// Private to src/data. Errors are DataError naming FILE:LINE:COLUMN (1-based; COLUMN counts
// cells, not characters).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace dynemo::data {

class CsvTable {
 public:
  std::string path;                            // the file, as named in messages
  std::vector<std::string> header;             // first record, trimmed
  std::vector<std::vector<std::string>> rows;  // the records after the header
  std::vector<std::size_t> line;               // line on which each row starts (1-based)

  // Index of the header cell equal to `name`, if any.
  std::optional<std::size_t> find_column(const std::string& name) const;
  // Index of the header cell `name`. Throws DataError "FILE: no column 'name' in the header".
  std::size_t column(const std::string& name) const;

  // "FILE:LINE:COLUMN" of cell `col` of row `row` (0-based indices).
  std::string where(std::size_t row, std::size_t col) const;

  // The cell as a finite number; an empty cell is std::nullopt. Throws DataError
  // "FILE:LINE:COLUMN: 'abc' is not a number" or "...: 'nan' is not a finite number".
  std::optional<double> number_or_empty(std::size_t row, std::size_t col) const;
  // As number_or_empty, but an empty cell throws DataError ("...: empty cell, expected <what>").
  double number(std::size_t row, std::size_t col, const std::string& what = "a number") const;
  // The cell as text; an empty cell throws DataError ("...: empty cell, expected <what>").
  const std::string& text(std::size_t row, std::size_t col, const std::string& what) const;
};

// Reads a whole CSV file with a header line. Every row must have as many cells as the header
// (DataError "FILE:LINE: 5 cells, the header has 62"). Throws DataError when the file cannot
// be opened, is empty, or has an unterminated quote or text after a closing quote.
CsvTable read_csv(const std::string& path, char separator = ',');

// Parses CSV text (as read_csv, `path` only names it in messages).
CsvTable parse_csv(const std::string& text, const std::string& path, char separator = ',');

// Strict number parsing: the whole of `text` must be a decimal or scientific number (an
// optional sign, no surrounding space). Returns std::nullopt for anything else, NaN and Inf
// included.
std::optional<double> parse_number(const std::string& text);

}  // namespace dynemo::data
