#include "training_step.h"

#include "autocast.h"
#include "capturable_adam.h"
#include "keyed_random.h"
#include "trainer.h"

#include <optional>

namespace sprites {

StepBatch draw_step_batch(const TrainConfig& cfg, const Objective& objective, const torch::Tensor& idx,
                          int64_t step, at::IntArrayRef image_shape) {
  auto g = keyed_generator(cfg.seed, RandomStream::step, static_cast<uint64_t>(step));
  const int64_t n = idx.size(0);
  StepBatch b;
  b.idx = idx;
  b.flip = cfg.flip ? torch::rand({n}, g).lt(0.5) : torch::zeros({n}, torch::kBool);
  b.keep = torch::rand({n}, g).ge(cfg.context_drop).to(torch::kFloat).view({-1, 1});
  std::vector<int64_t> shape(image_shape.begin(), image_shape.end());
  shape[0] = n;
  b.draw = objective.draw(g, shape);
  return b;
}

torch::Tensor batch_loss(ContextUnet& model, const Objective& objective, const SpriteDataset& data, const StepBatch& b,
                         bool amp) {
  std::optional<AutocastScope> autocast;
  if (amp) autocast.emplace(data.images.device().type(), true);
  auto x0 = data.images.index_select(0, b.idx);
  x0 = torch::where(b.flip.view({-1, 1, 1, 1}), x0.flip({3}), x0);
  auto c = data.labels.index_select(0, b.idx) * b.keep;
  return objective.loss(model, x0, c, b.draw).to(torch::kFloat);
}

std::vector<float> PendingLosses::get() {
  auto l = losses_.to(torch::kCPU, torch::kFloat).contiguous();
  return {l.data_ptr<float>(), l.data_ptr<float>() + l.numel()};
}

StepBatch batch_on_device(const StepBatch& b, torch::Device dev) {
  return {b.idx.to(dev), b.flip.to(dev), b.keep.to(dev), b.draw.to(dev)};
}

void clear_grads(ContextUnet& model, bool keep_memory) {
  for (auto& p : model->parameters()) {
    if (!keep_memory) p.mutable_grad().reset();
    else if (p.grad().defined()) p.mutable_grad().zero_();
  }
}

torch::Tensor fused_step_body(StepParts& parts, CapturableAdam& adam, const StepBatch& b) {
  auto loss = batch_loss(parts.model, parts.objective, parts.data, b, parts.amp);
  loss.backward();
  adam.step();
  return loss.detach();
}

namespace {

class EagerStep : public TrainingStep {
 public:
  explicit EagerStep(StepParts p) : p_(p) {}
  std::unique_ptr<PendingLosses> run(const std::vector<StepBatch>& batches, int64_t first_step) override {
    const auto dev = p_.data.images.device();
    std::vector<torch::Tensor> losses;
    for (size_t i = 0; i < batches.size(); ++i) {
      auto loss = batch_loss(p_.model, p_.objective, p_.data, batch_on_device(batches[i], dev), p_.amp);
      p_.adam.zero_grad();
      loss.backward();
      p_.adam.step();
      if (p_.ema) p_.ema->update(first_step + static_cast<int64_t>(i));
      losses.push_back(loss.detach());
    }
    return std::make_unique<PendingLosses>(torch::stack(losses));
  }
  void set_lr(double lr) override {
    for (auto& g : p_.adam.param_groups()) static_cast<torch::optim::AdamOptions&>(g.options()).lr(lr);
  }
  const char* name() const override { return "eager"; }

 private:
  StepParts p_;
};

class FusedStep : public TrainingStep {
 public:
  explicit FusedStep(StepParts p) : p_(p), adam_(p.adam) {}
  std::unique_ptr<PendingLosses> run(const std::vector<StepBatch>& batches, int64_t first_step) override {
    const auto dev = p_.data.images.device();
    std::vector<torch::Tensor> losses;
    for (size_t i = 0; i < batches.size(); ++i) {
      clear_grads(p_.model, false);
      losses.push_back(fused_step_body(p_, adam_, batch_on_device(batches[i], dev)));
      if (p_.ema) p_.ema->update(first_step + static_cast<int64_t>(i));
    }
    return std::make_unique<PendingLosses>(torch::stack(losses));
  }
  void set_lr(double lr) override { adam_.set_lr(lr); }
  void sync_optimizer() override { adam_.write_back(); }
  // The graph's runs too, so a CPU exercises the loop a GPU takes.
  int64_t preferred_run() const override { return kGraphRun; }
  const char* name() const override { return "fused"; }

 private:
  StepParts p_;
  CapturableAdam adam_;
};

}  // namespace

std::unique_ptr<TrainingStep> make_eager_step(StepParts parts) { return std::make_unique<EagerStep>(parts); }
std::unique_ptr<TrainingStep> make_fused_step(StepParts parts) { return std::make_unique<FusedStep>(parts); }

}  // namespace sprites
