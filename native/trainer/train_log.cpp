#include "train_log.h"

#include "common/atomic_file.h"
#include "parse_number.h"
#include "training_curve.h"

#include <algorithm>
#include <cstdio>
#include <iterator>
#include <limits>
#include <sstream>
#include <vector>

namespace sprites {

// Keeps the header and the rows whose column `col` (a step) is at most max_step. A row must be whole:
// a kill can cut the last line anywhere (the stream is flushed in blocks), even inside its step
// ("1234" as "12"), so a line without its line break, or without all its cells, is dropped, and any
// other line that is not a row is dropped with a warning.
static void truncate_csv(const std::string& path, int64_t max_step, int col) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return;
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const size_t header_end = text.find('\n');
  if (header_end == std::string::npos) return;  // not even a header: the appends start the log again
  const std::string header = text.substr(0, header_end);
  const auto cells = std::count(header.begin(), header.end(), ',') + 1;
  std::string out = header + "\n";
  size_t dropped = 0;
  for (size_t at = header_end + 1, end; (end = text.find('\n', at)) != std::string::npos; at = end + 1) {
    const std::string line = text.substr(at, end - at);
    std::stringstream ss(line);
    std::string cell;
    for (int i = 0; i <= col; ++i) std::getline(ss, cell, ',');
    const auto step = parse_int_in(cell, 0, std::numeric_limits<int64_t>::max());
    if (!step || std::count(line.begin(), line.end(), ',') + 1 != cells) ++dropped;
    else if (*step <= max_step) out += line + "\n";
  }
  if (dropped > 0) std::fprintf(stderr, "warning: %s: left out %zu line(s) that are not rows of this log\n", path.c_str(), dropped);
  write_file_atomic(path, std::vector<uint8_t>(out.begin(), out.end()));
}

TrainLog::TrainLog(const std::string& out_dir, int64_t resume_step) {
  const std::string loss_csv = out_dir + "/loss.csv", val_csv = out_dir + "/val.csv";
  if (resume_step >= 0) {
    truncate_csv(loss_csv, resume_step, 0);
    truncate_csv(val_csv, resume_step, 1);
  } else {
    std::ofstream(loss_csv) << kLossLogHeader << '\n';
    std::ofstream(val_csv) << kValLogHeader << '\n';
  }
  loss_.open(loss_csv, std::ios::app);
  val_.open(val_csv, std::ios::app);
}

void TrainLog::validation(int epoch, int64_t step, double loss) {
  val_ << epoch << ',' << step << ',' << loss << '\n';
  val_.flush();
}

}  // namespace sprites
