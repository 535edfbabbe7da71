// `dynemo list models`: the model families of the registry (dynemo::ml).
#include <iostream>

#include "cli.h"
#include "dynemo/train.h"

namespace dynemo::cli {
namespace {

// `dynemo list models`: one block per model family (text), or a Markdown table.
void list_models(std::ostream& out, bool markdown) {
  if (markdown) {
    out << "| name | example | description | reference |\n|---|---|---|---|\n";
    for (const ModelFamily& m : model_families()) {
      out << "| `" << m.pattern << "` | `" << m.example << "` | " << m.description << " | "
          << m.reference << " |\n";
    }
    return;
  }
  for (const ModelFamily& m : model_families()) {
    out << m.pattern << "  (e.g. " << m.example << ")\n  " << m.description
        << "\n  ref: " << m.reference << "\n";
  }
}

}  // namespace

int run_list_models(const CliArgs& args) {
  list_models(std::cout, args.list.format == "markdown");
  return 0;
}

}  // namespace dynemo::cli
