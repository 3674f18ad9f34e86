// Winograd F(4x4, 3x3) against a direct 3x3 "same" convolution computed in double, on shapes that
// exercise what the model's layers do not: partial tiles, channel counts off the 32-channel
// blocks, pixel strides (slices of concatenated buffers), images smaller than one tile, batches
// that take more than one chunk of tiles.
#include "engine.h"
#include "winograd_conv.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>

using namespace sprites;

namespace {

struct Case {
  size_t n, hw, cin, cout, in_stride, out_stride;
};

Tensor32 random_tensor(std::vector<int64_t> shape, float scale, std::mt19937& rng) {
  Tensor32 t;
  size_t count = 1;
  for (auto d : shape) count *= static_cast<size_t>(d);
  t.shape = std::move(shape);
  std::normal_distribution<float> dist(0.f, scale);
  t.data.resize(count);
  for (auto& v : t.data) v = dist(rng);
  return t;
}

// out[b, y, x, o] = bias[o] + sum over i, dy, dx of w[o, i, dy, dx] * in[b, y + dy - 1, x + dx - 1, i]
std::vector<double> direct_conv(const Case& c, const std::vector<float>& in, const Tensor32& w, const Tensor32& bias) {
  std::vector<double> out(c.n * c.hw * c.hw * c.cout);
  const long hw = static_cast<long>(c.hw);
  for (size_t b = 0; b < c.n; ++b)
    for (long y = 0; y < hw; ++y)
      for (long x = 0; x < hw; ++x)
        for (size_t o = 0; o < c.cout; ++o) {
          double s = bias.data[o];
          for (long dy = 0; dy < 3; ++dy)
            for (long dx = 0; dx < 3; ++dx) {
              const long yy = y + dy - 1, xx = x + dx - 1;
              if (yy < 0 || yy >= hw || xx < 0 || xx >= hw) continue;
              const float* px = in.data() + ((b * c.hw + yy) * c.hw + xx) * c.in_stride;
              for (size_t i = 0; i < c.cin; ++i) s += double(w.data[((o * c.cin + i) * 3 + dy) * 3 + dx]) * px[i];
            }
          out[((b * c.hw + y) * c.hw + x) * c.cout + o] = s;
        }
  return out;
}

}  // namespace

TEST(Winograd, MatchesDirectConvolution) {
  ASSERT_TRUE(init_engine().ok);
  std::mt19937 rng(7);
  const Case cases[] = {
      {2, 16, 64, 64, 64, 64},     // the model's 16x16 layers
      {3, 8, 128, 128, 256, 128},  // 8x8, input read from a concatenation
      {1, 5, 20, 40, 24, 44},      // partial tiles, channel tails, strided output
      {2, 3, 16, 33, 16, 33},      // smaller than one tile
      {1, 1, 17, 16, 17, 20},      // one pixel: only the kernel's centre sees data
      {9, 16, 24, 20, 24, 20},     // 144 tiles: two chunks, the second partial
  };
  for (const Case& c : cases) {
    const Tensor32 w = random_tensor({int64_t(c.cout), int64_t(c.cin), 3, 3}, 1.f / std::sqrt(9.f * c.cin), rng);
    const Tensor32 bias = random_tensor({int64_t(c.cout)}, 0.5f, rng);
    const Tensor32 in = random_tensor({int64_t(c.n * c.hw * c.hw * c.in_stride)}, 1.f, rng);
    const float kSentinel = 12345.f;  // fills the output's gaps between pixels: must survive
    std::vector<float> out(c.n * c.hw * c.hw * c.out_stride, kSentinel);
    std::vector<float> v(WinogradConv3x3::scratch_floats(c.n, c.hw, c.cin));
    std::vector<float> m(WinogradConv3x3::scratch_floats(c.n, c.hw, c.cout));

    WinogradConv3x3 conv(w, bias);
    EXPECT_EQ(conv.in_channels(), c.cin);
    EXPECT_EQ(conv.out_channels(), c.cout);
    conv.run(c.n, c.hw, in.data.data(), c.in_stride, out.data(), c.out_stride, v.data(), m.data(), init_engine().pool);

    const auto want = direct_conv(c, in.data, w, bias);
    double max_err = 0;
    size_t gaps_kept = 0, gaps = 0;
    for (size_t p = 0; p < c.n * c.hw * c.hw; ++p) {
      for (size_t o = 0; o < c.cout; ++o) max_err = std::max(max_err, std::abs(out[p * c.out_stride + o] - want[p * c.cout + o]));
      for (size_t o = c.cout; o < c.out_stride; ++o, ++gaps) gaps_kept += out[p * c.out_stride + o] == kSentinel;
    }
    SCOPED_TRACE("n " + std::to_string(c.n) + ", " + std::to_string(c.hw) + "x" + std::to_string(c.hw) + ", " +
                 std::to_string(c.cin) + " -> " + std::to_string(c.cout));
    std::printf("Winograd, n %zu, %zux%zu, %zu -> %zu channels: max abs error %.3g\n", c.n, c.hw, c.hw, c.cin, c.cout,
                max_err);
    EXPECT_LE(max_err, 1e-4);  // outputs are O(1); these shapes err by 2e-7 to 4e-5 (direct fp32: ~1e-6)
    EXPECT_EQ(gaps_kept, gaps);
  }
}

TEST(Winograd, RefusesOtherKernelSizes) {
  std::mt19937 rng(1);
  EXPECT_THROW(WinogradConv3x3(random_tensor({8, 8, 1, 1}, 1.f, rng), random_tensor({8}, 1.f, rng)), std::runtime_error);
  EXPECT_THROW(WinogradConv3x3(random_tensor({8, 8, 3, 3}, 1.f, rng), random_tensor({7}, 1.f, rng)), std::runtime_error);
  EXPECT_THROW(WinogradConv3x3(random_tensor({8}, 1.f, rng), random_tensor({8}, 1.f, rng)), std::runtime_error);
}
