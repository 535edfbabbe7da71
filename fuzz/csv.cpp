// The CSV reader under every dataset loader (src/data/csv.h): parse_csv on any bytes, then every
// cell through the accessors the loaders call (number, text, column lookup).
// Input: byte 0 ';' reads a ';'-separated file (DEAM's feature files), anything else a
// ','-separated one; the rest is the file.
#include <cstddef>
#include <cstdint>
#include <string>

#include "data/csv.h"
#include "fuzz-common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const char separator = data[0] == ';' ? ';' : ',';
  const std::string text(reinterpret_cast<const char*>(data) + 1, size - 1);
  using dynemo::fuzz::expect_errors;
  expect_errors([&] {
    const dynemo::data::CsvTable table = dynemo::data::parse_csv(text, "fuzz.csv", separator);
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
      for (std::size_t c = 0; c < table.header.size(); ++c) {
        // Each cell on its own: a bad cell must not hide the ones after it.
        expect_errors([&] { table.number(r, c, "a number"); });
        expect_errors([&] { table.text(r, c, "a song id"); });
        dynemo::data::parse_number(table.rows[r][c]);
      }
    }
    if (!table.header.empty()) table.find_column(table.header.back());
    table.column("song_id");
  });
  return 0;
}
