// `dynemo list features`: the feature-set registry, either as an aligned table (name, number of
// columns, description, reference) or, with --format markdown, as the Markdown document
// committed as docs/features.md (every set with its columns, and the FeatureConfig defaults).
// The documentation is generated from this output; test-cli checks the committed file matches.
#include <algorithm>
#include <cctype>
#include <iostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

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

void list_features_text(std::ostream& out) {
  std::vector<Row> rows = {{"name", "columns", "description", "reference"}};
  for (const FeatureSetInfo& set : feature_sets()) {
    rows.push_back({set.name, std::to_string(set.n_columns), set.description, set.reference});
  }
  print_table(rows, out);
}

// A run of consecutive columns: "mfcc_0".."mfcc_19" is {"mfcc_", 0, 20}; a column that is not
// "<stem>_<index>" ("rms") is a run of its own.
struct ColumnRun {
  std::string stem;          // "mfcc_", or the whole name
  std::size_t first = 0;     // index of the first name in the run
  std::size_t count = 1;     // number of names
  bool indexed = false;      // whether the names end in "_<index>"
  std::size_t position = 0;  // position of the first name among the set's columns
};

// Splits "mfcc_12" into ("mfcc_", 12); false for names not ending in "_<index>" (no leading
// zeros, so "mfcc_03" stays whole and is never printed as "mfcc_3").
bool split_index(const std::string& name, std::string& stem, std::size_t& index) {
  const std::size_t underscore = name.rfind('_');
  if (underscore == std::string::npos || underscore + 1 == name.size()) return false;
  const std::string digits = name.substr(underscore + 1);
  if (!std::all_of(digits.begin(), digits.end(), [](unsigned char c) { return std::isdigit(c); }) ||
      (digits.size() > 1 && digits[0] == '0') || digits.size() > 9) {
    return false;
  }
  stem = name.substr(0, underscore + 1);
  index = std::stoul(digits);
  return true;
}

std::vector<ColumnRun> column_runs(const std::vector<std::string>& columns) {
  std::vector<ColumnRun> runs;
  for (std::size_t position = 0; position < columns.size(); ++position) {
    ColumnRun run;
    run.position = position;
    run.indexed = split_index(columns[position], run.stem, run.first);
    if (!run.indexed) run.stem = columns[position];
    ColumnRun* last = runs.empty() ? nullptr : &runs.back();
    if (run.indexed && last != nullptr && last->indexed && last->stem == run.stem &&
        last->first + last->count == run.first) {
      ++last->count;
    } else {
      runs.push_back(run);
    }
  }
  return runs;
}

// Names "spectral.mfcc_0..19" and "spectral.rms"; their positions in the set "36..55" and "56".
std::string run_names(const std::string& set, const ColumnRun& run) {
  std::string text = set + "." + run.stem;
  if (run.indexed) {
    text += std::to_string(run.first);
    if (run.count > 1) text += ".." + std::to_string(run.first + run.count - 1);
  }
  return text;
}

std::string run_positions(const ColumnRun& run) {
  std::string text = std::to_string(run.position);
  if (run.count > 1) text += ".." + std::to_string(run.position + run.count - 1);
  return text;
}

// Text for a Markdown table cell: a '|' would end the cell.
std::string cell(const std::string& text) {
  std::string out;
  for (char c : text) out += c == '|' ? std::string("\\|") : std::string(1, c);
  return out;
}

std::string code(const std::string& text) { return "`" + text + "`"; }

// A one-line description as a sentence: first letter upper case, a full stop at the end.
std::string sentence(std::string text) {
  if (!text.empty()) text[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(text[0])));
  if (!text.empty() && text.back() != '.') text += '.';
  return text;
}

// The FeatureConfig defaults, from the library's JSON of FeatureConfig{}, with the `dynemo
// features` option that sets each field. Throws Error for a field without an option.
void print_config_defaults(std::ostream& out) {
  const std::vector<ConfigOption> options = config_options();
  out << "| field | default | option | meaning |\n|---|---|---|---|\n";
  const auto defaults = nlohmann::ordered_json::parse(feature_config_to_json(FeatureConfig{}));
  for (const auto& [key, value] : defaults.items()) {
    const auto option = std::find_if(options.begin(), options.end(),
                                     [&](const ConfigOption& o) { return o.key == key; });
    if (option == options.end()) {
      throw Error("list: FeatureConfig field '" + key +
                  "' has no `dynemo features` option in the option table (options.cpp)");
    }
    out << "| " << code(key) << " | " << code(value.dump()) << " | " << code(option->option)
        << " | " << cell(option->help) << " |\n";
  }
}

void list_features_markdown(std::ostream& out) {
  const std::vector<FeatureSetInfo>& sets = feature_sets();
  out << "<!-- Generated by `dynemo list features --format markdown` from the feature registry: "
         "do not edit.\n"
         "     Regenerate: build/apps/dynemo/dynemo list features --format markdown > "
         "docs/features.md -->\n\n"
         "# Feature sets\n\n"
         "`dynemo features --set SPEC` extracts the sets named in SPEC, joined by `+` or `,` "
         "(e.g. `spectral+cqt`).\n"
         "A feature table has a `time_s` column (the start of each window), then the columns "
         "of each set in the\n"
         "order of SPEC, named `<set>.<column>`; each row holds the mean of the frames centred in "
         "its window\n"
         "(`mediaeval2015`, `compare-lld-stats`: mean and standard deviation of the 10 ms LLD "
         "rows; `compare-lld`: one row\n"
         "per 10 ms, which cannot be combined with the 500 ms sets).\n"
         "Time grid, column naming, definitions, the CQT algorithm and what silence gives: "
         "[conventions.md](conventions.md).\n\n"
         "| set | columns | description |\n|---|---:|---|\n";
  for (const FeatureSetInfo& set : sets) {
    out << "| [" << code(set.name) << "](#" << set.name << ") | " << set.n_columns << " | "
        << cell(set.description) << " |\n";
  }

  out << "\n## Configuration defaults\n\n"
         "The settings every set shares: the defaults of `FeatureConfig` (include/dynemo/"
         "features.h). A feature file's\n"
         "JSON sidecar records them under `config`; each has a `dynemo features` option.\n\n";
  print_config_defaults(out);

  for (const FeatureSetInfo& set : sets) {
    out << "\n## " << code(set.name) << "\n\n"
        << sentence(set.description) << "\n\n"
        << "- columns: " << set.n_columns << "\n"
        << "- reference: " << set.reference << "\n\n"
        << "| position | columns |\n|---:|---|\n";
    // feature_columns gives "<set>.<column>"; the runs are built on the column part.
    std::vector<std::string> columns = feature_columns(set.name);
    for (std::string& c : columns) c = c.substr(set.name.size() + 1);
    for (const ColumnRun& run : column_runs(columns)) {
      out << "| " << run_positions(run) << " | " << code(run_names(set.name, run)) << " |\n";
    }
  }
}

}  // namespace

int run_list(const CliArgs& args) {
  if (args.list.what == "models") return run_list_models(args);
  if (args.list.what == "features") {
    if (args.list.format == "markdown") {
      list_features_markdown(std::cout);
    } else {
      list_features_text(std::cout);
    }
    return 0;
  }
  // The option table restricts the choices; this guards against a row added without a lister.
  throw ConfigError("list: unknown registry '" + args.list.what + "', expected: features, models");
}

}  // namespace dynemo::cli
