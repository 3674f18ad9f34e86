// The rules a model's class names keep: what any file may hold, and what the tools write.
#include "label_names.h"

#include <gtest/gtest.h>

using namespace sprites;

TEST(LabelNames, AFileMayHoldLongNamesButAToolWritesAtMost40Characters) {
  const std::vector<std::string> course{"hero", "non-human", "food", "spell", "item"};
  EXPECT_EQ(label_names_problem(course), "");
  EXPECT_EQ(new_label_names_problem(course), "");
  std::string e40;
  for (int i = 0; i < 40; ++i) e40 += "\xc3\xa9";  // 40 characters of two bytes each
  EXPECT_EQ(new_label_names_problem({"hero", e40}), "");
  const std::string x41(41, 'x');
  EXPECT_EQ(new_label_names_problem({"hero", x41}), "'" + x41 + "' is longer than 40 characters");
  EXPECT_EQ(label_names_problem({"hero", x41}), "");
}

TEST(LabelNames, EmptyRepeatedCommaAndControlCharactersAreRefusedEverywhere) {
  for (auto check : {label_names_problem, new_label_names_problem}) {
    EXPECT_EQ(check({"hero", " "}), "label 2 is empty");
    EXPECT_EQ(check({"hero", "food", "hero"}), "'hero' is given twice (the page's sliders are named by them)");
    EXPECT_EQ(check({"a,b"}), "'a,b' holds a comma (the weights list the labels with commas)");
    EXPECT_EQ(check({"fo\tod"}), "label 1 ('fo?od') holds a control character");
  }
}

TEST(LabelNames, AListEndingInACommaNamesAnEmptyLastLabel) {
  EXPECT_EQ(split_labels("a,b,"), (std::vector<std::string>{"a", "b", ""}));
  EXPECT_EQ(split_labels("a"), (std::vector<std::string>{"a"}));
  EXPECT_EQ(join_labels(split_labels("a,b,"), ","), "a,b,");
  EXPECT_EQ(join_labels({"hero", "food"}, ", "), "hero, food");
  EXPECT_THROW(labels_from_metadata("a,b,", 3, "w"), std::runtime_error);
  EXPECT_EQ(labels_from_metadata("a,b,c", 3, "w"), (std::vector<std::string>{"a", "b", "c"}));
}
