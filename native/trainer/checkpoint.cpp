#include "checkpoint.h"

#include "common/atomic_file.h"
#include "run_record.h"

namespace sprites {

namespace {

std::runtime_error cannot_resume(const std::string& path, const c10::Error& err) {
  return std::runtime_error(path + ": cannot resume from this checkpoint (" + err.what_without_backtrace() + ")");
}

}  // namespace

std::string checkpoint_path(const std::string& out_dir) { return out_dir + "/checkpoint.pt"; }

void save_checkpoint(const std::string& path, CheckpointParts parts, CheckpointProgress progress, const std::string& run) {
  write_file_atomic(path, [&](const std::string& tmp) {
    torch::serialize::OutputArchive ar;
    parts.model->save(ar);
    torch::serialize::OutputArchive opt_ar;
    parts.adam.save(opt_ar);
    ar.write("optimizer", opt_ar);
    if (parts.ema) {
      torch::serialize::OutputArchive ema_ar;
      (*parts.ema)->save(ema_ar);
      ar.write("ema", ema_ar);
    }
    if (parts.teacher) {
      torch::serialize::OutputArchive teacher_ar;
      (*parts.teacher)->save(teacher_ar);
      ar.write("teacher", teacher_ar);
    }
    ar.write("step", torch::tensor(progress.step));
    ar.write("epochs", torch::tensor(static_cast<int64_t>(progress.epochs)));
    ar.write("run", c10::IValue(run));
    ar.save_to(tmp);
  });
}

CheckpointProgress load_checkpoint(const std::string& path, torch::Device dev, CheckpointParts parts, const std::string& run) {
  torch::serialize::InputArchive ar;
  try {
    ar.load_from(path, dev);
    c10::IValue saved;
    if (ar.try_read("run", saved) && saved.isString()) check_same_run(saved.toStringRef(), run, path);
    parts.model->load(ar);
    torch::serialize::InputArchive opt_ar;
    ar.read("optimizer", opt_ar);
    parts.adam.load(opt_ar);
    if (parts.ema) {
      torch::serialize::InputArchive ema_ar;
      if (!ar.try_read("ema", ema_ar))
        throw std::runtime_error(path + ": this run kept no moving average; resume it without --ema");
      (*parts.ema)->load(ema_ar);
    }
    torch::serialize::InputArchive teacher_ar;
    const bool has_teacher = ar.try_read("teacher", teacher_ar);
    if (has_teacher != (parts.teacher != nullptr))
      throw std::runtime_error(path + (has_teacher ? ": this is a distillation's checkpoint; resume it with the same --distill"
                                                   : ": this checkpoint is not a distillation's; resume it without --distill"));
    if (parts.teacher) (*parts.teacher)->load(teacher_ar);
    torch::Tensor s, e;
    ar.read("step", s);
    ar.read("epochs", e);
    return {s.item<int64_t>(), static_cast<int>(e.item<int64_t>())};
  } catch (const c10::Error& err) {
    throw cannot_resume(path, err);
  }
}

std::string saved_run_record(const std::string& path) {
  try {
    torch::serialize::InputArchive ar;
    ar.load_from(path, torch::kCPU);
    c10::IValue saved;
    return ar.try_read("run", saved) && saved.isString() ? saved.toStringRef() : "";
  } catch (const c10::Error& err) {
    throw cannot_resume(path, err);
  }
}

}  // namespace sprites
