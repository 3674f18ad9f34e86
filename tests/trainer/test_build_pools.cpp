// The build itself: every file that compiles LibTorch's headers (1.3 GB of compiler each) is in the
// memory-sized ninja pool, so a many-core machine with little memory builds instead of swapping.
#include "test_util.h"

#include <gtest/gtest.h>

#include <sstream>
#include <string>

TEST(BuildPools, EveryLibTorchFileCompilesInTheMemorySizedPool) {
  // CMake declares pools among the rules, and assigns them in the build statements.
  const auto rules = testutil::read_bytes(std::string(SPRITES_BINARY_DIR) + "/CMakeFiles/rules.ninja");
  const auto build = testutil::read_bytes(std::string(SPRITES_BINARY_DIR) + "/build.ninja");
  std::istringstream ninja(std::string(rules.begin(), rules.end()) + std::string(build.begin(), build.end()));
  int depth = 0, torch_files = 0, other_files = 0;
  std::string line, output;
  bool compile = false, torch = false, pooled = false;
  auto end_statement = [&] {
    if (!compile) return;
    if (torch) {
      ++torch_files;
      EXPECT_TRUE(pooled) << output << " compiles LibTorch's headers outside the torch_compile pool";
    } else {
      ++other_files;
      EXPECT_FALSE(pooled) << output << " needs no LibTorch and should keep every core";
    }
  };
  while (std::getline(ninja, line)) {
    if (line.rfind("pool torch_compile", 0) == 0) {
      std::getline(ninja, line);
      depth = std::stoi(line.substr(line.find('=') + 1));
    } else if (line.rfind("build ", 0) == 0) {
      end_statement();
      output = line.substr(6, line.find(':') - 6);
      compile = line.find(": CXX_COMPILER__") != std::string::npos && output.size() > 2 && output.substr(output.size() - 2) == ".o";
      torch = pooled = false;
    } else if (line.find("torch/csrc/api/include") != std::string::npos && line.rfind("  ", 0) == 0) {
      torch = true;
    } else if (line == "  pool = torch_compile") {
      pooled = true;
    }
  }
  end_statement();
  EXPECT_GE(depth, 1);
  EXPECT_GT(torch_files, 20) << "the trainer, eval, bench and their tests";
  EXPECT_GT(other_files, 50) << "the core, the CLI and their tests";
}

// The GPU recipe (scripts/train --device cuda, scripts/lib/cuda_trainer.sh) configures the trainer
// alone from a LibTorch's CMake files, with none of the web toolchain or third-party builds. A GPU
// machine is lent rarely, so a change that breaks that configure is caught here, on this machine's
// LibTorch (the sources themselves are compiled by this build).
TEST(BuildPools, TheTrainerAloneConfiguresFromLibTorchWithItsFilesInThePool) {
  const std::string dir = testutil::temp_dir();
  std::string out;
  const int rc = testutil::run_command("cmake -S . -B " + dir + "/build -G Ninja -DCMAKE_BUILD_TYPE=Release -DSPRITES_TRAINER_ONLY=ON"
                                       " -DDEPS_DIR=" + dir + "/no-third-party -DTorch_DIR=" SPRITES_TORCH_DIR " 2>&1", out);
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("LibTorch files:"), std::string::npos) << out;
  const auto bytes = testutil::read_bytes(dir + "/build/build.ninja");
  const std::string ninja(bytes.begin(), bytes.end());
  EXPECT_NE(ninja.find("build native/sprites-train:"), std::string::npos) << "the trainer's program";
  EXPECT_NE(ninja.find("  pool = torch_compile"), std::string::npos);
  EXPECT_EQ(ninja.find("sprites_core"), std::string::npos) << "no XNNPACK core: only the trainer";
}
