// Unit tests of src/io: atomic writes, CSV and NPY feature files, the JSON sidecar, the file
// names of ids.
#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <limits>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include "doc-keys.h"

#include "dynemo/error.h"
#include "dynemo/evaluation.h"
#include "dynemo/io.h"
#include "dynemo/version.h"
#include "file-helpers.h"

namespace fs = std::filesystem;
using dynemo::testing::read_file;
using dynemo::testing::split;

namespace {

// Expects `statement` to throw IoError whose message contains `text`.
#define EXPECT_IO_ERROR_CONTAINS(statement, text)                            \
  do {                                                                       \
    try {                                                                    \
      statement;                                                             \
      ADD_FAILURE() << "expected dynemo::IoError from " #statement;          \
    } catch (const dynemo::IoError& e) {                                     \
      EXPECT_NE(std::string(e.what()).find(text), std::string::npos)         \
          << "message: " << e.what() << "\nexpected to contain: " << (text); \
    }                                                                        \
  } while (0)

std::vector<std::string> directory_entries(const fs::path& directory) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(directory)) {
    names.push_back(entry.path().filename().string());
  }
  return names;
}

// 3 windows x 3 columns with awkward values: tiny, huge, negative, NaN, many digits.
dynemo::FeatureMatrix sample_matrix() {
  dynemo::FeatureMatrix m;
  m.columns = {"spectral.centroid", "spectral.mfcc_0", "cqt.cqt_17"};
  m.time_s = {0.0, 0.5, 0.1 * 3};
  m.values = {440.0f,
              -1.0e-7f,
              3.14159265f,  //
              1.0e30f,
              0.0f,
              -123.456789f,  //
              std::numeric_limits<float>::quiet_NaN(),
              1.17549435e-38f,
              7.0f};
  return m;
}

class IoTest : public dynemo::testing::TempDirTest {
 protected:
  IoTest() : TempDirTest("dynemo-test-io") {}
};

TEST_F(IoTest, CsvRoundTripKeepsHeaderTimesAndValues) {
  const dynemo::FeatureMatrix m = sample_matrix();
  const fs::path path = dir_ / "song.csv";
  dynemo::write_features_csv(path.string(), m);

  const std::vector<std::string> lines = split(read_file(path), '\n');
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], "time_s,spectral.centroid,spectral.mfcc_0,cqt.cqt_17");
  for (std::size_t row = 0; row < 3; ++row) {
    const std::vector<std::string> cells = split(lines[row + 1], ',');
    ASSERT_EQ(cells.size(), 4u) << lines[row + 1];
    EXPECT_DOUBLE_EQ(std::stod(cells[0]), m.time_s[row]);
    for (std::size_t col = 0; col < 3; ++col) {
      const float expected = m.at(row, col);
      if (std::isnan(expected)) {
        EXPECT_EQ(cells[col + 1], "nan");
        continue;
      }
      const double parsed = std::stod(cells[col + 1]);
      EXPECT_LE(std::fabs(parsed - expected), 1e-6 * std::fabs(expected))
          << "row " << row << " col " << col << ": " << cells[col + 1];
      EXPECT_EQ(static_cast<float>(parsed), expected) << "9 digits round-trip a float exactly";
    }
  }
  // Times print short: 0.1 * 3 is 0.30000000000000004 in binary.
  EXPECT_EQ(split(lines[1], ',')[0], "0");
  EXPECT_EQ(split(lines[2], ',')[0], "0.5");
  EXPECT_EQ(split(lines[3], ',')[0], "0.3");
}

TEST_F(IoTest, CsvWithNoRowsIsJustTheHeader) {
  dynemo::FeatureMatrix m;
  m.columns = {"a.x", "a.y"};
  const fs::path path = dir_ / "empty.csv";
  dynemo::write_features_csv(path.string(), m);
  EXPECT_EQ(read_file(path), "time_s,a.x,a.y\n");
}

TEST_F(IoTest, CsvRejectsInconsistentMatrixNamingThePath) {
  dynemo::FeatureMatrix m = sample_matrix();
  m.values.pop_back();
  const fs::path path = dir_ / "bad.csv";
  EXPECT_IO_ERROR_CONTAINS(dynemo::write_features_csv(path.string(), m), path.string());
  EXPECT_IO_ERROR_CONTAINS(dynemo::write_features_csv(path.string(), m), "8 values");
  EXPECT_FALSE(fs::exists(path));
}

TEST_F(IoTest, CsvRejectsColumnNamesThatNeedQuoting) {
  dynemo::FeatureMatrix m = sample_matrix();
  m.columns[1] = "a,b";
  EXPECT_IO_ERROR_CONTAINS(dynemo::write_features_csv((dir_ / "x.csv").string(), m), "\"a,b\"");
}

TEST_F(IoTest, NpyHeaderBytesAreExact) {
  dynemo::FeatureMatrix m;
  m.columns = {"a.x", "a.y"};
  m.time_s = {0.0, 0.5, 1.0};
  m.values = {1, 2, 3, 4, 5, 6};
  const fs::path path = dir_ / "m.npy";
  dynemo::write_features_npy(path.string(), m);

  const std::string dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }";
  // 10 preamble bytes + 59 dict bytes + 1 newline = 70, padded to 128: 118 = 0x76 header bytes.
  const std::string expected_header =
      std::string("\x93NUMPY\x01\x00\x76\x00", 10) + dict + std::string(58, ' ') + "\n";
  ASSERT_EQ(expected_header.size(), 128u);

  const std::string bytes = read_file(path);
  ASSERT_EQ(bytes.size(), 128u + 6 * 4);
  EXPECT_EQ(bytes.substr(0, 128), expected_header);
}

TEST_F(IoTest, NpyDataReadsBackBitExactLittleEndian) {
  const dynemo::FeatureMatrix m = sample_matrix();
  const fs::path path = dir_ / "m.npy";
  dynemo::write_features_npy(path.string(), m);

  const std::string bytes = read_file(path);
  const std::size_t header_len =
      static_cast<unsigned char>(bytes[8]) |
      (static_cast<std::size_t>(static_cast<unsigned char>(bytes[9])) << 8);
  const std::size_t data_start = 10 + header_len;
  EXPECT_EQ(data_start % 64, 0u);
  EXPECT_EQ(bytes[data_start - 1], '\n');
  EXPECT_NE(bytes.find("'shape': (3, 3)"), std::string::npos);
  ASSERT_EQ(bytes.size(), data_start + m.values.size() * 4);
  for (std::size_t i = 0; i < m.values.size(); ++i) {
    std::uint32_t bits = 0;
    for (int b = 0; b < 4; ++b) {
      bits |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[data_start + 4 * i + b]))
              << (8 * b);
    }
    std::uint32_t expected_bits;
    std::memcpy(&expected_bits, &m.values[i], 4);
    EXPECT_EQ(bits, expected_bits) << "value " << i;
  }
}

TEST_F(IoTest, NpyHeaderStaysAlignedForLargeShapes) {
  for (std::size_t rows : {0u, 7u, 12345u}) {
    dynemo::FeatureMatrix m;
    m.columns.assign(449, "c.x");
    m.time_s.assign(rows, 0.0);
    m.values.assign(rows * 449, 0.25f);
    const fs::path path = dir_ / ("big" + std::to_string(rows) + ".npy");
    dynemo::write_features_npy(path.string(), m);
    const std::string bytes = read_file(path);
    const std::size_t header_len =
        static_cast<unsigned char>(bytes[8]) |
        (static_cast<std::size_t>(static_cast<unsigned char>(bytes[9])) << 8);
    EXPECT_EQ((10 + header_len) % 64, 0u);
    EXPECT_NE(bytes.find("(" + std::to_string(rows) + ", 449)"), std::string::npos);
    EXPECT_EQ(bytes.size(), 10 + header_len + rows * 449 * 4);
  }
}

TEST_F(IoTest, AtomicWriteCreatesParentsAndLeavesNoTemporary) {
  const fs::path path = dir_ / "a" / "b" / "out.txt";
  dynemo::write_file_atomic(path.string(), "hello\n");
  EXPECT_EQ(read_file(path), "hello\n");
  EXPECT_EQ(directory_entries(path.parent_path()), std::vector<std::string>{"out.txt"});
}

TEST_F(IoTest, AtomicWriteReplacesAnExistingFile) {
  const fs::path path = dir_ / "out.txt";
  dynemo::write_file_atomic(path.string(), "a much longer first version\n");
  dynemo::write_file_atomic(path.string(), "short\n");
  EXPECT_EQ(read_file(path), "short\n");
  EXPECT_EQ(directory_entries(dir_), std::vector<std::string>{"out.txt"});
}

TEST_F(IoTest, ConcurrentAtomicWritesLeaveOneWholeVersion) {
  const fs::path path = dir_ / "out.txt";
  const std::string a(100000, 'a'), b(50000, 'b');
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] { dynemo::write_file_atomic(path.string(), i % 2 ? a : b); });
  }
  for (std::thread& t : threads) t.join();
  const std::string content = read_file(path);
  EXPECT_TRUE(content == a || content == b);
  EXPECT_EQ(directory_entries(dir_), std::vector<std::string>{"out.txt"});
}

TEST_F(IoTest, AtomicWriteTakesNamesUpToTheFileSystemsLimit) {
  // 255 bytes is the longest name Linux file systems take; the temporary name must fit too.
  for (std::size_t length : {std::size_t{230}, std::size_t{255}}) {
    const std::string name = std::string(length - 4, 'n') + ".csv";
    const fs::path path = dir_ / name;
    dynemo::write_file_atomic(path.string(), "long\n");
    EXPECT_EQ(read_file(path), "long\n") << length;
    EXPECT_EQ(directory_entries(dir_), std::vector<std::string>{name}) << length;
    fs::remove(path);
  }
  // Past the limit: the error names the path and the problem.
  const fs::path too_long = dir_ / (std::string(256, 'n'));
  EXPECT_IO_ERROR_CONTAINS(dynemo::write_file_atomic(too_long.string(), "x"), "too long");
}

TEST_F(IoTest, AtomicWriteErrorNamesThePathWhenTheParentIsAFile) {
  dynemo::write_file_atomic((dir_ / "plain").string(), "x");
  const fs::path path = dir_ / "plain" / "out.csv";
  EXPECT_IO_ERROR_CONTAINS(dynemo::write_file_atomic(path.string(), "x"), path.string());
  EXPECT_IO_ERROR_CONTAINS(dynemo::write_file_atomic(path.string(), "x"), "Not a directory");
}

TEST_F(IoTest, AtomicWriteErrorNamesThePathForAnUnwritableDirectory) {
  if (::geteuid() == 0) GTEST_SKIP() << "root can write to read-only directories";
  const fs::path locked = dir_ / "locked";
  fs::create_directories(locked);
  fs::permissions(locked, fs::perms::owner_read | fs::perms::owner_exec);
  const fs::path path = locked / "out.csv";
  EXPECT_IO_ERROR_CONTAINS(dynemo::write_file_atomic(path.string(), "x"), path.string());
  EXPECT_IO_ERROR_CONTAINS(dynemo::write_file_atomic(path.string(), "x"), "Permission denied");
  EXPECT_TRUE(directory_entries(locked).empty());
}

TEST_F(IoTest, FailedRenameRemovesTheTemporary) {
  const fs::path path = dir_ / "occupied";
  fs::create_directories(path / "child");  // rename() cannot replace a non-empty directory
  EXPECT_IO_ERROR_CONTAINS(dynemo::write_file_atomic(path.string(), "x"), path.string());
  EXPECT_EQ(directory_entries(dir_), std::vector<std::string>{"occupied"});
}

TEST_F(IoTest, SidecarRecordsProvenanceAndLayout) {
  const dynemo::FeatureMatrix m = sample_matrix();
  dynemo::FeatureProvenance provenance;
  provenance.input = "music/song.flac";
  provenance.spec = "spectral";
  provenance.config.hop_s = 0.25;
  provenance.format = "csv";
  const fs::path path = dir_ / "song.json";
  dynemo::write_features_sidecar(path.string(), m.columns, m.time_s, provenance);

  const nlohmann::json doc = nlohmann::json::parse(read_file(path));
  EXPECT_EQ(doc.at("dynemo_version"), dynemo::kVersion);
  EXPECT_EQ(doc.at("git_sha"), dynemo::kGitSha);
  EXPECT_EQ(doc.at("input"), "music/song.flac");
  EXPECT_EQ(doc.at("spec"), "spectral");
  EXPECT_EQ(doc.at("format"), "csv");
  EXPECT_EQ(doc.at("feature_hash"), dynemo::feature_hash("spectral", provenance.config));
  EXPECT_EQ(doc.at("config"),
            nlohmann::json::parse(dynemo::feature_config_to_json(provenance.config)));
  EXPECT_DOUBLE_EQ(doc.at("hop_s").get<double>(), 0.25);
  EXPECT_DOUBLE_EQ(doc.at("window_s").get<double>(), 0.5);
  EXPECT_EQ(doc.at("columns").get<std::vector<std::string>>(), m.columns);
  EXPECT_EQ(doc.at("n_rows"), 3);
  EXPECT_EQ(doc.at("n_cols"), 3);
  EXPECT_DOUBLE_EQ(doc.at("first_time_s").get<double>(), 0.0);
  EXPECT_EQ(doc.at("time_s").size(), 3u);
  const std::string created = doc.at("created_utc");
  EXPECT_EQ(created.size(), 20u) << created;
  EXPECT_EQ(created.back(), 'Z');
  dynemo::testing::expect_documented_keys("Feature tables", "- **Sidecar**", read_file(path), 18);
}

}  // namespace

// Ids become file names by one rule: nothing can leave its folder or hide a file; a prediction
// written under the encoded name is found again by its id.
TEST(IdFileStem, EncodesEverythingThatCouldEscapeOrCollide) {
  EXPECT_EQ(dynemo::id_file_stem("1234"), "1234");
  EXPECT_EQ(dynemo::id_file_stem("song_a-1.v2"), "song_a-1.v2");
  EXPECT_EQ(dynemo::id_file_stem("../../x"), "%2E.%2F..%2Fx");
  EXPECT_EQ(dynemo::id_file_stem("a b/c"), "a%20b%2Fc");
  EXPECT_EQ(dynemo::id_file_stem(".hidden"), "%2Ehidden");
  EXPECT_EQ(dynemo::id_file_stem("caf\xc3\xa9"), "caf%C3%A9");
  const auto dir =
      std::filesystem::temp_directory_path() / ("dynemo-test-ids-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "preds");
  dynemo::SongPrediction p;
  p.time_s = {0.0, 0.5};
  p.arousal = {0.1f, 0.2f};
  p.valence = {-0.1f, -0.2f};
  const std::string id = "../../escape";
  dynemo::write_file_atomic((dir / "preds" / (dynemo::id_file_stem(id) + ".csv")).string(),
                            dynemo::prediction_csv(p));
  EXPECT_FALSE(std::filesystem::exists(dir / "escape.csv"));
  const auto read = dynemo::read_prediction_dir((dir / "preds").string(), {id, "missing"});
  ASSERT_EQ(read.size(), 1u);
  EXPECT_EQ(read.at(id).arousal.size(), 2u);
  std::filesystem::remove_all(dir);
}
