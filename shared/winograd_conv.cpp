#include "winograd_conv.h"

#include "xnn_check.h"

#include <pthreadpool.h>
#include <xnnpack.h>

#include <algorithm>
#include <stdexcept>
#include <string>

namespace sprites {

namespace {

constexpr size_t kOut = 4;     // output tile side
constexpr size_t kIn = 6;      // input tile side: kOut + 3 - 1
constexpr size_t kPos = 36;    // kIn * kIn transformed positions, one GEMM each
constexpr size_t kBlock = 32;  // channels per inner loop: keeps a tile's temporaries in L1
// Tiles transformed, multiplied and transformed back in one go. Bounds the scratch (36 positions
// x kChunk tiles x channels) so it stays in cache: without it, 96 sprites ran 1.5x slower per
// sprite than 16.
constexpr size_t kChunk = 128;

// F(4, 3) with interpolation points 0, 1, -1, 2, -2 and infinity (Lavin & Gray's matrices).
// The input and output transforms below are these matrices written out:
//   B^T = [4  0 -5  0  1  0]     A^T = [1  1  1  1  1  0]
//         [0 -4 -4  1  1  0]           [0  1 -1  2 -2  0]
//         [0  4 -4 -1  1  0]           [0  1  1  4  4  0]
//         [0 -2 -1  2  1  0]           [0  1 -1  8 -8  1]
//         [0  2 -1 -2  1  0]
//         [0  4  0 -5  0  1]
constexpr double kG[kIn][3] = {{1.0 / 4, 0, 0},
                               {-1.0 / 6, -1.0 / 6, -1.0 / 6},
                               {-1.0 / 6, 1.0 / 6, -1.0 / 6},
                               {1.0 / 24, 1.0 / 12, 1.0 / 6},
                               {1.0 / 24, -1.0 / 12, 1.0 / 6},
                               {0, 0, 1}};

size_t tiles_per_side(size_t hw) { return (hw + kOut - 1) / kOut; }

// Where the tasks of one run find their data.
struct Job {
  size_t hw, tiles_x;
  size_t first, rows;  // this chunk's first tile (over the whole batch) and its tile count, the GEMMs' M
  const float* in;
  size_t in_stride, cin;
  float* out;
  size_t out_stride, cout;
  float* v;  // [kPos][rows][cin]
  float* m;  // [kPos][rows][cout]
  const float* bias;
};

// B^T d B for one tile, all input channels. Loops run over contiguous channels so the compiler
// vectorises them; out-of-image pixels (the 1-pixel "same" padding and partial tiles) read zeros.
void input_transform(void* context, size_t row) {
  const Job& j = *static_cast<const Job*>(context);
  static const float zeros[kBlock] = {};
  const size_t tile = j.first + row, per_image = j.tiles_x * j.tiles_x, img = tile / per_image;
  const long y0 = static_cast<long>((tile % per_image) / j.tiles_x * kOut) - 1;
  const long x0 = static_cast<long>((tile % per_image) % j.tiles_x * kOut) - 1;
  const long hw = static_cast<long>(j.hw);
  for (size_t c0 = 0; c0 < j.cin; c0 += kBlock) {
    const size_t cb = std::min(kBlock, j.cin - c0);
    float w[kIn][kIn][kBlock];  // rows of the tile after the transform along x
    for (size_t r = 0; r < kIn; ++r) {
      const long y = y0 + static_cast<long>(r);
      const float* p[kIn];
      for (size_t s = 0; s < kIn; ++s) {
        const long x = x0 + static_cast<long>(s);
        p[s] = (y < 0 || y >= hw || x < 0 || x >= hw)
                   ? zeros
                   : j.in + ((img * j.hw + static_cast<size_t>(y)) * j.hw + static_cast<size_t>(x)) * j.in_stride + c0;
      }
      for (size_t k = 0; k < cb; ++k) {
        const float d0 = p[0][k], d1 = p[1][k], d2 = p[2][k], d3 = p[3][k], d4 = p[4][k], d5 = p[5][k];
        w[r][0][k] = 4 * d0 - 5 * d2 + d4;
        w[r][1][k] = -4 * (d1 + d2) + d3 + d4;
        w[r][2][k] = 4 * (d1 - d2) - d3 + d4;
        w[r][3][k] = 2 * (d3 - d1) - d2 + d4;
        w[r][4][k] = 2 * (d1 - d3) - d2 + d4;
        w[r][5][k] = 4 * d1 - 5 * d3 + d5;
      }
    }
    for (size_t s = 0; s < kIn; ++s) {
      float* v[kIn];
      for (size_t r = 0; r < kIn; ++r) v[r] = j.v + ((r * kIn + s) * j.rows + row) * j.cin + c0;
      for (size_t k = 0; k < cb; ++k) {
        const float d0 = w[0][s][k], d1 = w[1][s][k], d2 = w[2][s][k], d3 = w[3][s][k], d4 = w[4][s][k],
                    d5 = w[5][s][k];
        v[0][k] = 4 * d0 - 5 * d2 + d4;
        v[1][k] = -4 * (d1 + d2) + d3 + d4;
        v[2][k] = 4 * (d1 - d2) - d3 + d4;
        v[3][k] = 2 * (d3 - d1) - d2 + d4;
        v[4][k] = 2 * (d1 - d3) - d2 + d4;
        v[5][k] = 4 * d1 - 5 * d3 + d5;
      }
    }
  }
}

// A^T m A + bias for one tile, all output channels; writes only the pixels inside the image.
void output_transform(void* context, size_t row) {
  const Job& j = *static_cast<const Job*>(context);
  const size_t tile = j.first + row, per_image = j.tiles_x * j.tiles_x, img = tile / per_image;
  const size_t y0 = (tile % per_image) / j.tiles_x * kOut, x0 = (tile % per_image) % j.tiles_x * kOut;
  const size_t rows_here = std::min(kOut, j.hw - y0), cols_here = std::min(kOut, j.hw - x0);
  for (size_t c0 = 0; c0 < j.cout; c0 += kBlock) {
    const size_t cb = std::min(kBlock, j.cout - c0);
    float t[kOut][kIn][kBlock];  // after the transform along y
    for (size_t s = 0; s < kIn; ++s) {
      const float* m[kIn];
      for (size_t r = 0; r < kIn; ++r) m[r] = j.m + ((r * kIn + s) * j.rows + row) * j.cout + c0;
      for (size_t k = 0; k < cb; ++k) {
        const float m0 = m[0][k], m1 = m[1][k], m2 = m[2][k], m3 = m[3][k], m4 = m[4][k], m5 = m[5][k];
        t[0][s][k] = m0 + m1 + m2 + m3 + m4;
        t[1][s][k] = m1 - m2 + 2 * (m3 - m4);
        t[2][s][k] = m1 + m2 + 4 * (m3 + m4);
        t[3][s][k] = m1 - m2 + 8 * (m3 - m4) + m5;
      }
    }
    const float* b = j.bias + c0;
    for (size_t r = 0; r < rows_here; ++r) {
      float* o = j.out + ((img * j.hw + y0 + r) * j.hw + x0) * j.out_stride + c0;
      const float* u[kIn];
      for (size_t s = 0; s < kIn; ++s) u[s] = t[r][s];
      // One loop per output column, so each stays a plain vectorisable loop.
      for (size_t k = 0; k < cb; ++k) o[k] = b[k] + u[0][k] + u[1][k] + u[2][k] + u[3][k] + u[4][k];
      if (cols_here > 1) {
        o += j.out_stride;
        for (size_t k = 0; k < cb; ++k) o[k] = b[k] + u[1][k] - u[2][k] + 2 * (u[3][k] - u[4][k]);
      }
      if (cols_here > 2) {
        o += j.out_stride;
        for (size_t k = 0; k < cb; ++k) o[k] = b[k] + u[1][k] + u[2][k] + 4 * (u[3][k] + u[4][k]);
      }
      if (cols_here > 3) {
        o += j.out_stride;
        for (size_t k = 0; k < cb; ++k) o[k] = b[k] + u[1][k] - u[2][k] + 8 * (u[3][k] - u[4][k]) + u[5][k];
      }
    }
  }
}


}  // namespace

WinogradConv3x3::WinogradConv3x3(const Tensor32& weight, const Tensor32& bias) : bias_(bias.data) {
  const auto& s = weight.shape;
  if (s.size() != 4 || s[2] != 3 || s[3] != 3 || s[0] < 1 || s[1] < 1 || bias_.size() != static_cast<size_t>(s[0]))
    throw std::runtime_error("Winograd convolution needs 3x3 weights [cout, cin, 3, 3] and a bias of cout");
  cout_ = static_cast<size_t>(s[0]);
  cin_ = static_cast<size_t>(s[1]);
  // U[pos][ci][co] = (G g G^T)[pos], in double so the transform adds no rounding of its own.
  std::vector<float> u(kPos * cin_ * cout_);
  for (size_t co = 0; co < cout_; ++co)
    for (size_t ci = 0; ci < cin_; ++ci) {
      const float* g = weight.data.data() + (co * cin_ + ci) * 9;
      double gg[kIn][3];  // G g
      for (size_t r = 0; r < kIn; ++r)
        for (size_t x = 0; x < 3; ++x) gg[r][x] = kG[r][0] * g[x] + kG[r][1] * g[3 + x] + kG[r][2] * g[6 + x];
      for (size_t r = 0; r < kIn; ++r)
        for (size_t s = 0; s < kIn; ++s)
          u[((r * kIn + s) * cin_ + ci) * cout_ + co] =
              static_cast<float>(gg[r][0] * kG[s][0] + gg[r][1] * kG[s][1] + gg[r][2] * kG[s][2]);
    }
  xnn_check(xnn_create_batch_matrix_multiply_nc_f32_const_weights(kPos, cin_, cout_, u.data(), 0, &gemm_),
            "create batch matrix multiply");
}

WinogradConv3x3::~WinogradConv3x3() {
  if (gemm_) xnn_delete_operator(gemm_);
}

size_t WinogradConv3x3::scratch_floats(size_t n, size_t hw, size_t channels) {
  const size_t t = tiles_per_side(hw);
  return kPos * std::min(kChunk, n * t * t) * channels;
}

void WinogradConv3x3::run(size_t n, size_t hw, const float* in, size_t in_stride, float* out, size_t out_stride,
                          float* v, float* m, pthreadpool_t pool) {
  const size_t tiles_x = tiles_per_side(hw), tiles = n * tiles_x * tiles_x;
  const size_t batch = kPos;
  for (size_t first = 0; first < tiles; first += kChunk) {
    const size_t rows = std::min(kChunk, tiles - first);
    Job job{hw, tiles_x, first, rows, in, in_stride, cin_, out, out_stride, cout_, v, m, bias_.data()};
    size_t workspace = 0, alignment = 0;  // const weights: no workspace
    xnn_check(xnn_reshape_batch_matrix_multiply_nc_f32(gemm_, 1, &batch, &batch, rows, cin_, cout_, &workspace,
                                                       &alignment, pool),
              "reshape batch matrix multiply");
    xnn_check(xnn_setup_batch_matrix_multiply_nc_f32(gemm_, nullptr, v, nullptr, m), "setup batch matrix multiply");
    pthreadpool_parallelize_1d(pool, input_transform, &job, rows, 0);
    xnn_check(xnn_run_operator(gemm_, pool), "run batch matrix multiply");
    pthreadpool_parallelize_1d(pool, output_transform, &job, rows, 0);
  }
}

}  // namespace sprites
