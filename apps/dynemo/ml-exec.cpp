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

namespace dynemo::cli {
namespace {

// LibTorch allocates and frees tensors of megabytes with malloc; glibc serves each from fresh
// pages, and the page faults cost a third of a short predict's time. glibc (>= 2.35) backs them
// with transparent huge pages when asked by the glibc.malloc.hugetlb tunable, read only at
// start-up: ask for it in dynemo-ml's environment unless the caller set it.
void ask_for_huge_pages() {
  constexpr const char* kTunable = "glibc.malloc.hugetlb";
  const char* given = std::getenv("GLIBC_TUNABLES");
  std::string tunables = given ? given : "";
  if (tunables.find(kTunable) != std::string::npos) return;
  tunables += (tunables.empty() ? "" : ":") + std::string(kTunable) + "=1";
  ::setenv("GLIBC_TUNABLES", tunables.c_str(), 1);
}

int exec_ml() {
  const CommandLine& line = command_line();
  char self[PATH_MAX];
  const ssize_t n = ::readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0)
    throw IoError("cannot find the dynemo executable: " + std::string(std::strerror(errno)));
  self[n] = '\0';
  std::string path(self);
  path = path.substr(0, path.rfind('/') + 1) + "dynemo-ml";
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
