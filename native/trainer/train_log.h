// The run's logs: loss.csv (every step) and val.csv (every epoch). On resume, rows written after the
// checkpoint are dropped, so the logs match the state training continues from.
#pragma once
#include <fstream>
#include <string>

namespace sprites {

class TrainLog {
 public:
  // Starts fresh logs in out_dir, or with resume_step >= 0 keeps the rows up to that step.
  TrainLog(const std::string& out_dir, int64_t resume_step);
  void step(int64_t step, int epoch, float loss, double lr) { loss_ << step << ',' << epoch << ',' << loss << ',' << lr << '\n'; }
  void validation(int epoch, int64_t step, double loss);
  void flush() { loss_.flush(); }

 private:
  std::ofstream loss_, val_;
};

}  // namespace sprites
