// The fused step captured once as a CUDA graph and replayed for every full batch. On a GPU the
// eager step is bound by kernel launches (hundreds per step at 16x16); a replay launches them all
// at once. Each step's inputs are copied into the graph's static buffers; a run's draws reach the
// device in one copy, and its losses come back in one read, while the CPU draws the next run.
#include "capturable_adam.h"
#include "training_step.h"

#include <ATen/cuda/CUDAContext.h>
#include <ATen/cuda/CUDAGraph.h>
#include <c10/cuda/CUDAGuard.h>

#include <optional>

namespace sprites {

bool cuda_graphs_built() { return true; }

namespace {

class CudaGraphStep : public TrainingStep {
 public:
  CudaGraphStep(StepParts p, int64_t batch) : p_(p), adam_(p.adam), batch_(batch) {
    const auto dev = p.data.images.device();
    if (!dev.is_cuda()) throw std::runtime_error("CUDA graphs need the model on a GPU (--device cuda)");
  }

  std::unique_ptr<PendingLosses> run(const std::vector<StepBatch>& batches, int64_t first_step) override {
    const auto dev = p_.data.images.device();
    const auto k = static_cast<int64_t>(batches.size());
    auto losses = torch::empty({k}, torch::TensorOptions().device(dev));
    const auto all = stacked_on_device(batches, dev);
    for (int64_t i = 0; i < k; ++i) {
      const StepBatch& host = batches[static_cast<size_t>(i)];
      if (host.idx.size(0) != batch_ || warmed_ < kWarmup) {
        // Warm-up (cuDNN's algorithm search and the allocator settle before a capture) and a short
        // last batch run the same body eagerly; they are real steps.
        clear_grads(p_.model, graph_.has_value());
        losses[i].copy_(fused_step_body(p_, adam_, batch_on_device(host, dev)));
        if (host.idx.size(0) == batch_) ++warmed_;
      } else {
        fill_static(all, i);
        if (!graph_) capture();
        graph_->replay();
        losses[i].copy_(static_loss_);
      }
      if (p_.ema) p_.ema->update(first_step + i);
    }
    return std::make_unique<PendingLosses>(losses);
  }

  void set_lr(double lr) override { adam_.set_lr(lr); }
  void sync_optimizer() override { adam_.write_back(); }
  int64_t preferred_run() const override { return kGraphRun; }
  const char* name() const override { return "cuda-graph"; }

 private:
  static constexpr int kWarmup = 3;

  // The run's full batches stacked [k, ...] and sent to the device from pinned memory in one copy each.
  std::vector<torch::Tensor> stacked_on_device(const std::vector<StepBatch>& batches, torch::Device dev) {
    std::vector<torch::Tensor> idx, flip, keep, noise, t;
    for (auto& b : batches) {
      if (b.idx.size(0) != batch_) continue;
      idx.push_back(b.idx), flip.push_back(b.flip), keep.push_back(b.keep), noise.push_back(b.draw.noise), t.push_back(b.draw.t);
    }
    if (idx.empty()) return {};
    std::vector<torch::Tensor> out;
    for (auto* v : {&idx, &flip, &keep, &noise, &t}) out.push_back(torch::stack(*v).pin_memory().to(dev, /*non_blocking=*/true));
    full_row_.clear();
    int64_t row = 0;
    for (auto& b : batches) full_row_.push_back(b.idx.size(0) == batch_ ? row++ : -1);
    return out;
  }

  void fill_static(const std::vector<torch::Tensor>& all, int64_t i) {
    const int64_t r = full_row_[static_cast<size_t>(i)];
    if (!static_.idx.defined()) {
      static_ = {all[0][r].clone(), all[1][r].clone(), all[2][r].clone(), {all[3][r].clone(), all[4][r].clone()}};
      return;
    }
    static_.idx.copy_(all[0][r]);
    static_.flip.copy_(all[1][r]);
    static_.keep.copy_(all[2][r]);
    static_.draw.noise.copy_(all[3][r]);
    static_.draw.t.copy_(all[4][r]);
  }

  // Captures the body on a side stream (capture cannot use the default one); replays then run on
  // the current stream, in order with the copies into the static buffers.
  void capture() {
    auto side = c10::cuda::getStreamFromPool();
    side.synchronize();
    c10::cuda::getCurrentCUDAStream().synchronize();
    clear_grads(p_.model, false);  // backward allocates them from the graph's pool
    graph_.emplace();
    {
      c10::cuda::CUDAStreamGuard guard(side);
      graph_->capture_begin();
      static_loss_ = fused_step_body(p_, adam_, static_);
      graph_->capture_end();
    }
    side.synchronize();
  }

  StepParts p_;
  CapturableAdam adam_;
  int64_t batch_;
  int warmed_ = 0;
  std::optional<at::cuda::CUDAGraph> graph_;
  StepBatch static_;
  torch::Tensor static_loss_;
  std::vector<int64_t> full_row_;
};

}  // namespace

std::unique_ptr<TrainingStep> make_cuda_graph_step(StepParts parts, int64_t batch) {
  return std::make_unique<CudaGraphStep>(parts, batch);
}

}  // namespace sprites
