// The scripts a user types: those that take no arguments say so instead of ignoring them (scripts/test
// given a test's name ran the whole hour-long suite on a cold machine; scripts/bench its ten minutes).
#include "test_util.h"

#include <gtest/gtest.h>

#include <algorithm>

TEST(Scripts, ThoseWithoutArgumentsRefuseThemInOneLine) {
  std::string out;
  for (const std::string script : {"test", "setup", "bench"}) {
    EXPECT_NE(testutil::run_command(SPRITES_SOURCE_DIR "/scripts/" + script + " native", out), 0) << script;
    EXPECT_EQ(out.rfind("error: scripts/" + script + " takes no arguments", 0), 0u) << out;
    EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
  }
  EXPECT_NE(testutil::run_command("env BENCH=cpu " SPRITES_SOURCE_DIR "/scripts/bench", out), 0);
  EXPECT_EQ(out, "error: BENCH=cpu: one of native, wasm, gpu (unset: native and wasm)\n");
}
