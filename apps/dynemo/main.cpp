// dynemo: command-line entry point. Parses the option table (options.cpp) and runs the chosen
// subcommand. Exit codes: 0 success, 1 an error (printed as "error: ..." on stderr), 2 a usage
// error (bad or missing arguments).
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <iostream>
#include <new>
#include <string>

#include <CLI/CLI.hpp>

#include "cli.h"
#include "dynemo/error.h"
#include "dynemo/version.h"

namespace {

constexpr int kExitError = 1;
constexpr int kExitUsage = 2;

std::string version_text() {
  return std::string("dynemo ") + dynemo::kVersion + " (git " + dynemo::kGitSha + ")";
}

// Ends the process once a command has run: its outputs are written, renamed into place and closed,
// so what is left is handing memory back and LibTorch's and OpenBLAS's static teardown, ~0.06 s
// of a 1 s `dynemo predict` of one file. The streams are flushed and the process ends without
// them (the torch-free `dynemo` has no such teardown and returns as usual).
int finish(int code) {
#ifdef DYNEMO_CLI_ML
  std::cout.flush();
  std::cerr.flush();
  std::fflush(nullptr);
  std::_Exit(code);
#endif
  return code;
}

}  // namespace

namespace dynemo::cli {
namespace {
CommandLine the_command_line;
}  // namespace
void set_command_line(int argc, char** argv) { the_command_line = {argc, argv}; }
const CommandLine& command_line() { return the_command_line; }
}  // namespace dynemo::cli

int main(int argc, char** argv) {
  dynemo::cli::set_command_line(argc, argv);
  CLI::App app{"dynemo: dynamic music emotion recognition toolkit", "dynemo"};
  app.set_version_flag("--version", version_text(), "Print the version and git SHA, then exit");
  app.require_subcommand(1);
  app.footer("Run `dynemo <command> --help` for the options of a command.");

  dynemo::cli::CliArgs args;
  const std::vector<dynemo::cli::Command> commands = dynemo::cli::add_commands(app, args);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);  // --help, --version
    std::cerr << "error: " << e.what() << "\nRun with --help for more information.\n";
    return kExitUsage;
  }
  dynemo::cli::record_given(commands, args);

  try {
    for (const dynemo::cli::Command& command : commands) {
      if (command.app->parsed()) return finish(command.run(args));
    }
    std::cerr << "error: no command given\n";
    return kExitUsage;
  } catch (const dynemo::Error& e) {
    std::cerr << "error: " << e.what() << '\n';
  } catch (const std::bad_alloc&) {
    std::cerr << "error: out of memory (std::bad_alloc): the machine could not give dynemo the "
                 "memory this command needs\n";
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << '\n';
  }
  return kExitError;
}
