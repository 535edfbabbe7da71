// `dynemo list features`: the feature-set registry as an aligned table (name, number of columns,
// description, reference). Documentation is generated from this output.
#include <algorithm>
#include <iostream>
#include <string>
#include <vector>

#include "cli.h"
#include "dynemo/error.h"
#include "dynemo/features.h"

namespace dynemo::cli {
namespace {

using Row = std::vector<std::string>;

// Prints rows with every column but the last padded to its widest cell, two spaces apart.
void print_table(const std::vector<Row>& rows, std::ostream& out) {
  std::vector<std::size_t> widths;
  for (const Row& row : rows) {
    widths.resize(std::max(widths.size(), row.size()), 0);
    for (std::size_t c = 0; c < row.size(); ++c) widths[c] = std::max(widths[c], row[c].size());
  }
  for (const Row& row : rows) {
    std::string line;
    for (std::size_t c = 0; c < row.size(); ++c) {
      line += row[c];
      if (c + 1 < row.size()) line.append(widths[c] - row[c].size() + 2, ' ');
    }
    out << line << '\n';
  }
}

void list_features(std::ostream& out) {
  std::vector<Row> rows = {{"name", "columns", "description", "reference"}};
  for (const FeatureSetInfo& set : feature_sets()) {
    rows.push_back({set.name, std::to_string(set.n_columns), set.description, set.reference});
  }
  print_table(rows, out);
}

}  // namespace

int run_list(const CliArgs& args) {
  if (args.list.what == "features") {
    list_features(std::cout);
    return 0;
  }
  // The option table restricts the choices; this guards against a row added without a lister.
  throw ConfigError("list: unknown registry '" + args.list.what + "', expected: features");
}

}  // namespace dynemo::cli
