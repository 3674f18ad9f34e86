// A training run's loss curve, small enough to travel in the weights index (weights_index.h) so the
// page can draw how the run it shows went: the trainer's loss.csv (a row per step) averaged over
// windows of steps, and val.csv (a row per epoch) as it is.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sprites {

struct TrainingCurve {
  struct Mean {
    int64_t step;  // the window's last step
    double loss;   // the mean training loss over the window
  };
  struct Validation {
    int epoch;
    int64_t step;  // the step the epoch ended at
    double loss;
  };
  std::vector<Mean> loss;        // steps increasing
  std::vector<Validation> val;   // epochs increasing
  bool empty() const { return loss.empty() && val.empty(); }
};

// Bounds the index's parser holds a curve to, and the windows a loss.csv is averaged into.
constexpr size_t kMaxCurveMeans = 1000;
constexpr size_t kMaxCurveEpochs = 10000;
constexpr long long kMaxCurveEpoch = 1'000'000;  // the highest epoch number
constexpr size_t kCurveMeans = 120;

// The logs' first lines: sprites-train writes them, training_curve_from_csv checks them.
constexpr const char* kLossLogHeader = "step,epoch,loss,lr";
constexpr const char* kValLogHeader = "epoch,step,val_loss";

// loss.csv and val.csv as sprites-train writes them.
// A last line without its line break (a run stopped while writing it) is left out; non-finite losses
// (a diverged step) are left out of their window's mean. Anything else that is not such a row throws
// std::runtime_error("<name> line N: ...").
TrainingCurve training_curve_from_csv(const std::string& loss_csv, const std::string& loss_name, const std::string& val_csv,
                                      const std::string& val_name, size_t means = kCurveMeans);

// Where on the curve the weights saved after `epoch` stand: the step that epoch's validation row
// names, or -1 if the curve has no row for it.
int64_t step_of_epoch(const TrainingCurve& curve, int epoch);

}  // namespace sprites
