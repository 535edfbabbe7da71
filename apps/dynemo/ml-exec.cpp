// The commands that need LibTorch, in the light `dynemo` binary: they hand the whole command
// line to `dynemo-ml` (built beside it, the same option table linked with dynemo::ml), so that
// `dynemo --version`, `features`, `dataset`, `evaluate`, `split` and `cache` never load
// LibTorch (0.4 s and 160 MB of start-up). (`blend` needs no LibTorch itself but lives with
// the models in dynemo::ml.)
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "cli.h"
#include "dynemo/error.h"
#include "dynemo/runtime.h"

namespace dynemo::cli {
namespace {

int exec_ml() {
  const CommandLine& line = command_line();
  char self[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0)
    throw IoError("cannot find the dynemo executable: " + std::string(std::strerror(errno)));
  self[n] = '\0';
  std::string path(self);
  path = path.substr(0, path.rfind('/') + 1) + "dynemo-ml";
  // LibTorch allocates and frees tensors of megabytes with malloc; on fresh pages the faults cost
  // a third of a short predict's time.
  ask_for_huge_pages();
  std::fflush(nullptr);
  ::execv(path.c_str(), line.argv);
  throw IoError(path + ": cannot run the model half of dynemo (" + std::strerror(errno) +
                "); it is built and installed beside " + self);
}

}  // namespace

int run_train(const CliArgs&) { return exec_ml(); }
int run_cv(const CliArgs&) { return exec_ml(); }
int run_predict(const CliArgs&) { return exec_ml(); }
int run_stream(const CliArgs&) { return exec_ml(); }
int run_explain(const CliArgs&) { return exec_ml(); }
int run_report(const CliArgs&) { return exec_ml(); }
int run_blend(const CliArgs&) { return exec_ml(); }
int run_list_models(const CliArgs&) { return exec_ml(); }

}  // namespace dynemo::cli
