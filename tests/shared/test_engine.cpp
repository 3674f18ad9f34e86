#include "engine.h"

#include <gtest/gtest.h>

TEST(Engine, InitialisesXnnpackOnce) {
  auto a = sprites::init_engine();
  ASSERT_TRUE(a.ok) << a.message;
  EXPECT_GE(a.threads, 1);
  auto b = sprites::init_engine();
  EXPECT_TRUE(b.ok);
  EXPECT_EQ(a.threads, b.threads);
}
