// The end of a batch command (features, predict): every failure on stderr (they are also in
// OUT/errors.log, unless that could not be written), why the batch stopped early, the counts.
#include <iostream>

#include "cli.h"

namespace dynemo::cli {

int report_batch_end(const std::string& command, const char* done_word, const BatchResult& result,
                     const std::string& output_dir, bool failures_already_printed,
                     std::ostream& summary) {
  if (!failures_already_printed) {
    for (const BatchFailure& f : result.failed) std::cerr << "error: " << f.message << '\n';
  }
  if (!result.stopped_because.empty()) {
    std::cerr << command << ": stopped: no room to write the outputs (" << result.stopped_because
              << "); " << result.n_not_attempted << " input(s) not attempted\n";
  }
  if (!result.error_log_problem.empty()) {
    std::cerr << command << ": the failures above could not be listed in " << output_dir
              << "/errors.log: " << result.error_log_problem << '\n';
  }
  summary << command << ": " << result.n_done << ' ' << done_word << ", " << result.n_skipped
          << " skipped (output current; --force to redo), " << result.failed.size() << " failed";
  if (result.n_not_attempted > 0) summary << ", " << result.n_not_attempted << " not attempted";
  if (!result.failed.empty() && result.error_log_problem.empty()) {
    summary << " (listed in " << output_dir << "/errors.log)";
  }
  summary << std::endl;
  return result.failed.empty() && result.n_not_attempted == 0 ? 0 : 1;
}

}  // namespace dynemo::cli
