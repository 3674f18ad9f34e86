// The course's ContextUnet (DeepLearning.AI "How Diffusion Models Work"), with its shortcut bug fixed.
// Module and parameter names match the course's state_dict, so its .pth files map onto this model.
#pragma once
#include <torch/torch.h>

#include <map>
#include <string>

namespace sprites {

struct UnetConfig {
  int64_t in_channels = 3;
  int64_t n_feat = 64;
  int64_t n_cfeat = 5;
  int64_t height = 16;
};

// A 3x3 convolution, BatchNorm and GELU; children "0" and "1" as the course's nn.Sequential names them.
// A BatchNorm in training mode subtracts each channel's batch mean, so the convolution's bias before
// it changes nothing but the running mean, and its gradient is zero up to rounding (which Adam,
// scaling every gradient to unit size, turned into a random walk of the bias). Folded, the bias is
// zero, the running mean carries it, and the layer leaves it out: the same function in both modes,
// one kernel less forward and one backward on a GPU, whose training step is bound by their number.
struct ConvBnGeluImpl : torch::nn::Module {
  ConvBnGeluImpl(int64_t in, int64_t out);
  torch::Tensor forward(const torch::Tensor& x);
  // running_mean -= bias, bias = 0 and no longer trained (requires_grad off).
  void fold_bias_into_batchnorm();
  bool bias_in_batchnorm = false;
  torch::nn::Conv2d conv{nullptr};
  torch::nn::BatchNorm2d bn{nullptr};
};
TORCH_MODULE(ConvBnGelu);

// Two ConvBnGelu. With is_res, adds the input back (scaled by 1/1.414 as the course).
// The course built the 1x1 shortcut conv inside forward(), so it had fresh random weights on every
// call; here it is a registered, trained module ("shortcut").
struct ResidualConvBlockImpl : torch::nn::Module {
  ResidualConvBlockImpl(int64_t in, int64_t out, bool is_res = false);
  torch::Tensor forward(const torch::Tensor& x);
  bool is_res, same_channels;
  ConvBnGelu conv1{nullptr}, conv2{nullptr};
  torch::nn::Conv2d shortcut{nullptr};
};
TORCH_MODULE(ResidualConvBlock);

struct UnetDownImpl : torch::nn::Module {
  UnetDownImpl(int64_t in, int64_t out);
  torch::Tensor forward(const torch::Tensor& x) { return model->forward(x); }
  torch::nn::Sequential model{nullptr};
};
TORCH_MODULE(UnetDown);

// How the up-sampling layers (transposed convolutions with stride == kernel) run. Each input
// pixel becomes its own k x k patch, so the layer is also a 1x1 convolution plus a pixel shuffle
// (a matrix product for a 1x1 input): "patch". LibTorch 1.13's CPU transposed convolution takes a
// slow im2col path instead of oneDNN, about 10% of a CPU training step and half of it when the
// cores are shared (docs/performance.md, Training on the CPU), so automatic is patch on the CPU
// and cuDNN's transposed convolution on CUDA, until a GPU measures the patch there
// (BENCH=gpu scripts/bench).
enum class Upsampling { automatic, patch, transposed };
// "auto", "patch", "transposed": the names --upsampling takes and the trainer's summary prints.
const std::map<std::string, Upsampling>& upsampling_names();

// The same module, parameters and initialisation as ConvTranspose2d(in, out, k, stride k).
struct PatchConvTranspose2dImpl : torch::nn::ConvTranspose2dImpl {
  PatchConvTranspose2dImpl(int64_t in, int64_t out, int64_t k)
      : torch::nn::ConvTranspose2dImpl(torch::nn::ConvTranspose2dOptions(in, out, k).stride(k)) {}
  torch::Tensor forward(const torch::Tensor& x);
  Upsampling upsampling = Upsampling::automatic;
};
TORCH_MODULE(PatchConvTranspose2d);

struct UnetUpImpl : torch::nn::Module {
  UnetUpImpl(int64_t in, int64_t out);
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& skip) {
    return model->forward(torch::cat({x, skip}, 1));
  }
  torch::nn::Sequential model{nullptr};
};
TORCH_MODULE(UnetUp);

struct EmbedFCImpl : torch::nn::Module {
  EmbedFCImpl(int64_t input_dim, int64_t emb_dim);
  torch::Tensor forward(const torch::Tensor& x) { return model->forward(x.view({-1, input_dim})); }
  int64_t input_dim;
  torch::nn::Sequential model{nullptr};
};
TORCH_MODULE(EmbedFC);

// GroupNorm computed in fp32 whatever autocast says: under bf16 autocast LibTorch 1.13's GroupNorm
// fails on its fp32 affine parameters, and its statistics want fp32 anyway. Same parameters, same names.
struct Fp32GroupNormImpl : torch::nn::GroupNormImpl {
  using torch::nn::GroupNormImpl::GroupNormImpl;
  torch::Tensor forward(const torch::Tensor& x);
};
TORCH_MODULE(Fp32GroupNorm);

struct ContextUnetImpl : torch::nn::Module {
  explicit ContextUnetImpl(UnetConfig cfg = {});
  // x: [N,3,H,W] in [-1,1]; t: [N] or [N,1] = timestep / T; c: [N, n_cfeat] (zeros = unconditional).
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& t, const torch::Tensor& c);
  UnetConfig cfg;
  ResidualConvBlock init_conv{nullptr};
  UnetDown down1{nullptr}, down2{nullptr};
  EmbedFC timeembed1{nullptr}, timeembed2{nullptr}, contextembed1{nullptr}, contextembed2{nullptr};
  torch::nn::Sequential up0{nullptr}, out{nullptr};
  UnetUp up1{nullptr}, up2{nullptr};
};
TORCH_MODULE(ContextUnet);

// Copies every parameter and buffer of `from` into `to` in place (same config; any devices), so
// anything holding `to`'s tensors (a captured CUDA graph, an optimizer) sees the new values.
void copy_weights(const ContextUnet& from, ContextUnet& to);

// Lays out every 4-D weight in `format` in place (the same tensors, so optimizer state keyed by
// them stays valid). With channels-last weights, convolutions (oneDNN, cuDNN) take and give NHWC
// activations, which tensor-core kernels use without transposes around each call.
void set_memory_format(ContextUnet& model, torch::MemoryFormat format);

// ConvBnGelu::fold_bias_into_batchnorm for every block: for a model that trains with its BatchNorms
// in training mode. Exact in either mode; again after a load is a no-op unless the load brought biases.
void fold_conv_biases_into_batchnorms(ContextUnet& model);

// Sets how every up-sampling layer of `model` runs (a run's choice, like the memory format).
void set_upsampling(ContextUnet& model, Upsampling mode);

}  // namespace sprites
