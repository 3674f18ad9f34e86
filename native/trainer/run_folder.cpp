#include "run_folder.h"

#include "checkpoint.h"
#include "checkpoint_files.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <sys/file.h>
#include <unistd.h>
#include <vector>

namespace sprites {

RunFolderLock::RunFolderLock(const std::string& out_dir) {
  const std::string path = (std::filesystem::path(out_dir) / ".train.lock").string();
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0) throw std::runtime_error(path + ": cannot open (" + std::strerror(errno) + ")");
  if (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    char pid[32] = {};
    const ssize_t n = ::pread(fd_, pid, sizeof pid - 1, 0);
    ::close(fd_);
    fd_ = -1;
    const std::string who = n > 0 ? " (pid " + std::string(pid, static_cast<size_t>(n)) + ")" : "";
    throw std::runtime_error(out_dir + ": another sprites-train" + who + " is training into it; wait for it to finish, or train into another --out");
  }
  // The pid only names the holder in a second trainer's message; the lock holds without it.
  const std::string pid = std::to_string(::getpid());
  if (::ftruncate(fd_, 0) == 0) (void)!::pwrite(fd_, pid.data(), pid.size(), 0);
}

RunFolderLock::~RunFolderLock() {
  if (fd_ >= 0) ::close(fd_);
}

void require_no_earlier_run(const std::string& out_dir) {
  namespace fs = std::filesystem;
  const fs::path checkpoint = checkpoint_path(out_dir);
  const bool resumable = fs::exists(checkpoint);
  std::vector<std::string> found;
  if (resumable) found.push_back(checkpoint.filename().string());
  std::vector<std::string> exports;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(out_dir, ec))
    if (is_checkpoint_file(e.path().filename().string())) exports.push_back(e.path().filename().string());
  std::sort(exports.begin(), exports.end());
  found.insert(found.end(), exports.begin(), exports.end());
  if (found.empty()) return;
  std::string names;
  for (size_t i = 0; i < std::min<size_t>(found.size(), 3); ++i) names += (i ? ", " : "") + found[i];
  if (found.size() > 3) names += ", ...";
  if (!resumable)  // nothing --resume could continue
    throw std::runtime_error(out_dir + " holds exported weights (" + names + "): train into another --out");
  throw std::runtime_error(out_dir + " holds an earlier run (" + names + "): continue it with --resume, or train into another --out " +
                           "(delete the folder to start over)");
}

}  // namespace sprites
