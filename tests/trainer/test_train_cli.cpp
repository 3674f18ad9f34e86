// sprites-train as a user runs it: bad arguments, Ctrl-C, SIGKILL and resume.
#include "cpu_bf16.h"
#include "run_record.h"
#include "tiny_run.h"
#include "unet_weights.h"
#include "usable_cores.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <unistd.h>

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
  EXPECT_NE(testutil::run_command(exe + " --images " + kImages + " --labels " + kLabels + " --out /tmp/x --dtype int4", out), 0);
  EXPECT_NE(out.find("--dtype"), std::string::npos) << out;
  // Images and labels swapped: a data error, reported as one line.
  const std::string dir = testutil::temp_dir();
  EXPECT_NE(testutil::run_command(exe + " --images " + kLabels + " --labels " + kImages + " --out " + dir, out), 0);
  EXPECT_NE(out.find("error: " + kImages + ": holds a 4-D array, not (n, n_classes) labels (sprites: are --images and --labels swapped?)"),
            std::string::npos) << out;
}

// On a CPU with native bf16 an fp32 run points at --amp; with --amp, or on another CPU, it does not.
// Without AVX-512, --amp is one line, no run.
TEST(TrainCli, PointsAtAmpWhereTheCpuComputesBf16Natively) {
  const bool native_bf16 = cpu_bf16() == CpuBf16::native;
  const std::string dir = testutil::temp_dir();
  const std::string cmd = std::string(SPRITES_TRAIN_EXE) + " --images " + kImages + " --labels " + kLabels +
                          " --n-feat 8 --batch 10 --epoch-images 20 --epochs 1 --threads 1 --device cpu";
  std::string out;
  ASSERT_EQ(testutil::run_command(cmd + " --out " + dir + "/fp32", out), 0) << out;
  EXPECT_EQ(out.find("--amp (bf16 autocast) trains faster") != std::string::npos, native_bf16) << out;
  if (cpu_bf16() == CpuBf16::slow) {
    EXPECT_NE(testutil::run_command(cmd + " --amp --out " + dir + "/amp", out), 0) << out;
    EXPECT_EQ(out, "error: --amp: this CPU has no AVX-512, where LibTorch's bf16 convolutions take a slow path (26x slower than fp32, "
                   "measured on an AVX2 CPU); train without --amp\n");
    return;
  }
  ASSERT_EQ(testutil::run_command(cmd + " --amp --out " + dir + "/amp", out), 0) << out;
  EXPECT_EQ(out.find("--amp (bf16 autocast) trains faster"), std::string::npos) << out;
}

// --threads 0 (the default) is a thread per core the process may use, whatever LibTorch would pick
// itself (one on a VM whose CPUID pairs its two vCPUs as hyperthreads of one core); OMP_NUM_THREADS,
// where it holds a count, and --threads still decide. Run under taskset where it can, so the count is not the
// machine's by chance.
TEST(TrainCli, ZeroThreadsMeansOnePerUsableCore) {
  const std::string dir = testutil::temp_dir();
  const std::string args = std::string(SPRITES_TRAIN_EXE) + " --images " + kImages + " --labels " + kLabels +
                           " --n-feat 8 --batch 10 --epoch-images 20 --epochs 1 --device cpu";
  auto summary = [&](const std::string& env, const std::string& extra, const std::string& name) {
    std::string out;
    EXPECT_EQ(testutil::run_command("env -u OMP_NUM_THREADS " + env + " " + args + extra + " --out " + dir + "/" + name, out), 0) << out;
    const auto at = out.find("training on cpu");
    return at == std::string::npos ? out : out.substr(at, out.find(':', at) - at);
  };
  auto threads = [](int n) { return "training on cpu (" + std::to_string(n) + (n == 1 ? " thread)" : " threads)"); };
  EXPECT_EQ(summary("", "", "all"), threads(usable_cores()));
  std::string ignored;
  if (usable_cores() >= 2 && testutil::run_command("taskset -c 0,1 true", ignored) == 0)
    EXPECT_EQ(summary("taskset -c 0,1", "", "two"), threads(2));
  EXPECT_EQ(summary("OMP_NUM_THREADS=1", "", "omp"), threads(1));
  EXPECT_EQ(summary("OMP_NUM_THREADS=abc", "", "omp-unreadable"), threads(usable_cores()));
  EXPECT_EQ(summary("", " --threads 1", "one"), threads(1));
}

// A cgroup with a CPU quota that commands run in, where this machine lets a test make one (root,
// with cgroup v1's cpu controller or v2's delegated); removed at the end.
class QuotaCgroup {
 public:
  explicit QuotaCgroup(int cpus) {
    const std::string name = "/sprites-test-" + std::to_string(::getpid());
    for (const std::string v1 : {"/sys/fs/cgroup/cpu", "/sys/fs/cgroup/cpu,cpuacct"})
      if (std::filesystem::exists(v1 + "/cpu.cfs_quota_us") && make(v1 + name))
        if (write("cpu.cfs_period_us", "100000") && write("cpu.cfs_quota_us", std::to_string(cpus * 100000))) return;
    std::ifstream v2("/sys/fs/cgroup/cgroup.subtree_control");
    std::string controllers((std::istreambuf_iterator<char>(v2)), {});
    if (controllers.find("cpu") != std::string::npos && make("/sys/fs/cgroup" + name))
      if (write("cpu.max", std::to_string(cpus * 100000) + " 100000")) return;
    remove();
  }
  ~QuotaCgroup() { remove(); }
  bool made() const { return !dir_.empty(); }
  // `cmd` run as a member of the group (a shell joins it, then becomes the command).
  std::string wrap(const std::string& cmd) const {
    return "sh -c 'echo $$ > " + dir_ + "/cgroup.procs && exec \"$@\"' sh " + cmd;
  }

 private:
  bool make(const std::string& dir) {
    std::error_code ec;
    if (!std::filesystem::create_directory(dir, ec)) return false;
    dir_ = dir;
    return true;
  }
  bool write(const std::string& file, const std::string& value) const {
    std::ofstream out(dir_ + "/" + file);
    out << value;
    out.flush();
    return static_cast<bool>(out);
  }
  void remove() {
    if (!dir_.empty()) ::rmdir(dir_.c_str());
    dir_.clear();
  }
  std::string dir_;
};

// In a container given one CPU of a larger machine (docker --cpus=1), --threads 0 is one thread for
// the trainer and the core alike: more only throttle each other (on this project's 2-core VM
// under a one-CPU quota the core's DDIM-25 x 16 took 0.83-0.95 s with 2 threads, 0.54-0.68 s with one).
TEST(TrainCli, ZeroThreadsStaysWithinTheCgroupQuota) {
  if (usable_cores() < 2) GTEST_SKIP() << "one usable core: a quota cannot lower it";
  QuotaCgroup group(1);
  if (!group.made()) GTEST_SKIP() << "cannot make a cgroup with a CPU quota here (needs root and a cpu controller)";
  const std::string dir = testutil::temp_dir();
  std::string out;
  ASSERT_EQ(testutil::run_command(group.wrap("env -u OMP_NUM_THREADS " + std::string(SPRITES_TRAIN_EXE) + " --images " +
                                             kImages + " --labels " + kLabels +
                                             " --n-feat 8 --batch 10 --epoch-images 20 --epochs 1 --device cpu --out " + dir + "/run"),
                                  out), 0) << out;
  EXPECT_NE(out.find("training on cpu (1 thread)"), std::string::npos) << out;
  const std::string sample = std::string(SPRITES_CLI_EXE) + " sample --weights " + dir +
                             "/run/sprites_final.safetensors --steps 2 --count 2 --out " + dir + "/grid.png";
  ASSERT_EQ(testutil::run_command(group.wrap(sample), out), 0) << out;
  EXPECT_NE(out.find("(1 thread)"), std::string::npos) << out;
  // The same command outside the group: a thread per core.
  ASSERT_EQ(testutil::run_command(sample, out), 0) << out;
  EXPECT_NE(out.find("(" + std::to_string(usable_cores()) + " threads)"), std::string::npos) << out;
}

// Numbers that are not numbers or out of range, and data with nothing in it, are refused up front in one line: NaN
// passed CLI11's range checks (a NaN --context-drop trained with no context at all, a NaN --lr
// reached Adam and printed LibTorch's backtrace) and an empty .npy hung in the epoch order.
TEST(TrainCli, NonFiniteNumbersAndEmptyDataGiveOneLine) {
  const std::string exe = SPRITES_TRAIN_EXE, dir = testutil::temp_dir();
  testutil::write_bytes(dir + "/none.npy", testutil::npy_bytes("|u1", {0, 16, 16, 3}, {}));
  testutil::write_bytes(dir + "/none_labels.npy", testutil::npy_bytes("<f4", {0, 5}, {}));
  const std::string ok = exe + " --images " + kImages + " --labels " + kLabels + " --out " + dir + "/run --epochs 1";
  struct Case { std::string cmd, expect; };
  for (const Case& c : std::vector<Case>{
           {ok + " --lr nan", "--lr: 'nan' is not a number > 0"},
           {ok + " --lr inf", "--lr: 'inf' is not a number > 0"},
           {ok + " --lr 1e-3x", "--lr: '1e-3x' is not a number > 0"},
           {ok + " --lr 0", "--lr: '0' is not a number > 0"},
           {ok + " --context-drop nan", "--context-drop: 'nan' is not a number in [0, 1]"},
           {ok + " --ema nan", "--ema: 'nan' is not a number in [0, 0.99999]"},
           {ok + " --budget-minutes inf", "--budget-minutes: 'inf' is not a number >= 0"},
           // an open bound printed as a 300-digit number before
           {ok + " --budget-minutes -1", "--budget-minutes: '-1' is not a number >= 0"},
           {ok + " --max-steps 0", "--max-steps"},
           {ok + " --seed -1", "--seed: '-1' is not a whole number in [0, 4294967295]"},
           {ok + " --upsampling sideways", "--upsampling: sideways not in {auto,patch,transposed}"},
           {ok + " --dtype 2", "--dtype: 2 not in {f16,f32,int8}"},  // an enum's number is not a name
           {ok + " --prediction x", "--prediction: x not in {eps,v}"},
           {ok + " --label-names hero,,food,spell,item", "--label-names: label 2 is empty"},
           {ok + " --label-names hero,food", "--label-names needs 5 comma-separated names, got 2"},
           {ok + " --label-names hero,food,hero,spell,item", "--label-names: 'hero' is given twice"},
           {ok + " --label-names hero,food,spell,item," + std::string(41, 'x'), "--label-names: '" + std::string(41, 'x') + "' is longer than 40 characters"},
           {ok + " --n-feat 12", "--n-feat must be a multiple of 8 (GroupNorm's 8 groups), not 12"},
           {exe + " --images " + kImages + " --labels " + kLabels + " --out " + kImages, kImages + ": is a file, not a folder to write into"},
           {exe + " --images " + dir + "/none.npy --labels " + dir + "/none_labels.npy --out " + dir + "/run", "none.npy: no sprites"},
       }) {
    std::string out;
    EXPECT_NE(testutil::run_command("timeout 60 " + c.cmd, out), 0) << c.cmd;
    EXPECT_NE(out.find(c.expect), std::string::npos) << c.cmd << "\n" << out;
    EXPECT_EQ(out.find("frame #"), std::string::npos) << out;
    EXPECT_FALSE(std::filesystem::exists(dir + "/run/checkpoint.pt")) << c.cmd << " trained";
  }
}

// One sprite trains (a student's own drawing, say), with no validation split to measure on: the
// run says so instead of printing "validation loss nan".
TEST(TrainCli, OneSpriteTrainsAndSaysNoValidationLossIsMeasured) {
  const std::string exe = SPRITES_TRAIN_EXE, dir = testutil::temp_dir();
  testutil::write_sprite_set(dir, "one", 1, 2);  // one food sprite
  std::string out;
  ASSERT_EQ(testutil::run_command(exe + " --images " + dir + "/one.npy --labels " + dir + "/one_labels.npy --out " + dir +
                                      "/run --n-feat 8 --batch 4 --epoch-images 8 --epochs 1 --threads 1",
                                  out),
            0)
      << out;
  EXPECT_NE(out.find("1 train / 0 val sprites"), std::string::npos) << out;
  EXPECT_NE(out.find("no validation loss is measured"), std::string::npos) << out;
  EXPECT_NE(out.find("validation loss not measured"), std::string::npos) << out;
  EXPECT_TRUE(std::filesystem::exists(dir + "/run/sprites_final.safetensors"));
}

// --resume continues the run its checkpoint holds: a flag that would make it another run (other
// sprites, width, batch, rate, objective) is refused by name before anything loads; threads and
// memory order may change. A finished run, or one already past --max-steps, says so instead of
// "finishing" again with no step (or, past --max-steps, one more).
TEST(TrainCli, ResumeRefusesAnotherRunsSettingsByNameAndSaysWhenTheRunIsDone) {
  const std::string exe = SPRITES_TRAIN_EXE, dir = testutil::temp_dir();
  testutil::write_sprite_set(dir, "other", 60);
  const std::string data = " --images " + kImages + " --labels " + kLabels;
  const std::string run = " --out " + dir + "/run --epoch-images 100 --epochs 2", same = " --n-feat 8 --batch 10 --threads 1";
  std::string out;
  ASSERT_EQ(testutil::run_command(exe + data + run + same + " --max-steps 3", out), 0) << out;
  struct Case { std::string args, expect; };
  for (const Case& c : std::vector<Case>{
           {data + " --n-feat 8 --batch 20 --threads 1", "--batch 10, and this command gives --batch 20"},
           {data + " --n-feat 16 --batch 10 --threads 1", "--n-feat 8, and this command gives --n-feat 16"},
           {data + same + " --lr 0.0005", "--lr 0.001, and this command gives --lr 0.0005"},
           {data + same + " --prediction v", "--prediction eps, and this command gives --prediction v"},
           {data + same + " --no-flip", "--no-flip not given, and this command gives --no-flip given"},
           {" --images " + dir + "/other.npy --labels " + dir + "/other_labels.npy" + same, "--images sha256:"},
       }) {
    EXPECT_NE(testutil::run_command(exe + c.args + run + " --resume", out), 0) << c.args;
    EXPECT_NE(out.find("error: --resume: " + dir + "/run/checkpoint.pt is a run with " + c.expect), std::string::npos)
        << c.args << "\n" << out;
  }
  EXPECT_EQ(losses(dir + "/run/loss.csv").size(), 3u) << "a refused resume trained";
  ASSERT_EQ(testutil::run_command(exe + data + run + same + " --resume --max-steps 2", out), 0) << out;
  EXPECT_NE(out.find("the run is at step 3, at or past --max-steps 2; nothing to train"), std::string::npos) << out;
  EXPECT_EQ(losses(dir + "/run/loss.csv").size(), 3u) << "a resume past --max-steps trained";

  ASSERT_EQ(testutil::run_command(exe + data + run + " --n-feat 8 --batch 10 --threads 2 --channels-last --resume", out), 0) << out;
  EXPECT_EQ(losses(dir + "/run/loss.csv").size(), 20u);
  ASSERT_EQ(testutil::run_command(exe + data + run + same + " --resume", out), 0) << out;
  EXPECT_NE(out.find("the run has finished its 2 epochs; nothing is left to train"), std::string::npos) << out;
  EXPECT_EQ(out.find("last loss"), std::string::npos) << out;
  EXPECT_EQ(losses(dir + "/run/loss.csv").size(), 20u);
}

// Numbers compare as numbers, and a flag only one record names (another trainer version's) is not compared.
TEST(RunRecord, ComparesNumbersByValueAndSkipsFlagsOneSideLacks) {
  EXPECT_NO_THROW(check_same_run("--lr 0.10000000000000001\n--batch 10\n", "--lr 0.1\n--batch 10\n--new-flag x\n", "ck"));
  EXPECT_THROW(check_same_run("--lr 0.1\n", "--lr 0.2\n", "ck"), std::runtime_error);
  EXPECT_THROW(check_same_run("--images sha256:ab\n", "--images sha256:cd\n", "ck"), std::runtime_error);
}

// What --resume adds: the run's value of each setting that differs and that the command did not
// give; never a file (known by its hash only), a flag only one side names, or what a teacher fixes.
TEST(RunRecord, ResumeArgumentsFillInWhatTheCommandLeftOut) {
  const std::string saved = "--distill none\n--images sha256:ab\n--n-feat 8\n--batch 10\n--lr 0.0005\n--no-flip given\n--old x\n";
  const std::string now = "--distill none\n--images sha256:cd\n--n-feat 64\n--batch 20\n--lr 0.001\n--no-flip not given\n";
  const auto none = [](const std::string&) { return false; };
  EXPECT_EQ(resume_arguments(saved, now, none), (std::vector<std::string>{"--n-feat", "8", "--batch", "10", "--lr", "0.0005", "--no-flip"}));
  EXPECT_EQ(resume_arguments(saved, now, [](const std::string& f) { return f == "--batch"; }),
            (std::vector<std::string>{"--n-feat", "8", "--lr", "0.0005", "--no-flip"}));
  EXPECT_TRUE(resume_arguments(now, now, none).empty());
  // A distillation's width and labels come from its teacher.
  const std::string distill_saved = "--distill sha256:ab\n--teacher-steps 16\n--n-feat 8\n", distill_now = "--distill sha256:ab\n--teacher-steps 32\n--n-feat 64\n";
  EXPECT_EQ(resume_arguments(distill_saved, distill_now, none), (std::vector<std::string>{"--teacher-steps", "16"}));
}

// "continue with --resume", as an interrupted run says: --resume alone continues a run trained with
// other settings than the defaults, on the same steps as the run never stopped.
TEST(TrainCli, ResumeAloneContinuesARunWithItsOwnSettings) {
  const std::string exe = SPRITES_TRAIN_EXE, dir = testutil::temp_dir();
  const std::string data = " --images " + kImages + " --labels " + kLabels + " --threads 1";
  const std::string own = " --n-feat 8 --batch 10 --epoch-images 100 --epochs 2 --lr 0.0005 --no-flip --label-names a,b,c,d,e";
  std::string out;
  ASSERT_EQ(testutil::run_command(exe + data + own + " --out " + dir + "/whole --max-steps 6", out), 0) << out;
  ASSERT_EQ(testutil::run_command(exe + data + own + " --out " + dir + "/run --max-steps 3", out), 0) << out;
  ASSERT_EQ(testutil::run_command(exe + data + " --out " + dir + "/run --resume --max-steps 6", out), 0) << out;
  EXPECT_NE(out.find("--resume: with the run's own --label-names a,b,c,d,e --n-feat 8 --epoch-images 100 --batch 10 --lr 0.0005 --no-flip\n"),
            std::string::npos) << out;
  EXPECT_NE(out.find("resumed from"), std::string::npos) << out;
  EXPECT_EQ(losses(dir + "/run/loss.csv"), losses(dir + "/whole/loss.csv"));
  EXPECT_EQ(losses(dir + "/run/loss.csv").size(), 6u);
  // A flag given still has to be the run's.
  EXPECT_NE(testutil::run_command(exe + data + " --out " + dir + "/run --resume --n-feat 16", out), 0);
  EXPECT_NE(out.find("is a run with --n-feat 8, and this command gives --n-feat 16"), std::string::npos) << out;
}

// What a kill leaves in the logs (a last line cut anywhere, even inside its step) and lines that are
// not rows: --resume leaves them out, says so for the second, and the curve goes on as if unbroken.
TEST(TrainCli, ResumeLeavesOutLogLinesThatAreNotRows) {
  const std::string exe = SPRITES_TRAIN_EXE, dir = testutil::temp_dir();
  const std::string data = " --images " + kImages + " --labels " + kLabels + " --threads 1";
  const std::string run = exe + data + " --n-feat 8 --batch 10 --epoch-images 100 --epochs 2";
  std::string out;
  ASSERT_EQ(testutil::run_command(run + " --out " + dir + "/whole --max-steps 6", out), 0) << out;
  ASSERT_EQ(testutil::run_command(run + " --out " + dir + "/run --max-steps 3", out), 0) << out;
  const auto log = testutil::read_bytes(dir + "/run/loss.csv");
  testutil::write_text(dir + "/run/loss.csv", std::string(log.begin(), log.end()) + "garbage,x\n2,0,0.5\n1");
  ASSERT_EQ(testutil::run_command(exe + data + " --out " + dir + "/run --resume --max-steps 6", out), 0) << out;
  EXPECT_NE(out.find("warning: " + dir + "/run/loss.csv: left out 2 line(s) that are not rows of this log\n"), std::string::npos) << out;
  EXPECT_EQ(losses(dir + "/run/loss.csv"), losses(dir + "/whole/loss.csv"));
  EXPECT_NE(out.find("finished after 6 steps; last loss "), std::string::npos) << out;
  EXPECT_NE(out.find("in the studio: scripts/demo --weights " + dir + "/run\n"), std::string::npos) << out;
}

// Your own classes (a folder turned into .npy by `sprites dataset`): the model gets a context input
// per class of the labels file, named by --label-names or "class 1", ...; more than a page can show
// is refused.
TEST(TrainCli, AnyNumberOfClassesTrainsAModelWithThoseLabels) {
  const std::string exe = SPRITES_TRAIN_EXE, dir = testutil::temp_dir();
  auto write_set = [&](const std::string& name, int n, int classes) {
    std::vector<uint8_t> px(static_cast<size_t>(n) * 16 * 16 * 3);
    for (size_t i = 0; i < px.size(); ++i) px[i] = static_cast<uint8_t>(i * 37);
    std::vector<double> onehot(static_cast<size_t>(n) * classes, 0.0);
    for (int i = 0; i < n; ++i) onehot[static_cast<size_t>(i) * classes + i % classes] = 1.0;
    std::vector<uint8_t> labels(onehot.size() * 8);
    std::memcpy(labels.data(), onehot.data(), labels.size());
    testutil::write_bytes(dir + "/" + name + ".npy", testutil::npy_bytes("|u1", {n, 16, 16, 3}, px));
    testutil::write_bytes(dir + "/" + name + "_labels.npy", testutil::npy_bytes("<f8", {n, classes}, labels));
  };
  write_set("three", 12, 3);
  write_set("many", 2, 65);
  const std::string tiny = " --n-feat 8 --batch 4 --epoch-images 8 --epochs 1 --threads 1";
  const std::string three = exe + " --images " + dir + "/three.npy --labels " + dir + "/three_labels.npy" + tiny;
  std::string out;
  ASSERT_EQ(testutil::run_command(three + " --out " + dir + "/numbered", out), 0) << out;
  const UnetWeights numbered = load_unet_weights(dir + "/numbered/sprites_final.safetensors");
  EXPECT_EQ(numbered.arch.n_cfeat, 3);
  EXPECT_EQ(numbered.labels, (std::vector<std::string>{"class 1", "class 2", "class 3"}));
  ASSERT_EQ(testutil::run_command(three + " --label-names slime,knight,potion --out " + dir + "/named", out), 0) << out;
  EXPECT_EQ(load_unet_weights(dir + "/named/sprites_final.safetensors").labels, (std::vector<std::string>{"slime", "knight", "potion"}));
  EXPECT_NE(testutil::run_command(three + " --label-names a,b --out " + dir + "/two", out), 0);
  EXPECT_NE(out.find("--label-names needs 3 comma-separated names, got 2"), std::string::npos) << out;
  EXPECT_NE(testutil::run_command(exe + " --images " + dir + "/many.npy --labels " + dir + "/many_labels.npy" + tiny + " --out " + dir + "/many", out), 0);
  EXPECT_NE(out.find("many_labels.npy: 65 classes; a model takes 1 to 64"), std::string::npos) << out;
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

// kill -9 gives no chance to save: what survives is the last checkpoint, written atomically. Killed
// at several random points and resumed each time, a run must still end with exactly the loss curve
// of an uninterrupted one, and each resume must start no more than one checkpoint interval back.
TEST(TrainCli, SigkillAtRandomPointsThenResumeEndsWithTheUninterruptedCurve) {
  const std::string exe = SPRITES_TRAIN_EXE;
  const int every = 7;
  auto args = [&](const std::string& dir) {
    return " --images " + kImages + " --labels " + kLabels + " --out " + dir +
           " --n-feat 8 --batch 10 --epoch-images 100 --epochs 25 --threads 1 --seed 4 --checkpoint-every " + std::to_string(every);
  };
  std::string out;
  const std::string whole = testutil::temp_dir(), killed = testutil::temp_dir();
  ASSERT_EQ(testutil::run_command(exe + args(whole), out), 0) << out;

  std::mt19937 rng(11);
  int resumes = 0;
  for (int kill = 0; kill < 5; ++kill) {
    const bool resume = std::filesystem::exists(killed + "/checkpoint.pt");
    const int ms = std::uniform_int_distribution<int>(0, 400)(rng);
    const int64_t rows_before = resume ? static_cast<int64_t>(losses(killed + "/loss.csv").size()) : 0;
    // Once this process has saved a checkpoint of its own (loss.csv grows at each), a random moment later.
    const std::string csv = killed + "/loss.csv";
    testutil::run_command("bash -c '" + exe + args(killed) + (resume ? " --resume" : "") + " & pid=$!; n0=$(wc -l < " + csv +
                              " 2>/dev/null || echo 1); for i in $(seq 1200); do [ $(wc -l < " + csv +
                              " 2>/dev/null || echo 0) -gt $n0 ] && break; sleep 0.05; done; sleep " + std::to_string(ms / 1000.0) +
                              "; kill -9 $pid; wait $pid; true'",
                          out);
    if (resume) {
      const auto at = out.find("resumed from ");
      ASSERT_NE(at, std::string::npos) << out;
      const int64_t step = std::stoll(out.substr(out.find(" at step ", at) + 9));
      EXPECT_GE(step, rows_before - every) << "a resume went back more than one checkpoint interval";
      ++resumes;
    }
  }
  EXPECT_EQ(resumes, 4);
  ASSERT_EQ(testutil::run_command(exe + args(killed) + " --resume", out), 0) << out;
  const auto a = losses(whole + "/loss.csv"), b = losses(killed + "/loss.csv");
  ASSERT_EQ(a.size(), 250u);
  ASSERT_EQ(b.size(), a.size());
  for (size_t i = 0; i < a.size(); ++i) ASSERT_EQ(a[i], b[i]) << "step " << i + 1;
  EXPECT_EQ(testutil::read_bytes(whole + "/sprites_final.safetensors"), testutil::read_bytes(killed + "/sprites_final.safetensors"));
}

// scripts/train --device cuda on a machine without a GPU or a CUDA LibTorch: one line, at once,
// before any building (a CPU-only machine must not start a long CUDA build that cannot work).
TEST(TrainCli, CudaWithoutAGpuStopsAtOnceWithOneLine) {
  std::string out;
  if (testutil::run_command("nvidia-smi -L", out) == 0) GTEST_SKIP() << "this machine has a GPU";
  const std::string dir = testutil::temp_dir();
  const auto t0 = std::chrono::steady_clock::now();
  // Neither a CUDA PyTorch nor a LIBTORCH with CUDA: this one is CPU-only or no LibTorch at all.
  const int rc = testutil::run_command("env LIBTORCH=" + dir + " " SPRITES_SOURCE_DIR "/scripts/train --device cuda --epochs 1 --out " + dir + "/run", out);
  const double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_NE(rc, 0);
  EXPECT_LT(secs, 30) << out;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
  EXPECT_NE(out.find("error: --device cuda needs an NVIDIA GPU and a CUDA LibTorch"), std::string::npos) << out;
  EXPECT_NE(out.find("no NVIDIA GPU"), std::string::npos) << out;
  EXPECT_NE(out.find("LIBTORCH=" + dir + " is not an unpacked LibTorch"), std::string::npos) << out;
  EXPECT_FALSE(std::filesystem::exists(dir + "/run")) << "nothing was trained";
}

// scripts/train --images/--labels: your own pair in place of the shipped one. They were passed after
// the script's defaults, and sprites-train refused two of each ("At Most 1 required but received 2").
TEST(TrainCli, ScriptTrainsOnTheDatasetGivenOnItsCommandLine) {
  const std::string dir = testutil::temp_dir();
  testutil::write_sprite_set(dir, "mine", 30);
  const std::string tiny = " --device cpu --n-feat 8 --batch 10 --epoch-images 20 --epochs 1 --out " + dir + "/run ";
  for (const std::string& flags : {"--images " + dir + "/mine.npy --labels " + dir + "/mine_labels.npy",
                                   "--images=" + dir + "/mine.npy --labels=" + dir + "/mine_labels.npy"}) {
    std::string out;
    ASSERT_EQ(testutil::run_command("env -u IMAGES -u LABELS " SPRITES_SOURCE_DIR "/scripts/train" + tiny + flags, out), 0) << out;
    const size_t at = out.find("training on cpu");
    ASSERT_NE(at, std::string::npos) << out;
    int train = 0, val = 0;
    ASSERT_EQ(std::sscanf(out.c_str() + out.find(": ", at), ": %d train / %d val sprites", &train, &val), 2) << out;
    EXPECT_EQ(train + val, 30) << "the shipped set has 2,642";
    EXPECT_TRUE(std::filesystem::exists(dir + "/run/sprites_final.safetensors"));
    std::filesystem::remove_all(dir + "/run");
  }
}

// The python3 torch the CUDA build would use, as scripts/train reads it: a CPU-only or a ROCm (AMD)
// build is named as such (a fake python3 first on PATH answers for it).
TEST(TrainCli, CudaNamesWhatKindOfTorchPythonHas) {
  std::string out;
  if (testutil::run_command("nvidia-smi -L", out) == 0) GTEST_SKIP() << "this machine has a GPU";
  const std::string dir = testutil::temp_dir();
  for (const auto& [answer, expect] : std::vector<std::pair<std::string, std::string>>{
           {"2.5.1+rocm6.2 rocm /opt/torch", "python3's torch 2.5.1+rocm6.2 is a ROCm (AMD) build, not a CUDA one"},
           {"2.5.1+cpu none /opt/torch", "python3's torch 2.5.1+cpu is CPU-only"}}) {
    testutil::write_text(dir + "/python3", "#!/bin/sh\necho '" + answer + "'\n");
    ASSERT_EQ(testutil::run_command("chmod +x " + dir + "/python3", out), 0);
    EXPECT_NE(testutil::run_command("env -u LIBTORCH PATH=" + dir + ":$PATH " SPRITES_SOURCE_DIR "/scripts/train --device cuda --out " + dir + "/run", out), 0);
    EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 1) << out;
    EXPECT_NE(out.find(expect), std::string::npos) << out;
  }
}

// scripts/train --pack-build-deps DIR: the folder a GPU machine without package access builds from.
// Compiled against alone (-isystem comes before the system's folders): the four libraries' headers,
// openssl's two multiarch headers among them, and the carried libcrypto linked and run.
TEST(TrainCli, PackedBuildDepsAreAWholeIncludeFolder) {
  const std::string dir = testutil::temp_dir(), pack = dir + "/pack";
  std::string out;
  ASSERT_EQ(testutil::run_command(SPRITES_SOURCE_DIR "/scripts/train --pack-build-deps " + pack, out), 0) << out;
  EXPECT_NE(out.find("SPRITES_EXTRA_INCLUDE=" + pack + "/include scripts/train --device cuda"), std::string::npos) << out;
  testutil::write_text(dir + "/uses_all.cpp",
                       "#include <CLI/CLI.hpp>\n#include <nlohmann/json.hpp>\n#include <openssl/sha.h>\n#include <stb/stb_image_write.h>\n"
                       "#include <cstdio>\nint main() { unsigned char d[SHA256_DIGEST_LENGTH];\n"
                       "  SHA256(reinterpret_cast<const unsigned char*>(\"abc\"), 3, d);\n"
                       "  std::printf(\"%02x%02x%02x%02x %s\\n\", d[0], d[1], d[2], d[3], nlohmann::json{{\"ok\", 1}}.dump().c_str()); }\n");
  ASSERT_EQ(testutil::run_command("c++ -std=c++17 -H -isystem " + pack + "/include " + dir + "/uses_all.cpp " + pack +
                                  "/lib/libcrypto.so.3 -o " + dir + "/uses_all", out), 0) << out;
  for (const char* h : {"/include/CLI/CLI.hpp", "/include/nlohmann/json.hpp", "/include/stb/stb_image_write.h",
                        "/include/openssl/sha.h", "/include/openssl/configuration.h"})
    EXPECT_NE(out.find(pack + h), std::string::npos) << h << " not taken from the pack";
  EXPECT_EQ(out.find("/usr/include/openssl"), std::string::npos) << "a system openssl header was used";
  EXPECT_EQ(out.find("-linux-gnu/openssl"), std::string::npos) << "a system openssl header was used";
  ASSERT_EQ(testutil::run_command("LD_LIBRARY_PATH=" + pack + "/lib " + dir + "/uses_all", out), 0) << out;
  EXPECT_EQ(out, "ba7816bf {\"ok\":1}\n");  // SHA-256("abc") begins ba7816bf (FIPS 180-2)
  EXPECT_NE(testutil::run_command(SPRITES_SOURCE_DIR "/scripts/train --epochs 1 --pack-build-deps " + pack, out), 0);
  EXPECT_NE(out.find("usage: scripts/train --pack-build-deps DIR"), std::string::npos) << out;
}
