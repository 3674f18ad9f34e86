#include "training_curve.h"
#include "weights_index.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

using namespace sprites;

namespace {

const std::string kLossHeader = "step,epoch,loss,lr\n", kValHeader = "epoch,step,val_loss\n";

// Steps 1..n of a loss.csv with loss = step, five steps an epoch.
std::string loss_rows(int n) {
  std::string s = kLossHeader;
  for (int i = 1; i <= n; ++i) s += std::to_string(i) + "," + std::to_string((i - 1) / 5) + "," + std::to_string(i) + ",0.001\n";
  return s;
}

std::string curve_error(const std::string& loss, const std::string& val) {
  try {
    training_curve_from_csv(loss, "run/loss.csv", val, "run/val.csv");
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

}  // namespace

TEST(TrainingCurve, StepsAreAveragedInEqualWindowsAtTheirLastStep) {
  const TrainingCurve c = training_curve_from_csv(loss_rows(10), "loss.csv", kValHeader + "0,5,0.5\n1,10,0.25\n", "val.csv", 5);
  ASSERT_EQ(c.loss.size(), 5u);
  for (size_t k = 0; k < 5; ++k) {
    EXPECT_EQ(c.loss[k].step, static_cast<int64_t>(2 * k + 2));
    EXPECT_DOUBLE_EQ(c.loss[k].loss, 2.0 * k + 1.5);  // the mean of steps 2k+1 and 2k+2
  }
  ASSERT_EQ(c.val.size(), 2u);
  EXPECT_EQ(c.val[1].epoch, 1);
  EXPECT_EQ(c.val[1].step, 10);
  EXPECT_DOUBLE_EQ(c.val[1].loss, 0.25);
  EXPECT_EQ(step_of_epoch(c, 1), 10);
  EXPECT_EQ(step_of_epoch(c, 4), -1);
  // Fewer steps than windows: a window a step. Seven steps in three windows: 2, 2 and 3 steps.
  EXPECT_EQ(training_curve_from_csv(loss_rows(3), "l", kValHeader, "v", 120).loss.size(), 3u);
  const TrainingCurve uneven = training_curve_from_csv(loss_rows(7), "l", kValHeader, "v", 3);
  ASSERT_EQ(uneven.loss.size(), 3u);
  EXPECT_EQ(uneven.loss[0].step, 2);
  EXPECT_EQ(uneven.loss[2].step, 7);
  EXPECT_DOUBLE_EQ(uneven.loss[2].loss, 6.0);
}

// What a stopped or diverged run leaves: a half-written last line, and "nan" where the loss blew up.
TEST(TrainingCurve, AHalfWrittenLastLineAndNonFiniteLossesAreLeftOut) {
  const std::string loss = kLossHeader + "1,0,0.5,0.001\n2,0,nan,0.001\n3,0,-nan,0.001\n4,0,inf,0.001\n5,0,0.25,0.0";
  const TrainingCurve c = training_curve_from_csv(loss, "l", kValHeader + "0,4,0.3\n1,8,nan\n2,1", "v", 2);
  ASSERT_EQ(c.loss.size(), 1u) << "the window of steps 3-4 has no finite loss";
  EXPECT_EQ(c.loss[0].step, 2);
  EXPECT_DOUBLE_EQ(c.loss[0].loss, 0.5);
  ASSERT_EQ(c.val.size(), 1u);
  EXPECT_EQ(c.val[0].epoch, 0);
  EXPECT_TRUE(training_curve_from_csv(kLossHeader, "l", kValHeader, "v").empty());
  EXPECT_EQ(training_curve_from_csv("step,epoch,loss,lr\r\n1,0,0.5,0.001\r\n", "l", kValHeader, "v").loss.size(), 1u);
}

TEST(TrainingCurve, AnythingElseIsOneLineNamingTheFileAndLine) {
  EXPECT_EQ(curve_error("", kValHeader), "run/loss.csv: not a training log (its first line should be 'step,epoch,loss,lr')");
  EXPECT_EQ(curve_error("epoch,step,val_loss\n", kValHeader),
            "run/loss.csv: not a training log (its first line should be 'step,epoch,loss,lr')");
  EXPECT_EQ(curve_error(kLossHeader + "1,0,0.5\n", kValHeader), "run/loss.csv line 2: '1,0,0.5' has 3 values, not 4");
  EXPECT_EQ(curve_error(kLossHeader + "1,0,0.5,1\n1,0,0.5,1\n", kValHeader), "run/loss.csv line 3: step 1 comes after step 1");
  EXPECT_EQ(curve_error(kLossHeader + "x,0,0.5,1\n", kValHeader),
            "run/loss.csv line 2: step 'x' is not a whole number in 1..1000000000000");
  EXPECT_EQ(curve_error(kLossHeader + "1,0,-0.5,1\n", kValHeader), "run/loss.csv line 2: loss '-0.5' is not a number >= 0");
  EXPECT_EQ(curve_error(kLossHeader + "1,0,0.5\x01\n,1\n", kValHeader), "run/loss.csv line 2: '1,0,0.5?' has 3 values, not 4");
  EXPECT_EQ(curve_error(kLossHeader, "epoch,step\n"), "run/val.csv: not a training log (its first line should be 'epoch,step,val_loss')");
  EXPECT_EQ(curve_error(kLossHeader, kValHeader + "2,10,0.1\n1,20,0.1\n"), "run/val.csv line 3: epoch 1 comes after epoch 2");
}

TEST(TrainingCurve, TravelsInTheWeightsIndexToFourDigits) {
  WeightsIndex in;
  in.weights = {{"final", "sprites_final.safetensors", 42, "0123456789abcdef", "1"}};
  in.training = training_curve_from_csv(kLossHeader + "1,0,1.0123456,0.001\n2,1,0.5,0.001\n", "l",
                                        kValHeader + "0,1,0.333333\n1,2,0.25\n", "v");
  const std::string json = weights_index_json(in);
  EXPECT_NE(json.find(R"("loss": [[1,1.012],[2,0.5]])"), std::string::npos) << json;
  const WeightsIndex out = parse_weights_index(json, "index.json");
  ASSERT_EQ(out.training.loss.size(), 2u);
  EXPECT_DOUBLE_EQ(out.training.loss[0].loss, 1.012);
  ASSERT_EQ(out.training.val.size(), 2u);
  EXPECT_DOUBLE_EQ(out.training.val[0].loss, 0.3333);
  EXPECT_EQ(out.training.val[1].step, 2);
  EXPECT_TRUE(parse_weights_index(weights_index_json(WeightsIndex{}), "i").training.empty());
  EXPECT_EQ(weights_index_json(WeightsIndex{}).find("training"), std::string::npos);
}

TEST(TrainingCurve, TheIndexRefusesACurveItCouldNotDraw) {
  auto error = [](const std::string& training) {
    try {
      parse_weights_index(R"({"format": "sprites-weights-index/1", "weights": [], "training": )" + training + "}", "index.json");
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_EQ(error(R"({"loss": [[1, 0.5], [2, 0.4]], "val": [[0, 2, 0.3]]})"), "");
  EXPECT_EQ(error("[]"), "index.json: training is not an object");
  EXPECT_EQ(error(R"({"loss": 5})"), "index.json: training.loss is not a list of at most 1000 points");
  EXPECT_EQ(error(R"({"loss": [[1]]})"), "index.json: training.loss has a point that is not 2 numbers");
  EXPECT_EQ(error(R"({"loss": [[1, -0.5]]})"), "index.json: training.loss has a point that is not a loss >= 0");
  EXPECT_EQ(error(R"({"loss": [[1.5, 0.5]]})"), "index.json: training.loss has a point that is not whole numbers");
  EXPECT_EQ(error(R"({"loss": [[2, 0.5], [2, 0.4]]})"), "index.json: training.loss steps are not increasing from 1");
  EXPECT_EQ(error(R"({"loss": [[18446744073709551615, 0.5]]})"), "index.json: training.loss steps are not increasing from 1");
  EXPECT_EQ(error(R"({"val": [[1, 2, 0.5], [0, 3, 0.4]]})"), "index.json: training.val epochs are not increasing");
  EXPECT_EQ(error(R"({"val": [[1, 2, "a"]]})"), "index.json: training.val has a point that is not a loss >= 0");
  std::string many = R"({"loss": [)";
  for (int i = 1; i <= 1001; ++i) many += (i > 1 ? ",[" : "[") + std::to_string(i) + ",0.1]";
  EXPECT_EQ(error(many + "]}"), "index.json: training.loss is not a list of at most 1000 points");
}
