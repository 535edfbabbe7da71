// The batch engine's end (dynemo/batch.h): errors.log kept across runs over other files, a batch
// that stops at the first output it has no room for, and an errors.log that cannot be written.
#include <atomic>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <new>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "dynemo/batch.h"
#include "dynemo/error.h"

namespace {

namespace fs = std::filesystem;

class BatchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("dynemo-batch-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "-" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string log_text() const {
    std::ifstream in(dir_ / "errors.log", std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
  }

  fs::path dir_;
};

std::vector<dynemo::BatchItem> items(const std::vector<std::string>& names) {
  std::vector<dynemo::BatchItem> out;
  for (const std::string& n : names) out.push_back({n, n + ".csv"});
  return out;
}

TEST_F(BatchTest, ErrorLogKeepsTheFailuresOfInputsThisRunDidNotAttempt) {
  dynemo::write_error_log(dir_.string(), {{"a.mp3", "a.mp3: truncated"}, {"b\tx.wav", "b: bad"}},
                          {"a.mp3", "b\tx.wav", "c.wav"});
  EXPECT_EQ(log_text(), "a.mp3\ta.mp3: truncated\nb\\tx.wav\tb: bad\n");
  // A later run over other files into the same folder: the earlier lines stay.
  dynemo::write_error_log(dir_.string(), {{"d.ogg", "d.ogg: corrupt"}}, {"d.ogg", "e.wav"});
  EXPECT_EQ(log_text(), "a.mp3\ta.mp3: truncated\nb\\tx.wav\tb: bad\nd.ogg\td.ogg: corrupt\n");
  // A run that retries a.mp3 and b (now fine) and fails a.mp3 again with another reason.
  dynemo::write_error_log(dir_.string(), {{"a.mp3", "a.mp3: empty"}}, {"a.mp3", "b\tx.wav"});
  EXPECT_EQ(log_text(), "a.mp3\ta.mp3: empty\nd.ogg\td.ogg: corrupt\n");
  // Everything fixed: no log.
  dynemo::write_error_log(dir_.string(), {}, {"a.mp3", "d.ogg"});
  EXPECT_FALSE(fs::exists(dir_ / "errors.log"));
}

TEST_F(BatchTest, NoRoomToWriteStopsTheBatchAndCountsWhatWasNotAttempted) {
  dynemo::BatchWork work;
  std::vector<std::string> ran;
  work.run = [&](const dynemo::BatchItem& item) -> double {
    ran.push_back(item.input);
    if (item.input == "bad.wav") throw dynemo::IoError("bad.wav: corrupt");
    if (item.input == "c.wav") {
      throw dynemo::NoSpaceError("cannot write OUT/c.csv: No space left on device");
    }
    return 1.0;
  };
  const dynemo::BatchResult r = dynemo::run_items(
      items({"a.wav", "bad.wav", "c.wav", "d.wav", "e.wav"}), 1, work, dir_.string());
  EXPECT_EQ(ran, (std::vector<std::string>{"a.wav", "bad.wav", "c.wav"}));
  EXPECT_EQ(r.n_done, 1u);
  ASSERT_EQ(r.failed.size(), 2u);
  EXPECT_EQ(r.n_not_attempted, 2u);
  EXPECT_EQ(r.stopped_because, "c.wav: cannot write OUT/c.csv: No space left on device");
  EXPECT_EQ(r.error_log_problem, "");
  EXPECT_EQ(log_text(),
            "bad.wav\tbad.wav: corrupt\nc.wav\tc.wav: cannot write OUT/c.csv: No space left on "
            "device\n");
}

TEST_F(BatchTest, OutOfMemoryIsNamedForTheItem) {
  dynemo::BatchWork work;
  work.run = [](const dynemo::BatchItem& item) -> double {
    if (item.input == "big.wav") throw std::bad_alloc();
    return 1.0;
  };
  const dynemo::BatchResult r =
      dynemo::run_items(items({"big.wav", "small.wav"}), 1, work, dir_.string());
  EXPECT_EQ(r.n_done, 1u);
  ASSERT_EQ(r.failed.size(), 1u);
  EXPECT_EQ(r.failed[0].message, "big.wav: out of memory while processing it (std::bad_alloc)");
}

TEST_F(BatchTest, AnErrorLogThatCannotBeWrittenIsReportedNotThrown) {
  // OUT/errors.log is a folder: the log cannot be replaced, the result says why.
  fs::create_directories(dir_ / "errors.log" / "x");
  dynemo::BatchWork work;
  work.run = [](const dynemo::BatchItem& item) -> double {
    throw dynemo::IoError(item.input + ": corrupt");
  };
  const dynemo::BatchResult r = dynemo::run_items(items({"a.wav"}), 1, work, dir_.string());
  ASSERT_EQ(r.failed.size(), 1u);
  EXPECT_NE(r.error_log_problem.find("errors.log"), std::string::npos) << r.error_log_problem;
}

TEST(ParallelFor, RunsEveryIndexOnceOnAtMostJobsThreads) {
  for (const int jobs : {1, 3, 8}) {
    std::vector<std::atomic<int>> calls(50);
    std::mutex mutex;
    std::set<std::thread::id> threads;
    dynemo::parallel_for(calls.size(), jobs, [&](std::size_t i) {
      ++calls[i];
      std::lock_guard<std::mutex> lock(mutex);
      threads.insert(std::this_thread::get_id());
    });
    for (std::size_t i = 0; i < calls.size(); ++i) EXPECT_EQ(calls[i], 1) << i;
    EXPECT_GE(threads.size(), 1u);
    EXPECT_LE(threads.size(), static_cast<std::size_t>(jobs));
    if (jobs == 1) {
      EXPECT_EQ(*threads.begin(), std::this_thread::get_id());
    }
  }
  int n_calls = 0;
  dynemo::parallel_for(0, 4, [&](std::size_t) { ++n_calls; });
  EXPECT_EQ(n_calls, 0);
}

}  // namespace
