// Batches of audio files: which files the command line names, where each one's output goes, and
// running the work over them (bounded parallelism, finished items skipped, progress, the error
// log). One home for `dynemo features`, `dynemo predict` and the Python/Dask front ends. No
// LibTorch.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace dynemo {

// One file of a batch: where it comes from and where its output goes.
struct BatchItem {
  std::string input;   // audio file
  std::string output;  // its main output file
};

// The files named by `inputs` and their outputs: a file argument as given (a missing one too:
// its item fails with the decoder's message), OUT/<stem>.<extension>; a directory walked
// recursively (sorted; audio_extensions() and undecoded_audio_extensions(), whose items fail
// with the decoder's message, as do audio names that are broken links or pipes; symbolic links
// to folders followed, each real folder walked once),
// OUT/<path below the directory without its extension>.<extension>, so equal names in
// different album folders never collide. Files that would still share an output (a.mp3 and
// a.wav) keep their extension in it: OUT/a.mp3.<extension>, OUT/a.wav.<extension>; if that is
// still taken (x.wav given from two folders), -2, -3, ... follow in input order
// (OUT/x.wav.<extension>, OUT/x.wav-2.<extension>). A file named twice is planned once. Throws
// Error for an unreadable directory or when no file is found.
std::vector<BatchItem> plan_batch(const std::vector<std::string>& inputs,
                                  const std::string& output_dir, const std::string& extension);

struct BatchProgress {
  std::size_t n_total = 0;
  std::size_t n_done = 0;     // worked now
  std::size_t n_skipped = 0;  // output already current
  std::size_t n_failed = 0;
  double elapsed_s = 0;
  double audio_s = 0;  // audio worked so far (for the throughput)
};

struct BatchFailure {
  std::string input;
  std::string message;  // names the file and the problem
};

struct BatchResult {
  std::size_t n_done = 0, n_skipped = 0;
  std::vector<BatchFailure> failed;  // sorted by input
  double elapsed_s = 0, audio_s = 0;
  // Set when the batch stopped early because an output could not be written for want of room
  // (NoSpaceError): that failure's message. Items not started then are counted here.
  std::string stopped_because;
  std::size_t n_not_attempted = 0;
  // Why OUT/errors.log could not be written ("" when it was, or none was asked for): the
  // failures are then only in `failed` (and whatever the caller prints).
  std::string error_log_problem;
};

// What run_items does with each item.
struct BatchWork {
  // True when the item's output is complete and current: it is skipped. May be empty.
  std::function<bool(const BatchItem&)> is_done;
  // Does the item (writing its output); returns the seconds of audio it processed. A throw
  // fails the item and the batch goes on, except a NoSpaceError, after which no other item is
  // started (every later output would fail the same way).
  std::function<double(const BatchItem&)> run;
  // After every item (from worker threads, one call at a time). May be empty.
  std::function<void(const BatchItem&, const BatchFailure* failure, bool skipped)> on_item;
  std::function<void(const BatchProgress&)> on_progress;
};

// Runs `work` over the items, `jobs` at a time (1 to 256); then updates OUT/errors.log
// (write_error_log) when output_dir is not empty; a failure to write it does not throw but is
// reported in error_log_problem. Messages of failures always name the input.
BatchResult run_items(const std::vector<BatchItem>& items, int jobs, const BatchWork& work,
                      const std::string& output_dir);

// Runs fn(i) for every i in [0, n) on up to `jobs` threads (the calling thread is one), each
// taking the next index; returns when all are done. fn must not throw. The parallelism of
// run_items, for work that is not a batch of files (checking a cache's entries).
void parallel_for(std::size_t n, int jobs, const std::function<void(std::size_t)>& fn);

// Updates OUT/errors.log, one line "<input>\t<message>" per input that failed the last time it
// was attempted: the lines of `attempted` inputs are replaced by this run's `failed` ones, the
// lines of other inputs (an earlier run over other files into the same folder) are kept. The
// file is rewritten atomically, and removed when no line is left. Backslashes, tabs, newlines
// and carriage returns inside a path or message are written as \\, \t, \n and \r, so every
// failure is exactly one line of two fields. Throws IoError.
void write_error_log(const std::string& output_dir, const std::vector<BatchFailure>& failed,
                     const std::vector<std::string>& attempted);

}  // namespace dynemo
