// 3x3 "same" convolution by Winograd's minimal filtering F(4x4, 3x3) (Lavin & Gray, 2015), NHWC.
// Each 6x6 input tile is transformed (B^T d B); the 36 transformed positions are 36 independent
// GEMMs [tiles x Cin] x [Cin x Cout], run as one XNNPACK batch matrix multiply on weights
// transformed (G g G^T) and packed once; the output transform (A^T m A) gives a 4x4 output tile.
// That is 36 multiplies per tile and channel pair instead of direct convolution's 144, which
// matters most in the browser: wasm SIMD of our toolchain has no fused multiply-add, so the GEMM
// kernels are bound by multiplies. The transforms are O(channels) per tile: about a tenth of a wasm grid.
#pragma once
#include "unet_weights.h"

#include <cstddef>
#include <vector>

typedef struct pthreadpool* pthreadpool_t;
typedef struct xnn_operator* xnn_operator_t;

namespace sprites {

class WinogradConv3x3 {
 public:
  // weight: OIHW [cout, cin, 3, 3] as PyTorch stores it; bias: [cout].
  WinogradConv3x3(const Tensor32& weight, const Tensor32& bias);
  ~WinogradConv3x3();
  WinogradConv3x3(const WinogradConv3x3&) = delete;
  WinogradConv3x3& operator=(const WinogradConv3x3&) = delete;

  size_t in_channels() const { return cin_; }
  size_t out_channels() const { return cout_; }

  // Floats each scratch buffer needs for n images of hw x hw with `channels` channels: at most
  // 36 x 128 tiles x channels whatever n, as run() works through the tiles in chunks.
  static size_t scratch_floats(size_t n, size_t hw, size_t channels);

  // in [n, hw, hw, cin] and out [n, hw, hw, cout], NHWC with pixel strides in_stride / out_stride
  // (so slices of concatenated buffers work); v and m: scratch of scratch_floats(n, hw, cin) and
  // scratch_floats(n, hw, cout). Allocates nothing. The packed weights are shared by every batch
  // size, so each call binds the GEMM to this batch again (cheap: XNNPACK's reshape computes
  // strides and packs nothing).
  void run(size_t n, size_t hw, const float* in, size_t in_stride, float* out, size_t out_stride, float* v, float* m,
           pthreadpool_t pool);

 private:
  size_t cin_ = 0, cout_ = 0;
  std::vector<float> bias_;
  xnn_operator_t gemm_ = nullptr;
};

}  // namespace sprites
