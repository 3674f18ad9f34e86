// A training run's folder belongs to its run: one trainer writes into it at a time, and a run in it
// is continued (--resume) or left alone, never started over by a command that forgot --resume
// (which wrote a fresh checkpoint over hours of training at its first checkpoint).
#pragma once
#include <string>

namespace sprites {

// Holds OUT/.train.lock (flock) while it lives, so a second trainer started into the same folder
// stops with one line instead of interleaving its checkpoints and logs with the first's. The
// system lets go of it when the process ends, kill -9 included.
class RunFolderLock {
 public:
  explicit RunFolderLock(const std::string& out_dir);
  ~RunFolderLock();
  RunFolderLock(const RunFolderLock&) = delete;
  RunFolderLock& operator=(const RunFolderLock&) = delete;

 private:
  int fd_ = -1;
};

// Throws one line unless a new run may write into `out_dir`: no checkpoint or export of an earlier
// run is there.
void require_no_earlier_run(const std::string& out_dir);

}  // namespace sprites
