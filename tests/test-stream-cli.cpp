// `dynemo stream` end to end: the rows of `dynemo predict` from raw PCM piped in, each row out
// while the input is still being written, and clear errors for bad PCM and options.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "dynemo/audio.h"
#include "file-helpers.h"

namespace fs = std::filesystem;
using dynemo::testing::contains;
using dynemo::testing::run_command;
using dynemo::testing::shell_quote;
using dynemo::testing::split;

namespace {

const std::string kClip = std::string(DYNEMO_SOURCE_DIR) + "/examples/wesnoth_battle_epic_45s.flac";
// The model `dynemo stream` uses by default (the shipped causal one), given to `predict` to
// compare.
const std::string kStreamModel =
    " -m " + dynemo::testing::shell_quote(std::string(DYNEMO_SOURCE_DIR) +
                                          "/models/deam-listener-ctx_mlp_256x2_c6-v3");

struct Row {
  double t, a, v;
};

std::vector<Row> data_rows(const std::string& text) {
  std::vector<Row> rows;
  for (const std::string& line : split(text, '\n')) {
    if (line.empty() || line[0] < '0' || line[0] > '9') continue;
    const std::vector<std::string> f = split(line, ',');
    rows.push_back({std::stod(f.at(0)), std::stod(f.at(1)), std::stod(f.at(2))});
  }
  return rows;
}

// s16 little-endian bytes of x (as ffmpeg -f s16le writes them).
std::string s16_bytes(const std::vector<float>& x) {
  std::string b(2 * x.size(), '\0');
  for (std::size_t i = 0; i < x.size(); ++i) {
    const auto v = static_cast<std::int16_t>(
        std::lround(std::max(-32768.0, std::min(32767.0, x[i] * 32768.0))));
    b[2 * i] = static_cast<char>(v & 0xff);
    b[2 * i + 1] = static_cast<char>((v >> 8) & 0xff);
  }
  return b;
}

class StreamCliTest : public dynemo::testing::TempDirTest {
 protected:
  StreamCliTest() : TempDirTest("dynemo-test-stream-cli") {}
  dynemo::testing::CommandRun stream(const std::string& input_file, const std::string& args) {
    return run_command(shell_quote(DYNEMO_CLI) + " stream " + args + " <" + shell_quote(input_file),
                       dir_);
  }
};

}  // namespace

TEST_F(StreamCliTest, PipedPcmGivesTheRowsOfPredict) {
  const dynemo::Audio audio = dynemo::load_audio(kClip);  // 44.1 kHz mono, 16-bit source
  const fs::path pcm = dir_ / "clip.s16";
  dynemo::testing::write(pcm, s16_bytes(audio.samples));
  const auto predicted =
      run_command(shell_quote(DYNEMO_CLI) + " predict " + shell_quote(kClip) + kStreamModel +
                      " -o " + shell_quote((dir_ / "pred").string()),
                  dir_);
  ASSERT_EQ(predicted.exit_code, 0) << predicted.err;
  const std::vector<Row> expect =
      data_rows(dynemo::testing::read_file(dir_ / "pred" / "wesnoth_battle_epic_45s.csv"));
  const auto run = stream(pcm.string(), "--format csv");
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(contains(run.out, "# stream: latency_s 0.48")) << run.out.substr(0, 200);
  const std::vector<Row> got = data_rows(run.out);
  ASSERT_EQ(got.size(), expect.size());
  ASSERT_EQ(got.size(), 90u);
  for (std::size_t k = 0; k < got.size(); ++k) {
    EXPECT_DOUBLE_EQ(got[k].t, expect[k].t);
    EXPECT_NEAR(got[k].a, expect[k].a, 1e-4) << "row " << k;
    EXPECT_NEAR(got[k].v, expect[k].v, 1e-4) << "row " << k;
  }
  // JSON Lines: a header with the latency, then the same rows.
  const auto jsonl = stream(pcm.string(), "--format jsonl");
  ASSERT_EQ(jsonl.exit_code, 0) << jsonl.err;
  const std::vector<std::string> lines = split(jsonl.out, '\n');
  EXPECT_TRUE(contains(lines.at(0), "\"latency_s\":0.48")) << lines.at(0);
  EXPECT_TRUE(contains(lines.at(1), "{\"time_s\":0.000,\"arousal\":")) << lines.at(1);
}

// A feeder writes 0.5 s of audio at a time and, after each write, waits for the rows it should
// have released: the row of window k must be out once window k + 1 has been written (the
// documented latency, 0.48 s after the window's end, is under one window).
TEST_F(StreamCliTest, EachRowIsOutBeforeTheNextWindowButOneIsFed) {
  std::vector<float> x = dynemo::load_audio(kClip).samples;
  x.resize(20 * 44100);
  const std::string bytes = s16_bytes(x);
  int to_child[2], from_child[2];
  ASSERT_EQ(pipe(to_child), 0);
  ASSERT_EQ(pipe(from_child), 0);
  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    dup2(to_child[0], 0);
    dup2(from_child[1], 1);
    close(to_child[1]);
    close(from_child[0]);
    execl(DYNEMO_CLI, DYNEMO_CLI, "stream", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(to_child[0]);
  close(from_child[1]);
  std::string out;
  const auto rows_out = [&] { return data_rows(out).size(); };
  const std::size_t chunk = 2 * 22050;  // 0.5 s of s16 mono
  for (std::size_t j = 0; j * chunk < bytes.size(); ++j) {
    ASSERT_EQ(write(to_child[1], bytes.data() + j * chunk, chunk), static_cast<ssize_t>(chunk));
    // Windows 0 .. j have been written: rows 0 .. j - 1 must come out without more input.
    const std::size_t want = j;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (rows_out() < want && std::chrono::steady_clock::now() < deadline) {
      pollfd p{from_child[0], POLLIN, 0};
      if (poll(&p, 1, 100) > 0) {
        char buf[4096];
        const ssize_t got = read(from_child[0], buf, sizeof buf);
        if (got > 0) out.append(buf, static_cast<std::size_t>(got));
      }
    }
    ASSERT_GE(rows_out(), want) << "row " << want - 1 << " not out after window " << j
                                << " was written";
    EXPECT_LE(rows_out(), j + 1) << "a row came out before its window was complete";
  }
  close(to_child[1]);
  char buf[4096];
  ssize_t got;
  while ((got = read(from_child[0], buf, sizeof buf)) > 0)
    out.append(buf, static_cast<std::size_t>(got));
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_EQ(rows_out(), 40u);
}

TEST_F(StreamCliTest, BadPcmAndOptionsGetClearErrors) {
  const fs::path odd = dir_ / "odd.s16";
  dynemo::testing::write(odd, std::string(44101 * 2 + 1, '\0'));  // one byte too many
  auto run = stream(odd.string(), "");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(contains(run.err, "<stdin>: ")) << run.err;
  EXPECT_TRUE(contains(run.err, "1 byte(s) of an incomplete s16 sample")) << run.err;

  std::vector<float> f(44100, 0.25f);
  f[30000] = std::nanf("");
  std::string fb(4 * f.size(), '\0');
  std::memcpy(fb.data(), f.data(), fb.size());
  const fs::path nan = dir_ / "nan.f32";
  dynemo::testing::write(nan, fb);
  run = stream(nan.string(), "--sample-format f32");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(contains(run.err, "<stdin>")) << run.err;
  EXPECT_TRUE(contains(run.err, "at index 30000 (nan)")) << run.err;

  const fs::path silence = dir_ / "silence.s16";
  dynemo::testing::write(silence, std::string(44100 * 2, '\0'));
  // Out-of-range options are usage errors, refused before anything is read.
  run = stream(silence.string(), "--sample-rate 1000000");
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_TRUE(contains(run.err, "--sample-rate: must be in 8000..384000 Hz, got 1000000"))
      << run.err;
  run = stream(silence.string(), "--sample-rate 0");
  EXPECT_EQ(run.exit_code, 2) << run.err;
  run = stream(silence.string(), "--channels 100");
  EXPECT_EQ(run.exit_code, 2) << run.err;
  EXPECT_TRUE(contains(run.err, "--channels: must be in 1..64, got 100")) << run.err;
  run = stream(silence.string(), "--sample-format s24");
  EXPECT_EQ(run.exit_code, 2) << run.err;

  const fs::path tiny = dir_ / "tiny.s16";
  dynemo::testing::write(tiny, std::string(4410 * 2, '\0'));  // 0.1 s
  run = stream(tiny.string(), "");
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(contains(run.err, "<stdin>: ")) << run.err;
  EXPECT_TRUE(contains(run.err, "too short")) << run.err;
}

TEST_F(StreamCliTest, AnAudioFileStreamsLikeItsPcm) {
  const auto run =
      run_command(shell_quote(DYNEMO_CLI) + " stream --input " + shell_quote(kClip), dir_);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  const auto predicted = run_command(shell_quote(DYNEMO_CLI) + " predict " + shell_quote(kClip) +
                                         kStreamModel + " -o " + shell_quote((dir_ / "p").string()),
                                     dir_);
  ASSERT_EQ(predicted.exit_code, 0);
  const std::vector<Row> expect =
      data_rows(dynemo::testing::read_file(dir_ / "p" / "wesnoth_battle_epic_45s.csv"));
  const std::vector<Row> got = data_rows(run.out);
  ASSERT_EQ(got.size(), expect.size());
  for (std::size_t k = 0; k < got.size(); ++k) {
    EXPECT_NEAR(got[k].a, expect[k].a, 1e-4) << k;
    EXPECT_NEAR(got[k].v, expect[k].v, 1e-4) << k;
  }
}
