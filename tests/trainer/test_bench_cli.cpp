// sprites-bench as a user might run it by hand (scripts/bench runs it): bad arguments and bad
// weights are one line and a non-zero exit, never an uncaught exception.
#include "test_util.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

TEST(BenchCli, BadArgumentsAndBadWeightsGiveOneLine) {
  const std::string exe = SPRITES_BENCH_EXE;
  std::string out;
  EXPECT_EQ(testutil::run_command(exe + " --help", out), 0) << out;
  EXPECT_NE(out.find("--train-only"), std::string::npos) << out;
  // Each used to end in "terminate called after throwing an instance of 'std::runtime_error'".
  const std::string dir = testutil::temp_dir();
  {
    std::ofstream(dir + "/broken.safetensors") << "not safetensors";
  }
  const std::pair<std::string, std::string> cases[] = {
      {"/nonexistent.safetensors", "/nonexistent.safetensors"},
      {"assets/weights/sprites_final.safetensors two", "threads"},
      {"assets/weights/sprites_final.safetensors 0", "threads"},
      {"--bogus", "--bogus"},
      {dir + "/broken.safetensors", "error: " + dir + "/broken.safetensors"},
  };
  for (const auto& [args, expected] : cases) {
    EXPECT_NE(testutil::run_command(exe + " " + args, out), 0) << args;
    EXPECT_NE(out.find(expected), std::string::npos) << args << ": " << out;
    EXPECT_EQ(out.find("terminate called"), std::string::npos) << args << ": " << out;
    EXPECT_LE(std::count(out.begin(), out.end(), '\n'), 2) << args << ": " << out;
  }
}
