// FID, KID, diversity and nearest distances against closed forms.
#include "eval_paths.h"

using namespace sprites;

static torch::Tensor gaussian(int64_t n, int64_t d, double mean, double sd, uint64_t seed) {
  auto g = at::make_generator<at::CPUGeneratorImpl>(seed);
  return torch::randn({n, d}, g, torch::kDouble) * sd + mean;
}

TEST(FeatureStats, FidMatchesTheClosedFormForGaussians) {
  // N(0, I) vs N(m, s^2 I) in d dims: FID = d m^2 + d (1 + s^2 - 2 s).
  const int64_t d = 4, n = 40000;
  const auto a = gaussian(n, d, 0, 1, 1);
  EXPECT_NEAR(frechet_distance(a, gaussian(n, d, 0.5, 1, 2)), d * 0.25, 0.05);
  EXPECT_NEAR(frechet_distance(a, gaussian(n, d, 0, 2, 3)), d * 1.0, 0.1);
}

TEST(FeatureStats, FidOfASetAgainstItselfIsZero) {
  // Correlated, rank-deficient features (ReLU outputs are like this).
  auto f = gaussian(600, 48, 0, 1, 4).matmul(gaussian(48, 64, 0, 1, 5)).relu();
  EXPECT_NEAR(frechet_distance(f, f), 0.0, 1e-6 * f.var(0).sum().item<double>());
}

TEST(FeatureStats, KidOfTwoSamplesOfOneDistributionIsNearZeroWhateverTheirSizes) {
  const auto a = gaussian(300, 8, 0, 1, 6), b = gaussian(2000, 8, 0, 1, 7);
  EXPECT_LT(std::abs(kernel_inception_distance(a, b)), 0.1 * kernel_inception_distance(a, gaussian(2000, 8, 0.5, 1, 8)));
}

TEST(FeatureStats, DiversityAndNearestDistancesOnKnownPoints) {
  const auto pts = torch::tensor({0.0, 0.0, 3.0, 4.0}, torch::kDouble).reshape({2, 2});
  EXPECT_NEAR(mean_pairwise_distance(pts), 5.0, 1e-9);

  auto g = at::make_generator<at::CPUGeneratorImpl>(9);
  const auto ref = torch::rand({5, 3, 16, 16}, g) * 2 - 1;
  const auto shifted = (ref[2] + 10 / 127.5).unsqueeze(0);  // every value 10 levels brighter
  const auto d = nearest_rms_distances(torch::cat({ref.slice(0, 0, 1), ref.slice(0, 3, 4).flip({3}), shifted}), ref);
  EXPECT_NEAR(d[0].item<double>(), 0.0, 1e-3);   // a training sprite
  EXPECT_NEAR(d[1].item<double>(), 0.0, 1e-3);   // its mirror image
  EXPECT_NEAR(d[2].item<double>(), 10.0, 1e-3);  // RMS in levels of 255
}

TEST(FeatureStats, BadShapesAreRejected) {
  EXPECT_THROW(frechet_distance(torch::zeros({1, 4}), torch::zeros({5, 4})), std::invalid_argument);
  EXPECT_THROW(frechet_distance(torch::zeros({5, 4}), torch::zeros({5, 3})), std::invalid_argument);
  EXPECT_THROW(nearest_rms_distances(torch::zeros({2, 3, 8, 8}), torch::zeros({2, 3, 16, 16})), std::invalid_argument);
}
