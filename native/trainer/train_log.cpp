#include "train_log.h"

#include "common/atomic_file.h"

#include <sstream>
#include <vector>

namespace sprites {

// Keeps the header and the rows whose column `col` (a step) is at most max_step.
static void truncate_csv(const std::string& path, int64_t max_step, int col) {
  std::ifstream in(path);
  if (!in) return;
  std::string line, out;
  std::getline(in, line);
  out = line + "\n";
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::string cell;
    for (int i = 0; i <= col; ++i) std::getline(ss, cell, ',');
    if (!cell.empty() && std::stoll(cell) <= max_step) out += line + "\n";
  }
  write_file_atomic(path, std::vector<uint8_t>(out.begin(), out.end()));
}

TrainLog::TrainLog(const std::string& out_dir, int64_t resume_step) {
  const std::string loss_csv = out_dir + "/loss.csv", val_csv = out_dir + "/val.csv";
  if (resume_step >= 0) {
    truncate_csv(loss_csv, resume_step, 0);
    truncate_csv(val_csv, resume_step, 1);
  } else {
    std::ofstream(loss_csv) << "step,epoch,loss,lr\n";
    std::ofstream(val_csv) << "epoch,step,val_loss\n";
  }
  loss_.open(loss_csv, std::ios::app);
  val_.open(val_csv, std::ios::app);
}

void TrainLog::validation(int epoch, int64_t step, double loss) {
  val_ << epoch << ',' << step << ',' << loss << '\n';
  val_.flush();
}

}  // namespace sprites
