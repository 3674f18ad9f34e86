// The quality report's configurations name samplers and checkpoints from the core's tables, so the
// report samples exactly what the CLI, the page and links offer.
#include "checkpoint_files.h"
#include "quality_eval.h"
#include "samplers/sampler_table.h"
#include "test_util.h"

#include <gtest/gtest.h>

#include <set>

using namespace sprites;

TEST(QualityConfigs, EveryConfigurationNamesRowsOfTheTables) {
  std::set<std::string> ids;
  for (const EvalConfig& c : standard_configs()) {
    EXPECT_TRUE(ids.insert(c.id).second) << c.id << " twice";
    EXPECT_NE(find_sampler(c.params.sampler), nullptr) << c.id << ": " << c.params.sampler;
    EXPECT_NE(find_checkpoint(c.weights), nullptr) << c.id << ": " << c.weights;
  }
}

// A short run exported no epoch 4: the default report leaves that row out with a note instead of
// failing; beside a course notebook's model_31.pth, epoch k is its model_k.pth.
TEST(QualityConfigs, TheDefaultListHasTheCheckpointsThatAreThere) {
  auto ids = [](const std::vector<EvalConfig>& configs) {
    std::set<std::string> out;
    for (const EvalConfig& c : configs) out.insert(c.id);
    return out;
  };
  const std::string run = testutil::temp_dir(), final_path = run + "/sprites_final.safetensors";
  testutil::write_bytes(final_path, {1});
  testutil::write_bytes(run + "/sprites_ep4.safetensors", {1});
  const auto listed = ids(select_configs({}, final_path));
  EXPECT_TRUE(listed.count("ddpm500") && listed.count("ddim25") && listed.count("ep4-ddim25"));
  EXPECT_FALSE(listed.count("ep0-ddim25") || listed.count("ep8-ddim25"));
  EXPECT_EQ(ids(select_configs({"ep8-ddim25"}, final_path)), std::set<std::string>{"ep8-ddim25"}) << "asked for: kept, and its load says what is missing";

  const std::string course = testutil::temp_dir();
  for (const char* f : {"model_4.pth", "model_31.pth"}) testutil::write_bytes(course + "/" + f, {1});
  EXPECT_EQ(config_weights_path(course + "/model_31.pth", "ep4"), course + "/model_4.pth");
  EXPECT_EQ(config_weights_path(course + "/model_31.pth", "final"), course + "/model_31.pth");
  const auto from_course = ids(select_configs({}, course + "/model_31.pth"));
  EXPECT_TRUE(from_course.count("ep4-ddim25"));
  EXPECT_FALSE(from_course.count("ep0-ddim25"));
}
