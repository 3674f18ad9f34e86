// The model: the course's shape, with the shortcut registered and trained.
#include "tiny_run.h"

using namespace sprites;

TEST(ContextUnet, HasTheCourseShapeAndALearnedShortcut) {
  ContextUnet m;
  int64_t n = 0;
  for (auto& p : m->parameters()) n += p.numel();
  EXPECT_EQ(n, 1481027);  // the course's 1,480,771 plus the 3->64 1x1 shortcut (256)
  auto params = m->named_parameters();
  EXPECT_TRUE(params.contains("init_conv.shortcut.weight"));
  EXPECT_TRUE(params.contains("up1.model.0.weight"));
  m->eval();
  torch::NoGradGuard ng;
  auto x = torch::randn({2, 3, 16, 16});
  auto y1 = m->forward(x, torch::full({2, 1}, 0.5), torch::zeros({2, 5}));
  auto y2 = m->forward(x, torch::full({2, 1}, 0.5), torch::zeros({2, 5}));
  EXPECT_EQ(y1.sizes(), x.sizes());
  EXPECT_TRUE(torch::equal(y1, y2)) << "forward must be deterministic (the course's shortcut was not)";
}

// The CPU's rewrite of the up-sampling layers (1x1 convolution + pixel shuffle, or a matrix product
// for a 1x1 input) is the transposed convolution itself: same values and same gradients for the
// model's three shapes, with NCHW and channels-last weights.
TEST(ContextUnet, PatchTransposedConvolutionIsTheTransposedConvolution) {
  struct Shape { int64_t in, out, side, k; };
  for (const Shape s : {Shape{16, 8, 8, 2}, Shape{32, 8, 4, 2}, Shape{16, 16, 1, 4}}) {
    for (const auto format : {torch::MemoryFormat::Contiguous, torch::MemoryFormat::ChannelsLast}) {
      torch::manual_seed(3);
      PatchConvTranspose2d layer(s.in, s.out, s.k);
      {
        torch::NoGradGuard ng;
        layer->weight.set_data(layer->weight.data().contiguous(format));
      }
      const auto x = torch::randn({5, s.in, s.side, s.side}).requires_grad_();
      const auto upstream = torch::randn({5, s.out, s.side * s.k, s.side * s.k});
      const auto grads = [&](const torch::Tensor& y) {
        y.backward(upstream);
        std::vector<torch::Tensor> g{y.detach(), x.grad().clone(), layer->weight.grad().clone(), layer->bias.grad().clone()};
        for (const auto& t : {x, layer->weight, layer->bias}) t.mutable_grad() = torch::Tensor();
        return g;
      };
      const auto patch = grads(layer->forward(x));
      const auto reference = grads(torch::conv_transpose2d(x, layer->weight, layer->bias, s.k));
      layer->upsampling = Upsampling::transposed;
      EXPECT_TRUE(torch::equal(layer->forward(x), reference[0])) << "--upsampling transposed is LibTorch's own";
      layer->upsampling = Upsampling::automatic;
      const char* names[] = {"output", "input gradient", "weight gradient", "bias gradient"};
      for (int i = 0; i < 4; ++i) {
        EXPECT_EQ(patch[i].sizes(), reference[i].sizes()) << names[i];
        EXPECT_TRUE(torch::allclose(patch[i], reference[i], 1e-4, 1e-5))
            << names[i] << " of " << s.in << "->" << s.out << " at " << s.side << "x" << s.side << ", k " << s.k
            << ": max difference " << (patch[i] - reference[i]).abs().max().item<float>();
      }
    }
  }
}

// Folding the biases the BatchNorms cancel is the same network: the same output in eval mode (running
// statistics) and in training mode (batch statistics), the same gradients for what still trains, the
// same export; the biases zero and untrained, and a second fold changes nothing.
TEST(ContextUnet, FoldedConvBiasesChangeNothingButWhatRuns) {
  torch::manual_seed(5);
  ContextUnet plain, folded;
  {
    torch::NoGradGuard ng;  // BatchNorm statistics and affine parameters as training leaves them
    for (auto& b : plain->named_buffers())
      if (b.key().find("running") != std::string::npos) b.value().uniform_(0.5, 1.5);
    for (auto& p : plain->named_parameters())
      if (p.key().find("conv1.1.") != std::string::npos || p.key().find("conv2.1.") != std::string::npos)
        p.value().uniform_(0.5, 1.5);
  }
  copy_weights(plain, folded);
  fold_conv_biases_into_batchnorms(folded);
  const auto x = torch::randn({4, 3, 16, 16}), t = torch::rand({4, 1}), c = torch::rand({4, 5});
  auto differs = [](const torch::Tensor& a, const torch::Tensor& b) { return (a - b).abs().max().item<double>(); };
  {
    torch::NoGradGuard ng;
    plain->eval();
    folded->eval();
    EXPECT_LT(differs(plain->forward(x, t, c), folded->forward(x, t, c)), 1e-5) << "eval mode";
  }
  plain->train();
  folded->train();
  const auto y_plain = plain->forward(x, t, c), y_folded = folded->forward(x, t, c);
  EXPECT_LT(differs(y_plain, y_folded), 1e-5) << "training mode";
  y_plain.pow(2).mean().backward();
  y_folded.pow(2).mean().backward();
  const auto& conv = folded->down1->model->ptr(0)->as<ResidualConvBlockImpl>()->conv2->conv;
  EXPECT_FALSE(conv->bias.grad().defined()) << "the folded bias takes no part in the backward";
  EXPECT_FALSE(conv->bias.requires_grad());
  EXPECT_TRUE(torch::equal(conv->bias, torch::zeros_like(conv->bias)));
  auto plain_params = plain->named_parameters();
  for (auto& p : folded->named_parameters()) {
    if (!p.value().requires_grad()) continue;
    EXPECT_LT(differs(p.value().grad(), plain_params[p.key()].grad()), 1e-5) << p.key();
  }
  // The running means moved (the batch above and the fold); the export is still the same network.
  const auto a = folded_state(plain), b = folded_state(folded);
  ASSERT_EQ(a.size(), b.size());
  for (const auto& [name, value] : a) EXPECT_LT(differs(value, b.at(name)), 1e-5) << name;
  const auto once = folded_state(folded);
  fold_conv_biases_into_batchnorms(folded);
  for (const auto& [name, value] : folded_state(folded)) EXPECT_TRUE(torch::equal(value, once.at(name))) << name;
}
