// What the libFuzzer harnesses in fuzz/ share: the rule for what counts as a finding, a scratch
// folder in RAM for the readers that take a path, and the split of one input into several files.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <optional>
#include <string>
#include <vector>

#include "dynemo/error.h"

namespace dynemo::fuzz {

// Prints "unexpected exception <type>: <what>" to stderr and aborts, so that libFuzzer reports a
// crash and saves the input.
[[noreturn]] void unexpected(const char* type, const char* what);

// With DYNEMO_FUZZ_VERBOSE=1 in the environment, prints each expected error's message: to see
// where the seeds of a corpus end up (fuzz-x -runs=0 corpus/).
void note_expected(const Error& error);

// Runs `read`. A dynemo::Error (include/dynemo/error.h: every failure the readers document) is
// an expected outcome of bad input; any other exception is a finding. Crashes, sanitizer
// reports, timeouts and allocations over -malloc_limit_mb are findings by libFuzzer itself.
template <class Read>
void expect_errors(Read&& read) {
  try {
    read();
  } catch (const Error& e) {
    note_expected(e);  // the documented answer to a malformed file
  } catch (const std::exception& e) {
    unexpected("std::exception", e.what());
  } catch (...) {
    unexpected("(not a std::exception)", "");
  }
}

// A folder of this process for files the harness writes: under /dev/shm (RAM), or $TMPDIR or /tmp
// where there is no /dev/shm. Created on first use, removed with its contents at exit.
const std::string& scratch_dir();

// Writes `bytes` to <scratch>/<relative> (folders created) and returns the path.
std::string write_scratch(const std::string& relative, const std::string& bytes);

// Writes each part to its file, or removes the file when the part is absent: files left from the
// previous input never leak into this one.
void write_or_remove(const std::string& relative, const std::optional<std::string>& part);

// The separator line of inputs that hold several files ("\n--8<--\n", a pair of scissors).
extern const char kPartSeparator[];

// Splits an input at its separator lines into at most `max_parts` parts (the last keeps any
// further separators); parts the input does not reach are absent (std::nullopt), not empty.
std::vector<std::optional<std::string>> split_parts(const std::uint8_t* data, std::size_t size,
                                                    std::size_t max_parts);

}  // namespace dynemo::fuzz
