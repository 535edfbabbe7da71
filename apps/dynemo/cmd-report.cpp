// `dynemo report RUN [-o FILE] [--songs ID...] [-r ROOT] [-c CACHE]`: an HTML page of a
// cross-validation run (metrics, error histograms, predicted vs annotated curves, attention
// maps). The work is in the library (explain.h).
#include <iostream>

#include "cli.h"
#include "dynemo/explain.h"
#include "dynemo/io.h"

namespace dynemo::cli {

int run_report(const CliArgs& all) {
  const ReportArgs& args = all.report;
  ReportOptions options;
  options.songs = args.songs;
  options.root = args.root;
  options.cache_dir = cache_dir_or_default(args.cache_dir);
  const RunReport report = read_run_report(args.run_dir, options);
  const std::string output = args.output.empty() ? args.run_dir + "/report.html" : args.output;
  write_file_atomic(output, run_report_html(report));
  std::cout << args.run_dir << ": " << report.all_songs.size() << " songs, " << report.chosen.size()
            << " plotted -> " << output << "\n";
  for (const std::string& note : report.notes) std::cout << "note: " << note << "\n";
  return 0;
}

}  // namespace dynemo::cli
