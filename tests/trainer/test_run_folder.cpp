// A run's folder is its run's: a new run does not start over an earlier one, and two trainers do
// not write into one folder at once.
#include "checkpoint.h"
#include "run_folder.h"
#include "tiny_run.h"

#include <unistd.h>

using namespace sprites;

TEST(RunFolder, ANewRunLeavesAnEarlierOneAlone) {
  TrainConfig c = tiny(testutil::temp_dir() + "/run");
  c.epochs = 1;
  train(c);
  const std::vector<uint8_t> checkpoint = testutil::read_bytes(checkpoint_path(c.out_dir));
  const std::vector<double> logged = run_losses(c);
  c.seed = 8;  // the command run again, or another run's, without --resume
  EXPECT_EQ(train_error(c), c.out_dir + " holds an earlier run (checkpoint.pt, sprites_ep0.safetensors, sprites_final.safetensors): "
                                        "continue it with --resume, or train into another --out (delete the folder to start over)");
  EXPECT_EQ(testutil::read_bytes(checkpoint_path(c.out_dir)), checkpoint);
  EXPECT_EQ(run_losses(c), logged);

  // Exports without a checkpoint (a folder of downloaded or shipped weights): nothing to resume.
  TrainConfig other = tiny(testutil::temp_dir());
  std::filesystem::copy_file(c.out_dir + "/sprites_final.safetensors", other.out_dir + "/sprites_final.safetensors");
  EXPECT_EQ(train_error(other), other.out_dir + " holds exported weights (sprites_final.safetensors): train into another --out");
  EXPECT_FALSE(std::filesystem::exists(other.out_dir + "/.train.lock")) << "a refused folder is left as it was";
}

TEST(RunFolder, OneTrainerAtATime) {
  TrainConfig c = tiny(testutil::temp_dir());
  c.epochs = 1;
  {
    const RunFolderLock first(c.out_dir);  // as another sprites-train holds it while it trains
    EXPECT_EQ(train_error(c), c.out_dir + ": another sprites-train (pid " + std::to_string(getpid()) +
                                  ") is training into it; wait for it to finish, or train into another --out");
    EXPECT_FALSE(std::filesystem::exists(checkpoint_path(c.out_dir)));
  }
  train(c);  // once it has let go
  EXPECT_TRUE(std::filesystem::exists(checkpoint_path(c.out_dir)));
}
