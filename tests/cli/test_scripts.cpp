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

// scripts/publish rewrites OUT/weights, so a folder of other files (a typo of ~ or of the clone) is
// refused before anything is built, and so is an OUT it cannot create.
TEST(Scripts, PublishRefusesAFolderItWouldOverwrite) {
  const std::string dir = testutil::temp_dir(), publish = SPRITES_SOURCE_DIR "/scripts/publish ";
  testutil::write_bytes(dir + "/notes.txt", {'x'});
  struct Case { std::string out, expect; };
  for (const Case& c : std::vector<Case>{
           {dir, "error: " + dir + ": has other files in it; publish into a new or empty folder, or over an earlier publish\n"},
           {dir + "/notes.txt", "error: " + dir + "/notes.txt: is a file, not a folder to publish into\n"},
           {"/proc/sprites-site", "error: /proc/sprites-site: cannot create the folder\n"},
       }) {
    std::string out;
    EXPECT_NE(testutil::run_command(publish + c.out, out), 0) << c.out;
    EXPECT_EQ(out, c.expect);
  }
  EXPECT_EQ(testutil::read_bytes(dir + "/notes.txt"), std::vector<uint8_t>{'x'});
}
