// `dynemo explain FILE -o report.html [--png DIR] [-m MODEL]`: one track's prediction explained
// on a self-contained HTML page (and optionally as PNG images). The work is in the library
// (explain.h).
#include <algorithm>
#include <cstdio>
#include <iostream>

#include "cli.h"
#include "dynemo/explain.h"
#include "dynemo/predict.h"

namespace dynemo::cli {

int run_explain(const CliArgs& all) {
  const ExplainArgs& args = all.explain;
  const std::string model = args.model.empty() ? default_model_path() : args.model;
  const TrackExplanation e = explain_track(args.input, model);
  write_explanation(e, args.output, args.png_dir);
  char means[64];  // as `predict` prints them
  std::snprintf(means, sizeof means, "mean arousal %+.3f, valence %+.3f", e.summary.arousal_mean,
                e.summary.valence_mean);
  std::cout << args.input << ": " << windows_text(e.summary) << ", " << means << " ("
            << e.summary.label << ") -> " << args.output << "\n";
  return 0;
}

}  // namespace dynemo::cli
