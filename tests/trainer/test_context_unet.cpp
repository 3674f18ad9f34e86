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
