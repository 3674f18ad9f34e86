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
