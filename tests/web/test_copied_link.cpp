// What the page says after "Copy link" (web/app/copied_link.h).
#include "copied_link.h"

#include <gtest/gtest.h>

using namespace sprites;

TEST(CopiedLink, SaysItCopiedOrWhyNotAndWhereTheLinkIs) {
  const CopiedLink ok = copied_link("v=1&w=final.1a2b3c4d", true, "", {"final", "25", false});
  EXPECT_EQ(ok.hash, "v=1&w=final.1a2b3c4d");
  EXPECT_FALSE(ok.failed);
  EXPECT_EQ(ok.note, "Link copied.");

  const CopiedLink refused = copied_link("v=1", false, "Write permission denied.", {"final", "25", false});
  EXPECT_TRUE(refused.failed);
  EXPECT_EQ(refused.note, "The browser did not copy the link (Write permission denied.): copy it from the address bar.");
  EXPECT_NE(copied_link("v=1", false, "", {"final", "25", false}).note.find("(no reason given)"), std::string::npos);
}

TEST(CopiedLink, TheNewestEpochOfARunStillTrainingOpensOnlyUntilTheNext) {
  const CopiedLink live = copied_link("v=1&w=url.0f0f0f0f", true, "", {"latest", "12", true});
  EXPECT_EQ(live.note.rfind("Link copied. It names epoch 12 of a run still training", 0), 0u) << live.note;
  EXPECT_NE(live.note.find("scripts/publish"), std::string::npos);
  // A run stopped midway keeps its latest file, and final never moves: nothing to warn of.
  EXPECT_EQ(copied_link("v=1", true, "", {"latest", "12", false}).note, "Link copied.");
  EXPECT_EQ(copied_link("v=1", true, "", {"final", "31", true}).note, "Link copied.");
  EXPECT_NE(copied_link("v=1", false, "x", {"latest", "3", true}).note.find("epoch 3 of a run still training"), std::string::npos);
}

TEST(CopiedLink, SaysWhenTheControlsMovedSinceTheGridOnScreen) {
  const CopiedLink moved = copied_link("v=1&seed=7", true, "", {"final", "25", false, true});
  EXPECT_EQ(moved.note.rfind("Link copied. It opens the settings as they are now, not the grid on screen", 0), 0u) << moved.note;
  EXPECT_NE(moved.note.find("Generate shows what it opens."), std::string::npos);
  const CopiedLink both = copied_link("v=1", true, "", {"latest", "3", true, true});
  EXPECT_LT(both.note.find("epoch 3 of a run still training"), both.note.find("not the grid on screen")) << both.note;
}
