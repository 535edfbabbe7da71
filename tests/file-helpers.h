// Helpers for tests that write files: a fixture giving each test its own empty directory,
// reading files back (whole, or as dynemo feature CSV / NPY), and running programs with their
// output captured.
#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <system_error>
#include <vector>

#include <gtest/gtest.h>

namespace dynemo::testing {

// Whole file as bytes; empty if it cannot be read.
inline std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// "a,b,,c" -> {"a", "b", "", "c"}; a trailing separator adds no empty part.
inline std::vector<std::string> split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string part;
  std::istringstream in(text);
  while (std::getline(in, part, separator)) parts.push_back(part);
  return parts;
}

inline bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// A feature CSV as dynemo writes it: header cells and numeric rows.
struct Csv {
  std::vector<std::string> header;
  std::vector<std::vector<double>> rows;
};

inline Csv read_csv(const std::filesystem::path& path) {
  Csv csv;
  const std::vector<std::string> lines = split(read_file(path), '\n');
  if (lines.empty()) return csv;
  csv.header = split(lines[0], ',');
  for (std::size_t i = 1; i < lines.size(); ++i) {
    std::vector<double> row;
    for (const std::string& cell : split(lines[i], ',')) row.push_back(std::stod(cell));
    csv.rows.push_back(row);
  }
  return csv;
}

// A float32 .npy file: shape from the header, values from the data.
struct Npy {
  std::string header;
  std::vector<float> values;
};

inline Npy read_npy(const std::filesystem::path& path) {
  const std::string bytes = read_file(path);
  Npy npy;
  if (bytes.size() < 10 || bytes.compare(0, 6, "\x93NUMPY") != 0) return npy;
  const std::size_t header_len =
      static_cast<unsigned char>(bytes[8]) |
      (static_cast<std::size_t>(static_cast<unsigned char>(bytes[9])) << 8);
  npy.header = bytes.substr(10, header_len);
  const std::size_t start = 10 + header_len;
  npy.values.resize((bytes.size() - start) / 4);
  // '<f4' data; assumes a little-endian host.
  std::memcpy(npy.values.data(), bytes.data() + start, npy.values.size() * 4);
  return npy;
}

// `text` in single quotes for /bin/sh.
inline std::string shell_quote(const std::string& text) {
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

// What a finished program printed, and its exit code (-1 if it did not exit normally).
struct CommandRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

// Runs the shell command line `command` with stdout and stderr captured in files under `dir`.
inline CommandRun run_command(const std::string& command, const std::filesystem::path& dir) {
  const std::filesystem::path out = dir / "stdout.txt", err = dir / "stderr.txt";
  const std::string line =
      command + " >" + shell_quote(out.string()) + " 2>" + shell_quote(err.string());
  const int status = std::system(line.c_str());
  CommandRun run;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  run.out = read_file(out);
  run.err = read_file(err);
  return run;
}

// Each test gets dir_ = <tmp>/<prefix>-<test name>-<pid>, empty at the start and removed at the
// end, so tests can run in parallel processes (ctest -j).
class TempDirTest : public ::testing::Test {
 protected:
  explicit TempDirTest(std::string prefix) : prefix_(std::move(prefix)) {}

  void SetUp() override {
    const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
    dir_ = std::filesystem::temp_directory_path() /
           (prefix_ + "-" + info->name() + "-" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }

  void TearDown() override {
    std::error_code ec;
    std::filesystem::permissions(dir_, std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::add, ec);
    std::filesystem::remove_all(dir_, ec);
  }

  std::filesystem::path dir_;

 private:
  std::string prefix_;
};

// Writes `text` to `path`, creating its folders.
inline void write(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << text;
}

}  // namespace dynemo::testing

// Expects `statement` to throw `type` whose message contains `text` (as fmt's EXPECT_THROW_MSG,
// but a substring is enough).
#define EXPECT_THROW_MSG(statement, type, text)                              \
  do {                                                                       \
    try {                                                                    \
      statement;                                                             \
      ADD_FAILURE() << "expected " #type " from " #statement;                \
    } catch (const type& e) {                                                \
      EXPECT_TRUE(::dynemo::testing::contains(e.what(), text))               \
          << "message: " << e.what() << "\nexpected to contain: " << (text); \
    }                                                                        \
  } while (0)
