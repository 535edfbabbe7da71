// dynemo: command-line entry point. Parses the option table (options.cpp) and runs the chosen
// subcommand. Exit codes: 0 success, 1 an error (printed as "error: ..." on stderr), 2 a usage
// error (bad or missing arguments).
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
      if (command.app->parsed()) return command.run(args);
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
