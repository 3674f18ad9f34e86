// How many threads "--threads 0" means, for the inference core and LibTorch alike.
#pragma once

#include <functional>
#include <string>

namespace sprites {

// The cores this process may run on, as nproc counts them (`taskset`, a container's cpuset or a
// scheduler's CPU list may allow fewer than the machine has), and no more than its cgroup's CPU
// quota allows (a container started with --cpus=2 on a 64-core host): a thread per missing core
// only waits for one that runs, and under a quota all of them wait for the next period.
int usable_cores();

// The CPU quota of this process's cgroup in whole cores, rounded up (1.5 CPUs: 2), the smallest
// along the path to the hierarchy's root; 0 where none is set or none can be read. cgroup v2
// (cpu.max) or v1 (cpu.cfs_quota_us / cpu.cfs_period_us), found through /proc/self/mountinfo and
// /proc/self/cgroup. `read` gives a file's text, or "" where there is none (tests pass a fake tree).
int cgroup_cpu_quota(const std::function<std::string(const std::string& path)>& read);

}  // namespace sprites
