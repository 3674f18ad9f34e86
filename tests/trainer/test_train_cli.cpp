// sprites-train as a user runs it: bad arguments, Ctrl-C and resume.
#include "tiny_run.h"

using namespace sprites;

// The CLI answers bad input with one clear line and a non-zero exit.
TEST(TrainCli, BadArgumentsGiveAClearError) {
  std::string out;
  const std::string exe = SPRITES_TRAIN_EXE;
  EXPECT_NE(testutil::run_command(exe + " --images /nonexistent.npy --labels " + kLabels + " --out /tmp/x", out), 0);
  EXPECT_NE(out.find("/nonexistent.npy"), std::string::npos) << out;
  EXPECT_NE(testutil::run_command(exe + " --images " + kImages + " --labels " + kLabels + " --out /tmp/x --epochs 0", out), 0);
  EXPECT_NE(out.find("--epochs"), std::string::npos) << out;
  EXPECT_NE(testutil::run_command(exe + " --images " + kImages + " --labels " + kLabels + " --out /tmp/x --device tpu", out), 0);
  EXPECT_NE(out.find("--device"), std::string::npos) << out;
  // Images and labels swapped: a data error, reported as one line.
  const std::string dir = testutil::temp_dir();
  EXPECT_NE(testutil::run_command(exe + " --images " + kLabels + " --labels " + kImages + " --out " + dir, out), 0);
  EXPECT_NE(out.find("error: "), std::string::npos) << out;
  EXPECT_NE(out.find("uint8"), std::string::npos) << out;
}

TEST(TrainCli, CtrlCSavesACheckpointAndResumeContinues) {
  const std::string dir = testutil::temp_dir();
  const std::string exe = SPRITES_TRAIN_EXE;
  const std::string args = " --images " + kImages + " --labels " + kLabels + " --out " + dir +
                           " --n-feat 8 --batch 10 --epoch-images 100 --epochs 1000 --threads 1";
  std::string out;
  // Start, wait for the first logged steps, interrupt, report the exit status.
  const int rc = testutil::run_command(
      "bash -c '" + exe + args + " & pid=$!; for i in $(seq 300); do [ $(wc -l < " + dir +
          "/loss.csv 2>/dev/null || echo 0) -gt 3 ] && break; sleep 0.1; done; kill -INT $pid; wait $pid; echo exit=$?'",
      out);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("exit=130"), std::string::npos) << out;
  EXPECT_NE(out.find("checkpoint saved"), std::string::npos) << out;
  const auto before = losses(dir + "/loss.csv").size();
  EXPECT_GT(before, 2u);
  EXPECT_EQ(testutil::run_command(exe + args + " --resume --max-steps " + std::to_string(before + 3), out), 0) << out;
  EXPECT_NE(out.find("resumed from"), std::string::npos) << out;
  EXPECT_EQ(losses(dir + "/loss.csv").size(), before + 3);
}
