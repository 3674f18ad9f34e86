// What makes a training run that run: the settings and files that decide its every step, recorded
// in checkpoint.pt so that --resume continues the same run or names the first flag that differs.
// Threads, device, step kind, --amp, --channels-last, --upsampling, the checkpoint interval and the
// export format may change between sessions (a run may start on a GPU and finish on a CPU); the
// planned epochs come from the checkpoint.
#pragma once
#include "trainer.h"

#include <functional>
#include <string>
#include <vector>

namespace sprites {

// What a distillation's teacher fixes, so that sprites-train refuses them with --distill.
inline const std::vector<std::string> kFixedByTeacher = {"--epochs", "--n-feat", "--label-names", "--prediction", "--zero-terminal-snr"};

// "--flag value" lines; files by the start of their sha256.
std::string run_record(const TrainConfig& cfg, const std::string& images_sha256);

// Throws, naming the first flag whose value differs, unless `now` describes the run `saved` does.
// A flag only one side names (a record from another version of the trainer) is not compared.
void check_same_run(const std::string& saved, const std::string& now, const std::string& checkpoint_path);

// The arguments that make the command's run (`now`) the run `saved` is, for each setting that
// differs and that the command line did not give (`on_command_line(flag)` false): what --resume adds, so that
// it alone continues a run trained with other settings than the defaults. Files (recorded by their
// hash) and what a distillation's teacher fixes are not restored; check_same_run names those.
std::vector<std::string> resume_arguments(const std::string& saved, const std::string& now,
                                          const std::function<bool(const std::string&)>& on_command_line);

}  // namespace sprites
