#include "sample.h"

#include "philox_noise.h"
#include "repaint_mask.h"
#include "samplers/sampler_table.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace sprites {

bool is_unconditional(const std::vector<float>& context) {
  return std::all_of(context.begin(), context.end(), [](float v) { return v == 0; });
}

bool is_guided(const SampleParams& p) { return p.guidance > 0 && !is_unconditional(p.context); }

std::unique_ptr<Sampler> make_sampler(const Schedule& s, const SampleParams& p) {
  const SamplerInfo* info = find_sampler(p.sampler);
  if (!info) throw std::invalid_argument("unknown sampler '" + p.sampler + "' (" + sampler_id_list() + ")");
  if (p.init.empty()) return info->make(s, p);
  if (!(p.strength > 0 && p.strength <= 1)) throw std::invalid_argument("strength must be in (0, 1]");
  return from_timestep(info->make(s, p), init_timestep(s, p.strength));
}

int init_timestep(const Schedule& s, float strength) { return static_cast<int>(std::lround(strength * static_cast<float>(s.T))); }

SamplingRun::SamplingRun(UnetXnn& net, const Schedule& s, SampleParams p)
    : net_(net), s_(s), p_(std::move(p)) {
  const auto& arch = net.arch();
  if (p_.count < 1) throw std::invalid_argument("count must be at least 1");
  if (p_.first_index < 0) throw std::invalid_argument("first_index must be non-negative");
  if (static_cast<int>(p_.context.size()) != arch.n_cfeat)
    throw std::invalid_argument("context needs " + std::to_string(arch.n_cfeat) + " values");
  if (!(p_.guidance >= 0 && p_.guidance <= 20)) throw std::invalid_argument("guidance must be in [0, 20]");
  sampler_ = make_sampler(s, p_);
  n_ = static_cast<size_t>(p_.count);
  img_ = net.image_size();
  if (!p_.init.empty() && p_.init.size() != img_ && p_.init.size() != n_ * img_)
    throw std::invalid_argument("the starting sprite has " + std::to_string(p_.init.size()) + " bytes; this model's sprites have " +
                                std::to_string(img_) + " (" + std::to_string(arch.height) + "x" + std::to_string(arch.height) + " RGB)");
  if (!p_.mask.empty()) {
    if (p_.init.empty()) throw std::invalid_argument("a mask says which pixels of a starting sprite to redraw; give the sprite too");
    check_repaint_mask(p_.mask, static_cast<size_t>(arch.height * arch.height));
  }
  if (p_.resample < 1 || p_.resample > SampleParams::kMaxResample)
    throw std::invalid_argument("resample must be 1.." + std::to_string(SampleParams::kMaxResample));
  if (p_.resample > 1 && p_.mask.empty()) throw std::invalid_argument("resampling fits redrawn pixels to kept ones; it needs a mask");
  if (const std::string why = p_.resample > 1 ? resample_refusal(p_.sampler) : ""; !why.empty()) throw std::invalid_argument(why);
  const size_t nc = static_cast<size_t>(arch.n_cfeat);
  guided_ = is_guided(p_);
  const size_t rows = guided_ ? 2 * n_ : n_;  // guided: conditional rows, then unconditional rows
  x_.assign(n_ * img_, 0);
  for (size_t k = 0; k < n_; ++k) gaussian_noise(p_.seed, static_cast<uint32_t>(p_.first_index + k), 0, &x_[k * img_], img_);
  if (!p_.mask.empty()) start_noise_ = x_;
  if (!p_.init.empty()) noise_start(s, ts()[0], p_.init, img_, x_.data(), x_.data(), n_);
  x0_.assign(n_ * img_, 0);
  xin_.resize(rows * img_);
  eps_.resize(rows * img_);
  tvec_.resize(rows);
  ctx_.assign(rows * nc, 0);
  noise_.resize(n_ * img_);
  for (size_t k = 0; k < n_; ++k) std::copy(p_.context.begin(), p_.context.end(), ctx_.begin() + k * nc);
}

bool SamplingRun::evaluate_rows(size_t max_rows) {
  const size_t rows = tvec_.size();
  if (rows_done_ == 0) {  // a new step: its inputs
    const int t = ts()[i_];
    std::copy(x_.begin(), x_.end(), xin_.begin());
    if (guided_) std::copy(x_.begin(), x_.end(), xin_.begin() + n_ * img_);
    std::fill(tvec_.begin(), tvec_.end(), static_cast<float>(t) / static_cast<float>(s_.T));
  }
  // Rows are independent, so evaluating them in chunks gives the same eps as one batch. A guided
  // run's chunks take a block of sprites with their context, then the same block without, so the
  // network sees the same x twice in a row and encodes it once (UnetXnn::forward).
  const size_t nc = static_cast<size_t>(net_.arch().n_cfeat);
  size_t r0 = rows_done_, r1 = max_rows == 0 ? rows : std::min(rows, r0 + max_rows);
  if (guided_ && max_rows != 0) {
    const size_t block = rows_done_ / (2 * max_rows), first = block * max_rows;
    const size_t size = std::min(max_rows, n_ - first);
    const bool without_context = rows_done_ - 2 * first == size;
    r0 = (without_context ? n_ : 0) + first;
    r1 = r0 + size;
  }
  net_.forward(&xin_[r0 * img_], &tvec_[r0], &ctx_[r0 * nc], r1 - r0, &eps_[r0 * img_]);
  rows_done_ += r1 - r0;
  return rows_done_ == rows;
}

std::optional<StepView> SamplingRun::finish_step() {
  const int t = ts()[i_];
  rows_done_ = 0;
  if (guided_) apply_guidance(eps_.data(), n_ * img_, p_.guidance);  // linear: the same for v as for eps
  if (net_.arch().prediction == Prediction::v) v_to_eps_x0(s_, t, x_.data(), eps_.data(), x0_.data(), n_ * img_);
  else predict_x0(s_, t, x_.data(), eps_.data(), x0_.data(), n_ * img_);
  const float* z = nullptr;
  const uint32_t sprite0 = static_cast<uint32_t>(p_.first_index);
  if (sampler_->needs_noise(i_)) {
    const uint32_t key = runs_of_step_ == 0 ? static_cast<uint32_t>(t) : resample_noise_key(t, runs_of_step_, false);
    for (size_t k = 0; k < n_; ++k) gaussian_noise(p_.seed, sprite0 + static_cast<uint32_t>(k), key, &noise_[k * img_], img_);
    z = noise_.data();
  }
  sampler_->step(i_, x_.data(), eps_.data(), x0_.data(), z, n_ * img_);
  const int next = i_ + 1 < ts().size() ? ts()[i_ + 1] : 0;
  if (!p_.mask.empty())  // the kept pixels at the timestep the step arrived at (0 after the last)
    noise_start(s_, next, p_.init, img_, start_noise_.data(), x_.data(), n_, p_.mask);
  if (next > 0 && ++runs_of_step_ < p_.resample) {
    // Back to t: x_t = sqrt(abar_t / abar_next) x_next + sqrt(1 - abar_t / abar_next) z, as the
    // forward process goes from the later timestep to the earlier one.
    const float ratio = s_.ab[t] / s_.ab[next], a = std::sqrt(ratio), sg = std::sqrt(1 - ratio);
    for (size_t k = 0; k < n_; ++k)
      gaussian_noise(p_.seed, sprite0 + static_cast<uint32_t>(k), resample_noise_key(t, runs_of_step_, true), &noise_[k * img_], img_);
    for (size_t j = 0; j < x_.size(); ++j) x_[j] = a * x_[j] + sg * noise_[j];
    return std::nullopt;
  }
  runs_of_step_ = 0;
  return StepView{i_++, ts().size(), t, x_.data(), x0_.data()};
}

StepView SamplingRun::step() {
  for (;;) {
    evaluate_rows(0);
    if (auto v = finish_step()) return *v;
  }
}

std::optional<StepView> SamplingRun::step_part(size_t max_rows) {
  if (!evaluate_rows(max_rows)) return std::nullopt;
  return finish_step();
}

bool sample(UnetXnn& net, const Schedule& s, const SampleParams& p, std::vector<float>& out, const StepCallback& cb) {
  SamplingRun run(net, s, p);
  bool finished = true;
  while (!run.done()) {
    const StepView v = run.step();
    if (cb && !cb(v)) {
      finished = false;
      break;
    }
  }
  out = run.x();
  return finished;
}

void apply_guidance(float* eps, size_t n, float w) {
  for (size_t j = 0; j < n; ++j) eps[j] = (1 + w) * eps[j] - w * eps[n + j];
}

std::vector<uint8_t> to_rgb8(const std::vector<float>& x) {
  std::vector<uint8_t> out(x.size());
  for (size_t i = 0; i < x.size(); ++i)
    out[i] = static_cast<uint8_t>(std::nearbyint((std::clamp(x[i], -1.0f, 1.0f) + 1.0f) * 127.5f));
  return out;
}

}  // namespace sprites
