// The cgroup CPU quota behind "--threads 0", read from fake /proc and /sys trees as containers lay
// them out (cgroup v2, v1, nested groups, a container's own view), and from this machine.
#include "usable_cores.h"

#include <gtest/gtest.h>

#include <map>
#include <thread>

using namespace sprites;

namespace {

using Files = std::map<std::string, std::string>;

int quota_of(const Files& files) {
  return cgroup_cpu_quota([&](const std::string& path) {
    const auto it = files.find(path);
    return it == files.end() ? std::string() : it->second;
  });
}

const std::string kV2Mount = "29 23 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:4 - cgroup2 cgroup2 rw,nsdelegate\n";
const std::string kV1Mounts =
    "30 22 0:27 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755\n"
    "31 30 0:28 / /sys/fs/cgroup/cpu,cpuacct rw,nosuid - cgroup cgroup rw,cpu,cpuacct\n"
    "32 30 0:29 / /sys/fs/cgroup/cpuset rw,nosuid - cgroup cgroup rw,cpuset\n";

}  // namespace

TEST(CgroupQuota, V2GroupRoundedUpToWholeCores) {
  Files f{{"/proc/self/mountinfo", "22 1 8:1 / / rw - ext4 /dev/vda1 rw\n" + kV2Mount},
          {"/proc/self/cgroup", "0::/user.slice/job\n"}};
  f["/sys/fs/cgroup/user.slice/job/cpu.max"] = "max 100000\n";
  EXPECT_EQ(quota_of(f), 0) << "no quota";
  f["/sys/fs/cgroup/user.slice/job/cpu.max"] = "150000 100000\n";
  EXPECT_EQ(quota_of(f), 2);
  f["/sys/fs/cgroup/user.slice/job/cpu.max"] = "200000 100000\n";
  EXPECT_EQ(quota_of(f), 2);
  f["/sys/fs/cgroup/user.slice/job/cpu.max"] = "25000 100000\n";
  EXPECT_EQ(quota_of(f), 1) << "a quarter of a CPU is still one thread";
}

TEST(CgroupQuota, AParentsQuotaBoundsItsChildren) {
  Files f{{"/proc/self/mountinfo", kV2Mount}, {"/proc/self/cgroup", "0::/kubepods/pod1/c1\n"}};
  f["/sys/fs/cgroup/kubepods/pod1/c1/cpu.max"] = "max 100000";
  f["/sys/fs/cgroup/kubepods/pod1/cpu.max"] = "300000 100000";
  f["/sys/fs/cgroup/kubepods/cpu.max"] = "800000 100000";
  f["/sys/fs/cgroup/cpu.max"] = "max 100000";
  EXPECT_EQ(quota_of(f), 3);
  f["/sys/fs/cgroup/kubepods/pod1/c1/cpu.max"] = "700000 100000";
  EXPECT_EQ(quota_of(f), 3) << "the child's larger quota does not lift the parent's";
}

// Docker with its own cgroup namespace sees its group as "/" at the mount point; without one the
// mount's root is the container's group, which /proc/self/cgroup names in full.
TEST(CgroupQuota, AContainersOwnViewOfItsGroup) {
  Files ns{{"/proc/self/mountinfo", kV2Mount}, {"/proc/self/cgroup", "0::/\n"},
           {"/sys/fs/cgroup/cpu.max", "200000 100000\n"}};
  EXPECT_EQ(quota_of(ns), 2);
  Files no_ns{{"/proc/self/mountinfo",
               "29 23 0:26 /docker/abc /sys/fs/cgroup ro,nosuid - cgroup2 cgroup rw\n"},
              {"/proc/self/cgroup", "0::/docker/abc\n"},
              {"/sys/fs/cgroup/cpu.max", "400000 100000\n"}};
  EXPECT_EQ(quota_of(no_ns), 4);
  no_ns["/proc/self/cgroup"] = "0::/elsewhere\n";  // outside the mount's root: the mount point's own
  EXPECT_EQ(quota_of(no_ns), 4);
}

TEST(CgroupQuota, V1CpuControllerWithItsPeriod) {
  Files f{{"/proc/self/mountinfo", kV1Mounts},
          {"/proc/self/cgroup", "5:cpuset:/\n4:cpu,cpuacct:/batch/job7\n1:name=systemd:/x\n0::/\n"}};
  f["/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us"] = "-1\n";
  f["/sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us"] = "100000\n";
  f["/sys/fs/cgroup/cpu,cpuacct/batch/job7/cpu.cfs_quota_us"] = "-1\n";
  f["/sys/fs/cgroup/cpu,cpuacct/batch/job7/cpu.cfs_period_us"] = "100000\n";
  EXPECT_EQ(quota_of(f), 0) << "-1: none";
  f["/sys/fs/cgroup/cpu,cpuacct/batch/cpu.cfs_quota_us"] = "150000\n";
  f["/sys/fs/cgroup/cpu,cpuacct/batch/cpu.cfs_period_us"] = "50000\n";
  EXPECT_EQ(quota_of(f), 3);
}

// Where nothing can be read, or what is there is not a quota, there is no limit, never 0 threads.
TEST(CgroupQuota, UnreadableOrOddFilesMeanNoLimit) {
  EXPECT_EQ(quota_of({}), 0);
  EXPECT_EQ(quota_of({{"/proc/self/mountinfo", "garbage\n- - -\n"}, {"/proc/self/cgroup", "::::\n"}}), 0);
  Files f{{"/proc/self/mountinfo", kV2Mount}, {"/proc/self/cgroup", "0::/a\n"}};
  for (const char* odd : {"", "max", "0 100000", "-5 100000", "100000 0", "1e5 100000", "100000 100000 7",
                          "99999999999999999999 1"}) {
    f["/sys/fs/cgroup/a/cpu.max"] = odd;
    EXPECT_EQ(quota_of(f), 0) << "'" << odd << "'";
  }
  f["/sys/fs/cgroup/a/cpu.max"] = "100000 100000";
  f["/proc/self/cgroup"] = "0::a\n";  // not a path: nothing to read, no folder above it to climb to
  EXPECT_EQ(quota_of(f), 0);
}

// Both hierarchies mounted (a hybrid host): the smaller quota.
TEST(CgroupQuota, TheSmallerOfV1AndV2) {
  Files f{{"/proc/self/mountinfo", kV1Mounts + "40 30 0:40 / /sys/fs/cgroup/unified rw - cgroup2 cgroup2 rw\n"},
          {"/proc/self/cgroup", "4:cpu,cpuacct:/j\n0::/j\n"},
          {"/sys/fs/cgroup/cpu,cpuacct/j/cpu.cfs_quota_us", "500000"},
          {"/sys/fs/cgroup/cpu,cpuacct/j/cpu.cfs_period_us", "100000"},
          {"/sys/fs/cgroup/unified/j/cpu.max", "200000 100000"}};
  EXPECT_EQ(quota_of(f), 2);
}

TEST(UsableCores, AtLeastOneAndNoMoreThanTheMachineHas) {
  const int n = usable_cores();
  EXPECT_GE(n, 1);
  if (std::thread::hardware_concurrency() > 0) EXPECT_LE(n, static_cast<int>(std::thread::hardware_concurrency()));
}
