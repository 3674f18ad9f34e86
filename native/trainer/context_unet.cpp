#include "context_unet.h"

#include "autocast.h"

namespace sprites {
namespace nn = torch::nn;

ConvBnGeluImpl::ConvBnGeluImpl(int64_t in, int64_t out) {
  conv = register_module("0", nn::Conv2d(nn::Conv2dOptions(in, out, 3).padding(1)));
  bn = register_module("1", nn::BatchNorm2d(out));
}

torch::Tensor ConvBnGeluImpl::forward(const torch::Tensor& x) {
  auto y = bias_in_batchnorm ? torch::conv2d(x, conv->weight, {}, 1, 1) : conv->forward(x);
  return torch::gelu(bn->forward(y));
}

void ConvBnGeluImpl::fold_bias_into_batchnorm() {
  torch::NoGradGuard ng;
  bn->running_mean.sub_(conv->bias);
  conv->bias.zero_();
  conv->bias.set_requires_grad(false);
  bias_in_batchnorm = true;
}

ResidualConvBlockImpl::ResidualConvBlockImpl(int64_t in, int64_t out, bool is_res)
    : is_res(is_res), same_channels(in == out) {
  conv1 = register_module("conv1", ConvBnGelu(in, out));
  conv2 = register_module("conv2", ConvBnGelu(out, out));
  if (is_res && !same_channels)
    shortcut = register_module("shortcut", nn::Conv2d(nn::Conv2dOptions(in, out, 1)));
}

torch::Tensor Fp32GroupNormImpl::forward(const torch::Tensor& x) {
  AutocastScope off(x.device().type(), false);
  return torch::nn::GroupNormImpl::forward(x.to(torch::kFloat));
}

torch::Tensor PatchConvTranspose2dImpl::forward(const torch::Tensor& x) {
  if (upsampling == Upsampling::transposed || (upsampling == Upsampling::automatic && x.is_cuda()))
    return torch::nn::ConvTranspose2dImpl::forward(x);
  // weight is [in, out, k, k]: output channel o's patch pixel (a, b) is row o*k*k + a*k + b of the
  // product, which is the order pixel_shuffle reads.
  const int64_t in = weight.size(0), out = weight.size(1), k = weight.size(2);
  // (expand, not repeat_interleave: LibTorch 1.13's reads its output size back from the device,
  // which a CUDA graph capture forbids)
  auto patch_bias = bias.view({out, 1}).expand({out, k * k}).reshape({out * k * k});
  if (x.size(2) == 1 && x.size(3) == 1)
    return torch::addmm(patch_bias, x.flatten(1), weight.reshape({in, out * k * k})).view({-1, out, k, k});
  auto as_1x1 = weight.permute({1, 2, 3, 0}).reshape({out * k * k, in, 1, 1});
  return torch::pixel_shuffle(torch::conv2d(x, as_1x1, patch_bias), k);
}

torch::Tensor ResidualConvBlockImpl::forward(const torch::Tensor& x) {
  auto x2 = conv2->forward(conv1->forward(x));
  if (!is_res) return x2;
  auto skip = same_channels ? x : shortcut->forward(x);
  return (skip + x2) / 1.414;
}

UnetDownImpl::UnetDownImpl(int64_t in, int64_t out) {
  model = register_module("model", nn::Sequential(ResidualConvBlock(in, out), ResidualConvBlock(out, out),
                                                  nn::MaxPool2d(2)));
}

UnetUpImpl::UnetUpImpl(int64_t in, int64_t out) {
  model = register_module(
      "model", nn::Sequential(PatchConvTranspose2d(in, out, 2),
                              ResidualConvBlock(out, out), ResidualConvBlock(out, out)));
}

EmbedFCImpl::EmbedFCImpl(int64_t input_dim, int64_t emb_dim) : input_dim(input_dim) {
  model = register_module("model", nn::Sequential(nn::Linear(input_dim, emb_dim), nn::GELU(),
                                                  nn::Linear(emb_dim, emb_dim)));
}

ContextUnetImpl::ContextUnetImpl(UnetConfig c) : cfg(c) {
  const int64_t f = cfg.n_feat, h4 = cfg.height / 4;
  init_conv = register_module("init_conv", ResidualConvBlock(cfg.in_channels, f, true));
  down1 = register_module("down1", UnetDown(f, f));
  down2 = register_module("down2", UnetDown(f, 2 * f));
  timeembed1 = register_module("timeembed1", EmbedFC(1, 2 * f));
  timeembed2 = register_module("timeembed2", EmbedFC(1, f));
  contextembed1 = register_module("contextembed1", EmbedFC(cfg.n_cfeat, 2 * f));
  contextembed2 = register_module("contextembed2", EmbedFC(cfg.n_cfeat, f));
  up0 = register_module(
      "up0", nn::Sequential(PatchConvTranspose2d(2 * f, 2 * f, h4),
                            Fp32GroupNorm(8, 2 * f), nn::ReLU()));
  up1 = register_module("up1", UnetUp(4 * f, f));
  up2 = register_module("up2", UnetUp(2 * f, f));
  out = register_module("out", nn::Sequential(nn::Conv2d(nn::Conv2dOptions(2 * f, f, 3).padding(1)),
                                              Fp32GroupNorm(8, f), nn::ReLU(),
                                              nn::Conv2d(nn::Conv2dOptions(f, cfg.in_channels, 3).padding(1))));
}

torch::Tensor ContextUnetImpl::forward(const torch::Tensor& x_in, const torch::Tensor& t,
                                       const torch::Tensor& c) {
  const int64_t f = cfg.n_feat;
  auto x = init_conv->forward(x_in);
  auto d1 = down1->forward(x);   // [N, f, H/2, W/2]
  auto d2 = down2->forward(d1);  // [N, 2f, H/4, W/4]
  // The course's to_vec: AvgPool over the whole H/4 map, then GELU.
  auto hidden = torch::gelu(torch::avg_pool2d(d2, cfg.height / 4));
  auto cemb1 = contextembed1->forward(c).view({-1, 2 * f, 1, 1});
  auto temb1 = timeembed1->forward(t).view({-1, 2 * f, 1, 1});
  auto cemb2 = contextembed2->forward(c).view({-1, f, 1, 1});
  auto temb2 = timeembed2->forward(t).view({-1, f, 1, 1});
  auto u1 = up0->forward(hidden);
  auto u2 = up1->forward(cemb1 * u1 + temb1, d2);
  auto u3 = up2->forward(cemb2 * u2 + temb2, d1);
  return out->forward(torch::cat({u3, x}, 1));
}

void copy_weights(const ContextUnet& from, ContextUnet& to) {
  torch::NoGradGuard ng;
  auto params = from->named_parameters();
  for (auto& p : to->named_parameters()) p.value().copy_(params[p.key()]);
  auto buffers = from->named_buffers();
  for (auto& b : to->named_buffers()) b.value().copy_(buffers[b.key()]);
}

void set_memory_format(ContextUnet& model, torch::MemoryFormat format) {
  torch::NoGradGuard ng;
  for (auto& p : model->parameters())
    if (p.dim() == 4) p.set_data(p.data().contiguous(format));
}

const std::map<std::string, Upsampling>& upsampling_names() {
  static const std::map<std::string, Upsampling> names{
      {"auto", Upsampling::automatic}, {"patch", Upsampling::patch}, {"transposed", Upsampling::transposed}};
  return names;
}

void fold_conv_biases_into_batchnorms(ContextUnet& model) {
  for (auto& m : model->modules())
    if (auto* block = m->as<ConvBnGeluImpl>()) block->fold_bias_into_batchnorm();
}

void set_upsampling(ContextUnet& model, Upsampling mode) {
  for (auto& m : model->modules())
    if (auto* up = m->as<PatchConvTranspose2dImpl>()) up->upsampling = mode;
}

}  // namespace sprites
