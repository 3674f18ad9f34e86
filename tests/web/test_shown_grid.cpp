// The grid as the page shows it (web/app/shown_grid.h): the sampler's pixels with each sprite's
// colours limited, recomputed when the pixels or the limit change and never one grid's for another's.
#include "default_slot.h"
#include "shown_grid.h"
#include "sprite_colours.h"

#include <gtest/gtest.h>

using namespace sprites;

TEST(ShownGrid, IsTheCoresLimitOfTheFinishedGridAndFollowsANewGrid) {
  const auto slot = default_slot();
  UnetXnn net(*slot->weights, nullptr);
  SampleParams p;
  p.sampler = "ddim";
  p.steps = 2;
  p.count = 3;
  p.context = {1, 0, 0, 0, 0};
  ShownGrid shown;
  Generation a(net, *slot->schedule, p);
  a.advance(1e9);
  ASSERT_TRUE(a.finished());
  EXPECT_EQ(&shown.pixels(a, 0, {}), &a.pixels()) << "all colours: the sampler's own pixels";
  EXPECT_EQ(shown.checksum(a, 0, {}), a.checksum());
  EXPECT_EQ(shown.pixels(a, 5, {}), limit_colours(a.pixels(), 16, 5));
  EXPECT_NE(shown.checksum(a, 5, {}), a.checksum());
  EXPECT_EQ(shown.pixels(a, 9, {}), limit_colours(a.pixels(), 16, 9)) << "another limit";
  p.seed = 99;
  Generation b(net, *slot->schedule, p);
  b.advance(1e9);
  ASSERT_NE(b.pixels(), a.pixels());
  EXPECT_EQ(shown.pixels(b, 9, {}), limit_colours(b.pixels(), 16, 9)) << "the same limit on a new grid";
  EXPECT_EQ(shown.pixels(a, 9, {}), limit_colours(a.pixels(), 16, 9)) << "and back";
  const Palette palette = parse_palette("000000 ffffff ff0000");
  EXPECT_EQ(shown.pixels(a, 9, palette), limit_colours(a.pixels(), 16, 9, palette)) << "a palette";
  EXPECT_EQ(shown.pixels(a, 0, palette), limit_colours(a.pixels(), 16, 0, palette)) << "a palette alone";
  EXPECT_EQ(grid_look(0, {}), "");
  EXPECT_NE(grid_look(0, palette), grid_look(2, palette));
}
