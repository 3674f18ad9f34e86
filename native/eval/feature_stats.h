// Distances between sets of sprites, computed on classifier features [N, F] or on pixels.
// Everything is done in float64: FID subtracts traces of similar size.
#pragma once
#include <torch/torch.h>

namespace sprites {

// Frechet distance between the Gaussians fitted to a and b (means, unbiased covariances):
// |mu_a - mu_b|^2 + tr(S_a + S_b - 2 (S_a^1/2 S_b S_a^1/2)^1/2). Needs >= 2 rows each.
double frechet_distance(const torch::Tensor& a, const torch::Tensor& b);

// Kernel inception distance: unbiased MMD^2 with the cubic kernel k(x, y) = (x.y / F + 1)^3 over
// all rows (no subsets: the real held-out set is only a few hundred sprites). Unbiased, so it is
// ~0 (and may dip below) for two samples of one distribution, whatever their sizes, unlike FID.
double kernel_inception_distance(const torch::Tensor& a, const torch::Tensor& b);

// Mean Euclidean distance over all pairs of distinct rows.
double mean_pairwise_distance(const torch::Tensor& f);

// For each sprite of `samples` [N, 3, H, W], the RMS pixel distance (in 0..255 levels) to the
// closest sprite of `reference` or its mirror image (training flips sprites, so a mirrored copy is
// still a copy).
torch::Tensor nearest_rms_distances(const torch::Tensor& samples, const torch::Tensor& reference);

}  // namespace sprites
