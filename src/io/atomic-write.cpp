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
// directory, tagged with the process id and a per-process counter.
fs::path temporary_path_for(const fs::path& target) {
  static std::atomic<unsigned long> counter{0};
  const unsigned long n = counter.fetch_add(1);
  fs::path name = "." + target.filename().string() + ".tmp-" + std::to_string(::getpid()) + "-" +
                  std::to_string(n);
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

}  // namespace

void write_file_atomic(const std::string& path, const std::string& content) {
  if (path.empty()) throw IoError("cannot write a file with an empty path");
  const fs::path target(path);
  if (target.filename().empty()) fail(path, "the path names a directory, not a file");

  const fs::path directory = target.parent_path();
  if (!directory.empty()) {
    std::error_code ec;
    fs::create_directories(directory, ec);
    if (ec) fail(path, "cannot create directory " + directory.string() + ": " + ec.message());
  }

  const fs::path temporary = temporary_path_for(target);
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) {
    fail(path, "cannot create temporary file " + temporary.string() + ": " + errno_text(errno));
  }

  int error = write_all(fd, content);
  if (::close(fd) != 0 && error == 0) error = errno;
  if (error != 0) {
    ::unlink(temporary.c_str());
    fail(path, errno_text(error));
  }
  if (::rename(temporary.c_str(), target.c_str()) != 0) {
    error = errno;
    ::unlink(temporary.c_str());
    fail(path, "cannot rename " + temporary.string() + " over it: " + errno_text(error));
  }
}

}  // namespace dynemo
