// The list splitting and number writing that links, flags and weights metadata share. They once
// went through iostreams (which the page's wasm no longer links); a link written or read today
// must be the one written or read then, so the streams are the oracle here.
#include "parse_number.h"
#include "split_list.h"

#include <gtest/gtest.h>

#include <limits>
#include <sstream>

using namespace sprites;

namespace {

std::vector<std::string> getline_items(const std::string& s, char sep) {
  std::vector<std::string> items;
  std::stringstream ss(s);
  for (std::string item; std::getline(ss, item, sep);) items.push_back(item);
  return items;
}

}  // namespace

TEST(SplitList, ReadsItemsAsGetlineDoes) {
  for (const std::string s : {"", ",", ",,", "a", "a,", ",a", "a,,b", "1,0,0.6,0,0", "1,0,0.6,0,0,", "hero,non-human,food,spell,item", " a , b "})
    EXPECT_EQ(split_list(s, ','), getline_items(s, ',')) << "'" << s << "'";
  EXPECT_EQ(split_list("v=1&w=final.1a2b&c=1,0", '&'), (std::vector<std::string>{"v=1", "w=final.1a2b", "c=1,0"}));
  EXPECT_TRUE(split_list("", '&').empty());
}

TEST(FormatFloat, WritesWhatAStreamWrites) {
  for (float v : {0.0f, 1.0f, 0.6f, 0.0001f, 0.02f, 1e-5f, 20.0f, 3.14159274f, -0.5f, 123456789.0f, 0.333333343f,
                  std::numeric_limits<float>::min(), std::numeric_limits<float>::max(), -std::numeric_limits<float>::denorm_min()}) {
    std::ostringstream o;
    o << v;
    EXPECT_EQ(format_float(v), o.str()) << v;
  }
  EXPECT_EQ(format_float(0.6f), "0.6");
  EXPECT_EQ(format_float(0.0001f), "0.0001");
}
