// ContextUnet forward pass on XNNPACK operators (create once, reshape + setup once per batch size,
// run every step), in NHWC. Concatenations cost nothing: producers write straight into the channel
// slices of the concatenated buffers through XNNPACK's pixel strides. The 3x3 convolutions between
// feature maps (97% of the arithmetic) run as Winograd F(4x4, 3x3) (winograd_conv.h) unless the
// caller asks for XNNPACK's direct convolution, which the benchmark and the tests compare against.
#pragma once
#include "unet_weights.h"
#include "winograd_conv.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

typedef struct pthreadpool* pthreadpool_t;

namespace sprites {

class UnetXnn {
 public:
  enum class Conv3x3 { winograd, direct };
  // threadpool may be null (single thread).
  UnetXnn(const UnetWeights& w, pthreadpool_t threadpool, Conv3x3 conv3x3 = Conv3x3::winograd);
  ~UnetXnn();
  UnetXnn(const UnetXnn&) = delete;
  UnetXnn& operator=(const UnetXnn&) = delete;

  const UnetArch& arch() const { return arch_; }
  size_t image_size() const { return static_cast<size_t>(arch_.height) * arch_.height * arch_.in_channels; }

  // x: [n, H, W, C] NHWC; t: [n] (timestep / T); c: [n, n_cfeat]; eps out: [n, H, W, C].
  // The first call with a given n builds that batch size's plan (buffers and operator setup);
  // later calls allocate nothing. The encoder sees x alone, so it runs once per distinct x: a call
  // with the x of the previous call of that n runs only the decoder, and a batch whose second half
  // repeats the first (guidance) encodes one half. The result is the same to the bit.
  void forward(const float* x, const float* t, const float* c, size_t n, float* eps);
  size_t encoder_reuses() const { return encoder_reuses_; }      // calls that ran only the decoder
  size_t encoder_halvings() const { return encoder_halvings_; }  // calls that encoded half the batch

 private:
  struct Plan;
  Plan& plan_for(size_t n);
  void encode(Plan& P, const float* x);  // the encoder's steps for x (P's own, or half a batch's)
  UnetArch arch_;
  const UnetWeights& w_;
  pthreadpool_t pool_;
  Conv3x3 conv3x3_;
  std::map<std::string, std::unique_ptr<WinogradConv3x3>> winograd_;  // by layer, shared by all plans
  std::vector<float> wino_v_, wino_m_;  // their scratch, shared too: convolutions run one at a time
  std::map<size_t, std::unique_ptr<Plan>> plans_;
  size_t encoder_reuses_ = 0, encoder_halvings_ = 0;
};

}  // namespace sprites
