#include "feature_stats.h"

#include <stdexcept>

namespace sprites {

namespace {

torch::Tensor as_f64_rows(const torch::Tensor& t, const char* what) {
  if (t.dim() != 2 || t.size(0) < 2) throw std::invalid_argument(std::string(what) + ": needs a [N >= 2, F] feature matrix");
  return t.to(torch::kDouble);
}

// Symmetric positive semi-definite square root through the eigendecomposition; round-off can make
// tiny eigenvalues negative, which are zero in truth.
torch::Tensor psd_sqrt(const torch::Tensor& s) {
  auto [vals, vecs] = torch::linalg_eigh(s);
  return vecs.matmul(torch::diag(vals.clamp_min(0).sqrt())).matmul(vecs.t());
}

}  // namespace

double frechet_distance(const torch::Tensor& a_in, const torch::Tensor& b_in) {
  const auto a = as_f64_rows(a_in, "frechet_distance"), b = as_f64_rows(b_in, "frechet_distance");
  if (a.size(1) != b.size(1)) throw std::invalid_argument("frechet_distance: feature widths differ");
  const auto mu_a = a.mean(0), mu_b = b.mean(0);
  const auto ca = a - mu_a, cb = b - mu_b;
  const auto sa = ca.t().matmul(ca) / (a.size(0) - 1), sb = cb.t().matmul(cb) / (b.size(0) - 1);
  const auto ra = psd_sqrt(sa);
  // tr((S_a S_b)^1/2) = tr((S_a^1/2 S_b S_a^1/2)^1/2), and the latter is symmetric PSD.
  const auto m = ra.matmul(sb).matmul(ra);
  const double tr_cross = torch::linalg_eigvalsh(0.5 * (m + m.t())).clamp_min(0).sqrt().sum().item<double>();
  return (mu_a - mu_b).pow(2).sum().item<double>() + sa.trace().item<double>() + sb.trace().item<double>() - 2 * tr_cross;
}

double kernel_inception_distance(const torch::Tensor& a_in, const torch::Tensor& b_in) {
  const auto a = as_f64_rows(a_in, "kernel_inception_distance"), b = as_f64_rows(b_in, "kernel_inception_distance");
  if (a.size(1) != b.size(1)) throw std::invalid_argument("kernel_inception_distance: feature widths differ");
  const double f = static_cast<double>(a.size(1));
  auto k = [f](const torch::Tensor& x, const torch::Tensor& y) { return (x.matmul(y.t()) / f + 1).pow(3); };
  const double m = static_cast<double>(a.size(0)), n = static_cast<double>(b.size(0));
  const auto kaa = k(a, a), kbb = k(b, b);
  const double saa = (kaa.sum() - kaa.trace()).item<double>() / (m * (m - 1));
  const double sbb = (kbb.sum() - kbb.trace()).item<double>() / (n * (n - 1));
  return saa + sbb - 2 * k(a, b).mean().item<double>();
}

double mean_pairwise_distance(const torch::Tensor& f_in) {
  const auto f = as_f64_rows(f_in, "mean_pairwise_distance");
  const double n = static_cast<double>(f.size(0));
  return torch::cdist(f, f).sum().item<double>() / (n * (n - 1));  // the zero diagonal adds nothing
}

torch::Tensor nearest_rms_distances(const torch::Tensor& samples, const torch::Tensor& reference) {
  if (samples.dim() != 4 || reference.dim() != 4 || samples.sizes().slice(1) != reference.sizes().slice(1))
    throw std::invalid_argument("nearest_rms_distances: samples and reference must be [N, C, H, W] of one size");
  const int64_t d = samples[0].numel();
  const auto s = samples.reshape({samples.size(0), d}).to(torch::kDouble);
  const auto r = torch::cat({reference, reference.flip({3})}).reshape({-1, d}).to(torch::kDouble);
  // Images are in [-1, 1]: one level of 255 is 2/255.
  return std::get<0>(torch::cdist(s, r).min(1)) / std::sqrt(static_cast<double>(d)) * 127.5;
}

}  // namespace sprites
