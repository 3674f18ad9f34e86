// How optimiser steps run. The loop draws each step's batch on the CPU from the step's keyed
// generator (StepBatch) and hands runs of them to a TrainingStep:
//   eager:      forward, backward and torch::optim::Adam, step by step (CPU, or CUDA without graphs);
//   fused:      the same step with CapturableAdam, run eagerly (the body a CUDA graph captures);
//   cuda-graph: that body captured once and replayed for every step (cuda_graph_step.cpp).
// All three train on the same numbers, so their loss curves agree within float noise.
#pragma once
#include "objective.h"
#include "sprite_dataset.h"
#include "weight_ema.h"

#include <memory>
#include <vector>

namespace sprites {

struct TrainConfig;

struct StepBatch {
  torch::Tensor idx;   // [n] long: the step's sprites
  torch::Tensor flip;  // [n] bool: mirrored horizontally
  torch::Tensor keep;  // [n,1] float: 0 trains that sprite unconditionally
  NoiseDraw draw;      // the objective's noise and timesteps
};

// Step `step`'s batch for sprites `idx` (CPU), drawn in the order the trainer has always used, so
// runs and checkpoints from before stay exact.
StepBatch draw_step_batch(const TrainConfig& cfg, const Objective& objective, const torch::Tensor& idx,
                          int64_t step, at::IntArrayRef image_shape);

// The loss of one batch (tensors on the model's device): flips, context dropping, the objective;
// with amp, the forward pass under bf16 autocast (autocast.h).
torch::Tensor batch_loss(ContextUnet& model, const Objective& objective, const SpriteDataset& data, const StepBatch& b,
                         bool amp);

// What every kind of step works on; all of it outlives the step.
struct StepParts {
  ContextUnet& model;
  const Objective& objective;
  const SpriteDataset& data;  // on the model's device
  torch::optim::Adam& adam;   // its state is what checkpoints save
  WeightEma* ema;             // null without a moving average
  bool amp;                   // bf16 autocast for the forward pass
};

// Losses of a run of steps, possibly still being computed on the device.
class PendingLosses {
 public:
  explicit PendingLosses(torch::Tensor losses) : losses_(std::move(losses)) {}
  virtual ~PendingLosses() = default;
  virtual std::vector<float> get();  // waits for them

 protected:
  torch::Tensor losses_;
};

// Steps per run() of a CUDA graph: one device read per 32 steps.
inline constexpr int64_t kGraphRun = 32;

class TrainingStep {
 public:
  virtual ~TrainingStep() = default;
  // Trains on `batches` in order (global steps first_step, first_step + 1, ...).
  virtual std::unique_ptr<PendingLosses> run(const std::vector<StepBatch>& batches, int64_t first_step) = 0;
  virtual void set_lr(double lr) = 0;
  // Before a checkpoint: the optimizer state into the torch::optim::Adam that checkpoint.h saves.
  virtual void sync_optimizer() {}
  // How many steps one run() should take: a graph amortises its device reads over many.
  virtual int64_t preferred_run() const { return 1; }
  virtual const char* name() const = 0;
};

class CapturableAdam;
// One step of forward, backward and CapturableAdam on gradients that start cleared (or unallocated,
// as a graph capture wants them): only device work, no reads back, so a CUDA graph can capture it.
torch::Tensor fused_step_body(StepParts& parts, CapturableAdam& adam, const StepBatch& b);
// Gradients cleared before a step: freed, or zeroed in place once a captured graph owns them.
void clear_grads(ContextUnet& model, bool keep_memory);
StepBatch batch_on_device(const StepBatch& b, torch::Device dev);

std::unique_ptr<TrainingStep> make_eager_step(StepParts parts);
std::unique_ptr<TrainingStep> make_fused_step(StepParts parts);
// Throws std::runtime_error when this LibTorch was built without CUDA or the model is not on a GPU.
std::unique_ptr<TrainingStep> make_cuda_graph_step(StepParts parts, int64_t batch);
bool cuda_graphs_built();

}  // namespace sprites
