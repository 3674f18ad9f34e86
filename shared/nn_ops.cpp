#include "nn_ops.h"

#include <cmath>
#include <algorithm>

namespace sprites::ops {

void group_norm_relu(float* x, size_t n, size_t pixels, size_t c, size_t groups, const float* gamma,
                     const float* beta, float eps) {
  const size_t cg = c / groups;
  double sum[64], sq[64];  // groups <= 64, so no allocation per call
  for (size_t b = 0; b < n; ++b) {
    float* xb = x + b * pixels * c;
    std::fill(sum, sum + groups, 0.0);
    std::fill(sq, sq + groups, 0.0);
    for (size_t p = 0; p < pixels; ++p) {
      const float* row = xb + p * c;
      for (size_t g = 0; g < groups; ++g) {
        float s = 0, s2 = 0;
        for (size_t k = 0; k < cg; ++k) {
          const float v = row[g * cg + k];
          s += v;
          s2 += v * v;
        }
        sum[g] += s;
        sq[g] += s2;
      }
    }
    float mul[1024], add[1024];  // c <= 1024 (n_feat <= 512, checked at load)
    const double count = static_cast<double>(pixels * cg);
    for (size_t g = 0; g < groups; ++g) {
      const double mean = sum[g] / count;
      const double var = std::max(0.0, sq[g] / count - mean * mean);
      const float inv = static_cast<float>(1.0 / std::sqrt(var + eps));
      for (size_t k = 0; k < cg; ++k) {
        const size_t ch = g * cg + k;
        mul[ch] = gamma[ch] * inv;
        add[ch] = beta[ch] - static_cast<float>(mean) * mul[ch];
      }
    }
    for (size_t p = 0; p < pixels; ++p) {
      float* row = xb + p * c;
      for (size_t ch = 0; ch < c; ++ch) row[ch] = std::max(0.0f, row[ch] * mul[ch] + add[ch]);
    }
  }
}

void scale_shift(const float* src, size_t n, size_t pixels, size_t c, const float* scale, const float* shift,
                 float* dst, size_t dst_stride) {
  for (size_t b = 0; b < n; ++b)
    for (size_t p = 0; p < pixels; ++p) {
      const float* s = src + (b * pixels + p) * c;
      float* d = dst + (b * pixels + p) * dst_stride;
      const float* sc = scale + b * c;
      const float* sh = shift + b * c;
      for (size_t ch = 0; ch < c; ++ch) d[ch] = sc[ch] * s[ch] + sh[ch];
    }
}

void add_div(const float* a, const float* b, size_t rows, size_t c, float divisor, float* dst, size_t dst_stride) {
  for (size_t r = 0; r < rows; ++r) {
    const float* ar = a + r * c;
    const float* br = b + r * c;
    float* d = dst + r * dst_stride;
    for (size_t ch = 0; ch < c; ++ch) d[ch] = (ar[ch] + br[ch]) / divisor;
  }
}

void mean_pool_gelu(const float* src, size_t n, size_t pixels, size_t c, size_t src_stride, float* dst) {
  for (size_t b = 0; b < n; ++b) {
    float* d = dst + b * c;
    for (size_t ch = 0; ch < c; ++ch) d[ch] = 0;
    for (size_t p = 0; p < pixels; ++p) {
      const float* s = src + (b * pixels + p) * src_stride;
      for (size_t ch = 0; ch < c; ++ch) d[ch] += s[ch];
    }
    for (size_t ch = 0; ch < c; ++ch) {
      const float m = d[ch] / static_cast<float>(pixels);
      d[ch] = 0.5f * m * (1.0f + std::erf(m * 0.70710678118654752f));
    }
  }
}

}  // namespace sprites::ops
