// DDPM training of ContextUnet as the course's lab 2/3, with its noise bug fixed:
// x_t = sqrt(abar_t) x0 + sqrt(1 - abar_t) eps (the course wrote (1 - abar_t) eps).
#pragma once
#include "context_unet.h"
#include "export_weights.h"
#include "objective.h"

#include <string>
#include <vector>

namespace sprites {

struct TrainConfig {
  std::string images, labels, out_dir;
  std::vector<std::string> label_names{"hero", "non-human", "food", "spell", "item"};
  UnetConfig unet;
  int epochs = 32;
  // One epoch is this many images, as the course's (1,788 sprites augmented to 89,400 images), so
  // "epoch 4" means as much training as in the course whatever the dataset size.
  int64_t epoch_images = 89400;
  int64_t batch = 100;
  double lr = 1e-3;           // decays linearly to 0 over the epochs, per epoch, as the course
  double context_drop = 0.1;  // share of samples trained unconditionally (context zeroed)
  // The course's model predicts eps on its linear schedule; an additional model may predict v, on
  // the same betas rescaled to zero terminal SNR (objective.h, schedule.h).
  Prediction prediction = Prediction::eps;
  bool zero_terminal_snr = false;
  bool flip = true;
  uint64_t seed = 0;
  std::string device = "auto";
  // How a step runs (training_step.h): auto (a CUDA graph on a GPU when this build has CUDA,
  // otherwise eager), eager, fused or cuda-graph.
  std::string step = "auto";
  // bf16 autocast for the training forward pass (CPUs with avx512_bf16 or AMX, GPUs); validation
  // and exports stay fp32.
  bool amp = false;
  // Weights, and so every activation, in NHWC memory order (context_unet.h): on a GPU cuDNN's
  // tensor-core kernels need no transposes around each convolution. Only the arithmetic's order
  // changes; checkpoints resume in either order.
  bool channels_last = false;
  Upsampling upsampling = Upsampling::automatic;  // how the up-sampling layers run (context_unet.h)
  int threads = 0;            // 0: one per core this process may use (set_torch_threads)
  // Steps between checkpoints; 0: 200 on the CPU (about 2 minutes there), 2,000 on a GPU (about 10 s
  // with CUDA graphs, where a checkpoint every 200 steps would cost more than the steps).
  int64_t checkpoint_every = 0;
  bool resume = false;
  double budget_minutes = 0;  // >0: lower `epochs` after the first one so training fits
  int64_t max_steps = -1;     // stop (with a checkpoint) after this global step; for tests
  // >0: keep an exponential moving average of the weights (and BatchNorm statistics) with this
  // decay, warmed up as min(decay, (1 + step) / (10 + step)), and validate and export it instead.
  double ema = 0;
  // Progressive distillation (distillation.h) of this exported model instead of DDPM training: the
  // student starts as the teacher, phases halve teacher_steps down to distill_to, phase_epochs epochs
  // each (lr decays per phase); it predicts v on the teacher's schedule, and the labels and width come
  // from the teacher. Each phase exports sprites_student<steps>.safetensors.
  std::string distill_from;
  int teacher_steps = 32;
  int distill_to = 1;
  int phase_epochs = 2;
  // >0 and unlike the teacher's width: the student is a narrower (or wider) network trained from
  // scratch, with BatchNorm in training mode, in one halving (a copy cannot start it). A preview
  // model: the page's live mode runs a network a quarter of the cost (live_preview.h).
  int student_width = 0;
  // An export to start the student from instead of a copy of the teacher: a student of the last
  // phase's steps, on the teacher's schedule and labels, trained further (its width is the
  // student's; it trains as copies do, its BatchNorms folded).
  std::string student_from;
  WeightsDtype export_dtype = WeightsDtype::f16;
  std::vector<int> export_epochs{0, 4, 8};
  int val_every = 10;
};

struct TrainResult {
  int64_t steps = 0;
  int epochs_done = 0;
  double last_loss = 0;  // NaN when no step ran (a finished run resumed)
  bool interrupted = false;
};

// Runs (or resumes) training; throws std::runtime_error with a one-line message on bad input and
// on a NaN loss (the last good checkpoint stays in place).
TrainResult train(const TrainConfig& cfg);

// Images per second of `steps` training steps as train() runs them (cfg.step, cfg.threads, the
// dataset's draws), after one untimed run (a CUDA graph's capture happens there); nothing is written. For benchmarks.
double training_throughput(const TrainConfig& cfg, int steps);

// The interrupt flag the SIGINT handler sets; training saves a checkpoint and returns.
void request_stop();

}  // namespace sprites
