// The few layers XNNPACK's operator API lacks, on NHWC float buffers. Loops are written so the
// compiler vectorises the channel dimension (SSE/AVX natively, wasm_simd128 with -msimd128).
#pragma once
#include <cstddef>

namespace sprites::ops {

// GroupNorm(groups) over [n, pixels, c] followed by ReLU, in place (the model always follows its
// GroupNorms with ReLU).
void group_norm_relu(float* x, size_t n, size_t pixels, size_t c, size_t groups, const float* gamma,
                     const float* beta, float eps = 1e-5f);

// dst[b, p, 0:c] = scale[b, :] * src[b, p, :] + shift[b, :]   (context and time embeddings)
void scale_shift(const float* src, size_t n, size_t pixels, size_t c, const float* scale, const float* shift,
                 float* dst, size_t dst_stride);

// dst[i, 0:c] = (a[i, :] + b[i, :]) / divisor   (the residual blocks' "/ 1.414")
void add_div(const float* a, const float* b, size_t rows, size_t c, float divisor, float* dst, size_t dst_stride);

// dst[b, :] = GELU(mean over pixels of src[b, p, 0:c])   (the course's to_vec: AvgPool + GELU)
void mean_pool_gelu(const float* src, size_t n, size_t pixels, size_t c, size_t src_stride, float* dst);

}  // namespace sprites::ops
