// Progressive distillation (Salimans & Ho 2022, "Progressive Distillation for Fast Sampling of
// Diffusion Models"): a student learns to take in one deterministic DDIM step what its teacher takes
// in two; then it becomes the teacher and the step count halves again, N -> N/2 -> ... -> 1.
// The student starts as a copy of the teacher and predicts v (x- or v-targets stay well-posed at
// one or two steps, eps does not). Each phase's grid is evenly_spaced_timesteps (schedule.h), the
// one the core's "student" sampler walks, so a student samples exactly as it was trained.
// It is one more Objective: the trainer's loop, checkpoints, CUDA graph and exports serve it as
// they serve DDPM training; what differs is the loss, the teacher it holds, and the phases.
#pragma once
#include "objective.h"

#include <string>
#include <vector>

namespace sprites {

// An exported model to distil from: its network (BatchNorm folded) and what its metadata says.
struct Teacher {
  ContextUnet net{nullptr};
  UnetConfig unet;
  Prediction prediction = Prediction::eps;
  bool zero_terminal_snr = false;
  std::vector<std::string> labels;
  int distilled_steps = 0;  // a student teaches only on its own grid (0: a full model, any grid)
};
// Throws std::runtime_error (one line) if `path` is not a ContextUnet export with T = 500.
Teacher load_teacher(const std::string& path);

class Distillation : public Objective {
 public:
  Distillation(Teacher teacher, const Schedule& s, torch::Device dev);

  // The phase that trains a student of `student_steps` on a teacher of twice as many: the loaded
  // teacher, or after the first phase a promoted student (which predicts v whatever the first
  // teacher predicted). Updates the tables in place, so a CUDA graph captured earlier reads the new ones.
  void begin_phase(int student_steps, bool teacher_is_student);
  // The student that finished a phase teaches the next one (copied in place, for the same reason).
  void promote(ContextUnet& student);
  ContextUnet& teacher() { return teacher_; }

  // Each sample's t is the upper end of one of the student's steps, chosen uniformly.
  NoiseDraw draw(torch::Generator& g, at::IntArrayRef shape) const override;
  // v-MSE (Salimans & Ho's "SNR + 1" weighting) against the v whose one DDIM step from z_t lands
  // where the teacher's two steps land.
  torch::Tensor loss(ContextUnet& net, const torch::Tensor& x0, const torch::Tensor& c, const NoiseDraw& d) const override;

  // The clean image x such that one DDIM step t -> lo from z (coefficients alpha = sqrt(abar),
  // sigma = sqrt(1 - abar)) gives z_lo: (z_lo - (sigma_lo / sigma_t) z) / (alpha_lo - (sigma_lo / sigma_t) alpha_t).
  static torch::Tensor target_x0(const torch::Tensor& z, const torch::Tensor& z_lo, const torch::Tensor& alpha_t,
                                 const torch::Tensor& sigma_t, const torch::Tensor& alpha_lo, const torch::Tensor& sigma_lo);

 private:
  torch::Tensor teacher_step(const torch::Tensor& z, const torch::Tensor& t, const torch::Tensor& to, const torch::Tensor& c) const;

  mutable ContextUnet teacher_;  // forward() is not const in LibTorch; the loss never changes it
  Prediction first_prediction_;
  // 1 while the teacher predicts v, 0 for eps: a device tensor, not a C++ branch, because a CUDA
  // graph captured in the first phase (an eps teacher) replays whatever branch it saw then.
  torch::Tensor teacher_is_v_;
  int T_;
  torch::Tensor alpha_, sigma_;  // sqrt(abar_t), sqrt(1 - abar_t), t = 0..T, on the device
  torch::Tensor mid_, lo_;       // for a student step's upper timestep t: the teacher's middle and end
  torch::Tensor uppers_;         // the student's upper timesteps (CPU), for draw()
};

}  // namespace sprites
