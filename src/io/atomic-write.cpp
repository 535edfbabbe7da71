// write_file_atomic: content goes to a temporary file beside the target, which is then renamed
// over it. rename(2) within one directory is atomic, so a reader sees either the old file or
// the whole new one, never a prefix. No fsync: this protects readers, not against power loss.
#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <filesystem>
#include <string>
#include <system_error>

#include "dynemo/error.h"
#include "dynemo/io.h"

namespace dynemo {
namespace {

namespace fs = std::filesystem;

std::string errno_text(int error) {
  return std::error_code(error, std::generic_category()).message();
}

// A name no other writer (thread or process) uses at the same time: hidden, in the target's
// directory, tagged with the process id and a per-process counter. The target's name is cut to
// kTemporaryStemBytes so that a target whose name is near the file system's limit (255 bytes)
// still gets a temporary file (the pid and counter keep it unique).
constexpr std::size_t kTemporaryStemBytes = 200;

fs::path temporary_path_for(const fs::path& target) {
  static std::atomic<unsigned long> counter{0};
  const unsigned long n = counter.fetch_add(1);
  const std::string stem = target.filename().string().substr(0, kTemporaryStemBytes);
  fs::path name = "." + stem + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(n);
  return target.parent_path() / name;
}

// Writes all of `content` to `fd`, retrying short writes and EINTR. Returns 0 or an errno.
int write_all(int fd, const std::string& content) {
  const char* data = content.data();
  std::size_t left = content.size();
  while (left > 0) {
    const ssize_t written = ::write(fd, data, left);
    if (written < 0) {
      if (errno == EINTR) continue;
      return errno;
    }
    data += written;
    left -= static_cast<std::size_t>(written);
  }
  return 0;
}

[[noreturn]] void fail(const std::string& path, const std::string& reason) {
  throw IoError("cannot write " + path + ": " + reason);
}

// A failed system call's errno, as NoSpaceError when there is no room to write.
[[noreturn]] void fail_errno(const std::string& path, const std::string& what, int error) {
  const std::string message = "cannot write " + path + ": " + what + errno_text(error);
  if (error == ENOSPC || error == EDQUOT || error == EFBIG) throw NoSpaceError(message);
  throw IoError(message);
}

}  // namespace

AtomicFile::AtomicFile(const std::string& path) : path_(path) {
  if (path.empty()) throw IoError("cannot write a file with an empty path");
  const fs::path target(path);
  if (target.filename().empty()) fail(path, "the path names a directory, not a file");

  const fs::path directory = target.parent_path();
  if (!directory.empty()) {
    std::error_code ec;
    fs::create_directories(directory, ec);
    if (ec) fail(path, "cannot create directory " + directory.string() + ": " + ec.message());
  }
  temporary_ = temporary_path_for(target).string();
  fd_ = ::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd_ < 0) {
    fail_errno(path, "cannot create temporary file " + temporary_ + ": ", errno);
  }
}

AtomicFile::~AtomicFile() {
  if (fd_ >= 0) ::close(fd_);
  if (!committed_) ::unlink(temporary_.c_str());
}

void AtomicFile::write(const std::string& bytes) {
  const int error = write_all(fd_, bytes);
  if (error != 0) fail_errno(path_, "", error);
}

void AtomicFile::write_at(std::size_t offset, const std::string& bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t n =
        ::pwrite(fd_, bytes.data() + done, bytes.size() - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      fail_errno(path_, "", errno);
    }
    done += static_cast<std::size_t>(n);
  }
}

void AtomicFile::commit() {
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) fail_errno(path_, "", errno);
  if (::rename(temporary_.c_str(), path_.c_str()) != 0) {
    fail_errno(path_, "cannot rename " + temporary_ + " over it: ", errno);
  }
  committed_ = true;
}

void write_file_atomic(const std::string& path, const std::string& content) {
  AtomicFile file(path);
  file.write(content);
  file.commit();
}

}  // namespace dynemo
