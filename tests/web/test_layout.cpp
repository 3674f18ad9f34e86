// The studio's arrangement follows the canvas's CSS size: phones get the views first and touch-sized
// widgets, in both orientations; desktops keep the side-by-side layout.
#include "layout.h"

#include <gtest/gtest.h>

using namespace sprites;

TEST(Layout, PhonesStackInPortraitAndGetTouchSizesInBothOrientations) {
  const Layout portrait = choose_layout(390, 844);
  EXPECT_TRUE(portrait.stacked);
  EXPECT_TRUE(portrait.touch);
  const Layout landscape = choose_layout(844, 390);
  EXPECT_FALSE(landscape.stacked);  // wide enough for controls beside the grid
  EXPECT_TRUE(landscape.touch);
  EXPECT_LT(landscape.controls_width, 844 / 2);
}

TEST(Layout, DesktopsKeepTheirLayout) {
  for (auto [w, h] : {std::pair{1100, 700}, {1920, 1080}, {1280, 800}}) {
    const Layout l = choose_layout(w, h);
    EXPECT_FALSE(l.stacked) << w << "x" << h;
    EXPECT_FALSE(l.touch) << w << "x" << h;
    EXPECT_EQ(l.controls_width, 340);
  }
  EXPECT_TRUE(choose_layout(600, 900).stacked);   // a narrow, tall window stacks...
  EXPECT_FALSE(choose_layout(600, 900).touch);    // ...with mouse-sized widgets
  EXPECT_FALSE(choose_layout(0, 0).stacked);      // no size yet: the default
}
