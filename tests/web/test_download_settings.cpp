// The page's download settings as the browser stores them (web/app/download_settings.h): every
// choice reads back as itself, nothing stored is the defaults, and anything else is refused.
#include "download_settings.h"

#include <gtest/gtest.h>

using namespace sprites;

TEST(DownloadSettings, EveryChoiceReadsBackAsItself) {
  for (const int scale : kDownloadScales)
    for (const bool transparent : {false, true}) {
      const DownloadSettings d{scale, transparent};
      const auto back = parse_download_settings(format_download_settings(d));
      ASSERT_TRUE(back.has_value()) << format_download_settings(d);
      EXPECT_EQ(*back, d);
    }
  EXPECT_EQ(format_download_settings({1, true}), "scale=1 transparent=1");
}

TEST(DownloadSettings, NothingStoredIsTheDefaultsAndDamageIsRefused) {
  const auto none = parse_download_settings("");
  ASSERT_TRUE(none.has_value());
  EXPECT_EQ(none->scale, 8) << "the size the page always downloaded";
  EXPECT_FALSE(none->transparent);
  for (const char* bad : {"scale=3 transparent=0", "scale=8 transparent=2", "scale=8", "scale=8 transparent=0 ", "scale=08 transparent=0",
                          "transparent=0 scale=8", "scale=-8 transparent=0", "scale=16 transparent=1", "\xff\xfe", "scale=8\ntransparent=0"})
    EXPECT_FALSE(parse_download_settings(bad).has_value()) << bad;
}
