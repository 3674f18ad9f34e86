#include "usable_cores.h"

#include <algorithm>
#include <cctype>
#include <climits>
#include <cmath>
#include <fstream>
#include <iterator>
#include <thread>
#include <vector>
#if defined(__linux__) && !defined(__EMSCRIPTEN__)
#include <sched.h>
#endif

#include "parse_number.h"
#include "split_list.h"

// The cgroup reading is written here, as the JDK and Go's automaxprocs each do it: Debian's
// libcgroup manages groups, and has no call for "this process's quota".
namespace sprites {

namespace {

std::string trimmed(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  return s;
}

// A cgroup hierarchy that can hold a CPU quota: where it is mounted, and which of its groups is
// the mount's root (a container sees its own group as "/").
struct Hierarchy {
  bool v2;
  std::string root, mount_point;
};

// /proc/self/mountinfo: "id parent dev ROOT MOUNT_POINT options [tags...] - FSTYPE source SUPER".
std::vector<Hierarchy> cpu_hierarchies(const std::string& mountinfo) {
  std::vector<Hierarchy> found;
  for (const auto& line : split_list(mountinfo, '\n')) {
    const auto f = split_list(line, ' ');
    const auto dash = std::find(f.begin(), f.end(), "-");
    if (f.size() < 5 || f.end() - dash < 4) continue;
    const auto& fstype = dash[1];
    const auto super = split_list(dash[3], ',');
    if (fstype == "cgroup2")
      found.push_back({true, f[3], f[4]});
    else if (fstype == "cgroup" && std::find(super.begin(), super.end(), "cpu") != super.end())
      found.push_back({false, f[3], f[4]});
  }
  return found;
}

// This process's group in a hierarchy, from /proc/self/cgroup ("0::/a/b" for v2, "4:cpu,cpuacct:/a/b" for v1).
std::string group_of(const std::string& proc_cgroup, bool v2) {
  for (const auto& line : split_list(proc_cgroup, '\n')) {
    const auto first = line.find(':'), second = line.find(':', first + 1);
    if (first == std::string::npos || second == std::string::npos) continue;
    const auto controllers = split_list(line.substr(first + 1, second - first - 1), ',');
    const bool has_cpu = std::find(controllers.begin(), controllers.end(), "cpu") != controllers.end();
    if (v2 ? line.compare(0, 3, "0::") == 0 : has_cpu) return trimmed(line.substr(second + 1));
  }
  return "";
}

// The quota one group sets, in CPUs; 0: none.
double quota_at(const std::string& dir, bool v2, const std::function<std::string(const std::string&)>& read) {
  long long quota = 0, period = 0;
  if (v2) {
    const auto f = split_list(trimmed(read(dir + "/cpu.max")), ' ');  // "max 100000" or "150000 100000"
    if (f.size() != 2) return 0;
    quota = parse_int_in(f[0], 1, LLONG_MAX).value_or(0);
    period = parse_int_in(f[1], 1, LLONG_MAX).value_or(0);
  } else {
    quota = parse_int_in(trimmed(read(dir + "/cpu.cfs_quota_us")), 1, LLONG_MAX).value_or(0);  // -1: none
    period = parse_int_in(trimmed(read(dir + "/cpu.cfs_period_us")), 1, LLONG_MAX).value_or(0);
  }
  return quota > 0 && period > 0 ? static_cast<double>(quota) / static_cast<double>(period) : 0;
}

}  // namespace

int cgroup_cpu_quota(const std::function<std::string(const std::string& path)>& read) {
  const auto groups = read("/proc/self/cgroup");
  double cpus = 0;
  for (const auto& h : cpu_hierarchies(read("/proc/self/mountinfo"))) {
    auto group = group_of(groups, h.v2);
    if (group.empty()) continue;
    // The group's folder under the mount point; a group outside the mount's root (another
    // namespace's view) falls back to the mount point, as the JDK does.
    std::string rel;
    if (h.root == "/")
      rel = group;
    else if (group.compare(0, h.root.size(), h.root) == 0 &&
             (group.size() == h.root.size() || group[h.root.size()] == '/'))
      rel = group.substr(h.root.size());
    if (rel == "/") rel.clear();
    // A parent's quota bounds its children's, so each level up to the mount counts.
    for (;;) {
      const double q = quota_at(h.mount_point + rel, h.v2, read);
      if (q > 0) cpus = cpus > 0 ? std::min(cpus, q) : q;
      const auto up = rel.rfind('/');
      if (rel.empty() || up == std::string::npos) break;
      rel.erase(up);
    }
  }
  // 1.5 CPUs: two threads use them all, one only two thirds.
  return cpus > 0 ? std::max(1, static_cast<int>(std::ceil(cpus - 1e-9))) : 0;
}

int usable_cores() {
#if defined(__linux__) && !defined(__EMSCRIPTEN__)
  int cores = 0;
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) cores = CPU_COUNT(&set);
  if (cores <= 0) cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  const int quota = cgroup_cpu_quota([](const std::string& path) {
    std::ifstream in(path);
    return std::string(std::istreambuf_iterator<char>(in), {});
  });
  return quota > 0 ? std::min(cores, quota) : cores;
#else
  return static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
#endif
}

}  // namespace sprites
