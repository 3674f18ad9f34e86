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

// B^T along one axis for n channels: six rows in, six out. Each row its own restrict pointer, so
// the compiler vectorises across channels with no alias checks (through arrays of pointers it left
// the second pass scalar: the input transform took 11% of a wasm grid, 2.7 GFLOP/s).
inline void bt6(const float* __restrict d0, const float* __restrict d1, const float* __restrict d2,
                const float* __restrict d3, const float* __restrict d4, const float* __restrict d5, float* __restrict o0,
                float* __restrict o1, float* __restrict o2, float* __restrict o3, float* __restrict o4,
                float* __restrict o5, size_t n) {
  for (size_t k = 0; k < n; ++k) {
    o0[k] = 4 * d0[k] - 5 * d2[k] + d4[k];
    o1[k] = -4 * (d1[k] + d2[k]) + d3[k] + d4[k];
    o2[k] = 4 * (d1[k] - d2[k]) - d3[k] + d4[k];
    o3[k] = 2 * (d3[k] - d1[k]) - d2[k] + d4[k];
    o4[k] = 2 * (d1[k] - d3[k]) - d2[k] + d4[k];
    o5[k] = 4 * d1[k] - 5 * d3[k] + d5[k];
  }
}

// A^T along one axis for n channels: six rows in, four out (bias added once, on the second pass).
inline void at6(const float* __restrict m0, const float* __restrict m1, const float* __restrict m2,
                const float* __restrict m3, const float* __restrict m4, const float* __restrict m5, float* __restrict o0,
                float* __restrict o1, float* __restrict o2, float* __restrict o3, size_t n) {
  for (size_t k = 0; k < n; ++k) {
    o0[k] = m0[k] + m1[k] + m2[k] + m3[k] + m4[k];
    o1[k] = m1[k] - m2[k] + 2 * (m3[k] - m4[k]);
    o2[k] = m1[k] + m2[k] + 4 * (m3[k] + m4[k]);
    o3[k] = m1[k] - m2[k] + 8 * (m3[k] - m4[k]) + m5[k];
  }
}

// One output column of A^T along x, plus bias, into the image (the columns of a partial tile
// outside it are not written).
inline void at6_column(size_t col, const float* __restrict b, const float* __restrict u0, const float* __restrict u1,
                       const float* __restrict u2, const float* __restrict u3, const float* __restrict u4,
                       const float* __restrict u5, float* __restrict o, size_t n) {
  switch (col) {
    case 0:
      for (size_t k = 0; k < n; ++k) o[k] = b[k] + u0[k] + u1[k] + u2[k] + u3[k] + u4[k];
      break;
    case 1:
      for (size_t k = 0; k < n; ++k) o[k] = b[k] + u1[k] - u2[k] + 2 * (u3[k] - u4[k]);
      break;
    case 2:
      for (size_t k = 0; k < n; ++k) o[k] = b[k] + u1[k] + u2[k] + 4 * (u3[k] + u4[k]);
      break;
    default:
      for (size_t k = 0; k < n; ++k) o[k] = b[k] + u1[k] - u2[k] + 8 * (u3[k] - u4[k]) + u5[k];
  }
}

// B^T d B for one tile, all input channels, in blocks that keep a tile's temporaries in L1;
// out-of-image pixels (the 1-pixel "same" padding and partial tiles) read zeros.
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
      bt6(p[0], p[1], p[2], p[3], p[4], p[5], w[r][0], w[r][1], w[r][2], w[r][3], w[r][4], w[r][5], cb);
    }
    auto v = [&](size_t r, size_t s) { return j.v + ((r * kIn + s) * j.rows + row) * j.cin + c0; };
    for (size_t s = 0; s < kIn; ++s)
      bt6(w[0][s], w[1][s], w[2][s], w[3][s], w[4][s], w[5][s], v(0, s), v(1, s), v(2, s), v(3, s), v(4, s), v(5, s), cb);
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
    auto m = [&](size_t r, size_t s) { return j.m + ((r * kIn + s) * j.rows + row) * j.cout + c0; };
    for (size_t s = 0; s < kIn; ++s)
      at6(m(0, s), m(1, s), m(2, s), m(3, s), m(4, s), m(5, s), t[0][s], t[1][s], t[2][s], t[3][s], cb);
    for (size_t r = 0; r < rows_here; ++r) {
      float* o = j.out + ((img * j.hw + y0 + r) * j.hw + x0) * j.out_stride + c0;
      for (size_t col = 0; col < cols_here; ++col, o += j.out_stride)
        at6_column(col, j.bias + c0, t[r][0], t[r][1], t[r][2], t[r][3], t[r][4], t[r][5], o, cb);
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
