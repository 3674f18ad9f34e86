#include "distillation.h"

#include "export_weights.h"
#include "label_names.h"
#include "parse_number.h"
#include "safetensors.h"

namespace sprites {

Teacher load_teacher(const std::string& path) {
  const SafeTensors st = load_safetensors(path);
  auto meta = [&](const std::string& key, const std::string& missing) {
    auto it = st.metadata.find(key);
    return it == st.metadata.end() ? missing : it->second;
  };
  Teacher t;
  UnetArch kind;
  read_prediction_and_schedule(st.metadata, path, kind);
  t.prediction = kind.prediction;
  t.zero_terminal_snr = kind.zero_terminal_snr;
  // The trainer runs the course's T and betas; a teacher on another schedule would be taught wrong steps.
  for (const auto& [key, want] : schedule_metadata(Schedule(500, 1e-4f, 0.02f, t.zero_terminal_snr)))
    if (meta(key, want) != want)
      throw std::runtime_error(path + ": teacher has " + key + " = " + meta(key, "") + "; distillation needs " + want);
  if (const std::string steps = meta("distilled_steps", ""); !steps.empty()) {
    const auto n = parse_int_in(steps, 1, 500);  // the core's reader takes 1..T too (unet_weights.cpp)
    if (!n) throw std::runtime_error(path + ": distilled_steps '" + steps + "' is not a step count");
    t.distilled_steps = static_cast<int>(*n);
  }
  t.net = load_folded_model(st, path, &t.unet);  // the file read above, not a second time
  t.labels = labels_from_metadata(meta("labels", ""), static_cast<int>(t.unet.n_cfeat), path);
  return t;
}

Distillation::Distillation(Teacher teacher, const Schedule& s, torch::Device dev)
    : teacher_(teacher.net), first_prediction_(teacher.prediction), T_(s.T) {
  auto ab = torch::tensor(s.ab, torch::kDouble);
  alpha_ = ab.sqrt().to(torch::kFloat).to(dev);
  sigma_ = (1 - ab).sqrt().to(torch::kFloat).to(dev);
  mid_ = torch::zeros({T_ + 1}, torch::TensorOptions(torch::kLong).device(dev));
  lo_ = torch::zeros_like(mid_);
  teacher_is_v_ = torch::zeros({}, torch::TensorOptions(torch::kBool).device(dev));
  teacher_->to(dev);
  teacher_->eval();  // its BatchNorms are the folded identities
  for (auto& p : teacher_->parameters()) p.requires_grad_(false);
}

void Distillation::begin_phase(int student_steps, bool teacher_is_student) {
  teacher_is_v_.fill_(teacher_is_student || first_prediction_ == Prediction::v);
  const std::vector<int> fine = evenly_spaced_timesteps(T_, 2 * student_steps);
  std::vector<int64_t> mid(T_ + 1, 0), lo(T_ + 1, 0), uppers;
  for (size_t i = 0; i < fine.size(); i += 2) {
    mid[fine[i]] = fine[i + 1];
    lo[fine[i]] = i + 2 < fine.size() ? fine[i + 2] : 0;
    uppers.push_back(fine[i]);
  }
  mid_.copy_(torch::tensor(mid));
  lo_.copy_(torch::tensor(lo));
  uppers_ = torch::tensor(uppers);
}

void Distillation::promote(ContextUnet& student) { copy_weights(student, teacher_); }

NoiseDraw Distillation::draw(torch::Generator& g, at::IntArrayRef shape) const {
  auto noise = torch::randn(shape, g);
  auto step = torch::randint(0, uppers_.size(0), {shape[0]}, g, torch::kLong);
  return {noise, uppers_.index_select(0, step)};
}

static torch::Tensor per_sample(const torch::Tensor& table, const torch::Tensor& t) { return table.index_select(0, t).view({-1, 1, 1, 1}); }

torch::Tensor Distillation::teacher_step(const torch::Tensor& z, const torch::Tensor& t, const torch::Tensor& to,
                                         const torch::Tensor& c) const {
  const auto a = per_sample(alpha_, t), s = per_sample(sigma_, t);
  const auto out = teacher_->forward(z, (t.to(torch::kFloat) / T_).view({-1, 1}), c);
  // Both readings, one chosen per the flag; the eps one divides by alpha, which only a v teacher's
  // zero-terminal-SNR schedule makes 0, and then it is not the one chosen.
  const auto x0 = torch::where(teacher_is_v_, a * z - s * out, (z - s * out) / a);
  const auto eps = torch::where(teacher_is_v_, s * z + a * out, out);
  return per_sample(alpha_, to) * x0 + per_sample(sigma_, to) * eps;
}

torch::Tensor Distillation::target_x0(const torch::Tensor& z, const torch::Tensor& z_lo, const torch::Tensor& alpha_t,
                                      const torch::Tensor& sigma_t, const torch::Tensor& alpha_lo, const torch::Tensor& sigma_lo) {
  const auto r = sigma_lo / sigma_t;
  return (z_lo - r * z) / (alpha_lo - r * alpha_t);
}

torch::Tensor Distillation::loss(ContextUnet& net, const torch::Tensor& x0, const torch::Tensor& c, const NoiseDraw& d) const {
  const auto& t = d.t;
  const auto mid = mid_.index_select(0, t), lo = lo_.index_select(0, t);
  const auto a = per_sample(alpha_, t), s = per_sample(sigma_, t);
  const auto z = a * x0 + s * d.noise;
  torch::Tensor z_lo;
  {
    torch::NoGradGuard ng;
    z_lo = teacher_step(teacher_step(z, t, mid, c), mid, lo, c);
  }
  const auto x_target = target_x0(z, z_lo.to(torch::kFloat), a, s, per_sample(alpha_, lo), per_sample(sigma_, lo));
  const auto pred = net->forward(z, (t.to(torch::kFloat) / T_).view({-1, 1}), c);
  return torch::mse_loss(pred, (a * z - x_target) / s);  // v = (alpha z - x0) / sigma
}

}  // namespace sprites
