// The quality report's configurations name samplers and checkpoints from the core's tables, so the
// report samples exactly what the CLI, the page and links offer.
#include "checkpoint_files.h"
#include "quality_eval.h"
#include "samplers/sampler_table.h"

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
