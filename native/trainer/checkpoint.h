// checkpoint.pt: everything a run needs to continue exactly (model, Adam state, moving average,
// a distillation's teacher, global step, planned epochs) and what run it is (run_record.h),
// written atomically so a kill mid-write keeps the previous one.
#pragma once
#include "context_unet.h"

#include <string>

namespace sprites {

struct CheckpointParts {
  ContextUnet& model;
  torch::optim::Adam& adam;
  ContextUnet* ema;  // null when the run keeps no moving average
  ContextUnet* teacher = nullptr;  // a distillation's current teacher (the last phase's student)
};

struct CheckpointProgress {
  int64_t step = 0;  // global steps done
  int epochs = 0;    // epochs planned (a time budget may have lowered them)
};

// OUT/checkpoint.pt, where a run in OUT keeps it.
std::string checkpoint_path(const std::string& out_dir);

void save_checkpoint(const std::string& path, CheckpointParts parts, CheckpointProgress progress, const std::string& run);
// Loads into `parts` in place once the checkpoint's run is `run` (check_same_run); throws
// std::runtime_error with the path and the reason.
CheckpointProgress load_checkpoint(const std::string& path, torch::Device dev, CheckpointParts parts, const std::string& run);
// The run record the checkpoint keeps ("" for one from a trainer that kept none).
std::string saved_run_record(const std::string& path);

}  // namespace sprites
