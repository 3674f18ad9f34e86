#include "training_curve.h"

#include "parse_number.h"
#include "printable.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <stdexcept>

namespace sprites {

namespace {

constexpr long long kMaxStep = 1'000'000'000'000LL;

// The rows of a CSV file after its header, each split at its commas. Checks the header and that each
// row has as many cells; leaves out a last line that has no line break.
class CsvRows {
 public:
  CsvRows(const std::string& text, const std::string& name, const std::string& header)
      : text_(text), name_(name), cells_(static_cast<size_t>(std::count(header.begin(), header.end(), ',')) + 1) {
    std::vector<std::string> first;
    if (!next(first) || join(first) != header)
      throw std::runtime_error(name + ": not a training log (its first line should be '" + header + "')");
  }

  bool next(std::vector<std::string>& row) {
    const size_t end = text_.find('\n', at_);
    if (end == std::string::npos) return false;
    std::string line = text_.substr(at_, end - at_);
    at_ = end + 1;
    ++line_;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    row.clear();
    for (size_t from = 0;;) {
      const size_t comma = line.find(',', from);
      row.push_back(line.substr(from, comma - from));
      if (comma == std::string::npos) break;
      from = comma + 1;
    }
    if (line_ > 1 && row.size() != cells_)
      throw fail("'" + printable(line) + "' has " + std::to_string(row.size()) + " values, not " + std::to_string(cells_));
    return true;
  }

  std::runtime_error fail(const std::string& what) const {
    return std::runtime_error(name_ + " line " + std::to_string(line_) + ": " + what);
  }

 private:
  static std::string join(const std::vector<std::string>& cells) {
    std::string s;
    for (const auto& c : cells) s += (s.empty() ? "" : ",") + c;
    return s;
  }

  const std::string& text_;
  const std::string& name_;
  size_t cells_;
  size_t at_ = 0, line_ = 0;
};

long long whole(const CsvRows& rows, const std::string& cell, const char* what, long long lo, long long hi) {
  const auto v = parse_int_in(cell, lo, hi);
  if (!v) throw rows.fail(std::string(what) + " '" + printable(cell) + "' is not a whole number in " + std::to_string(lo) + ".." + std::to_string(hi));
  return *v;
}

// A loss, or nothing for one that is not finite (the trainer writes "nan" for the step it stops at).
std::optional<double> loss_of(const CsvRows& rows, const std::string& cell) {
  std::string lower = cell;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (lower.find("nan") != std::string::npos || lower.find("inf") != std::string::npos) return std::nullopt;
  const auto v = parse_float_in(cell, 0.0f, 1e30f);
  if (!v) throw rows.fail("loss '" + printable(cell) + "' is not a number >= 0");
  return *v;
}

}  // namespace

TrainingCurve training_curve_from_csv(const std::string& loss_csv, const std::string& loss_name, const std::string& val_csv,
                                      const std::string& val_name, size_t means) {
  TrainingCurve curve;
  struct Row {
    int64_t step;
    std::optional<double> loss;
  };
  std::vector<Row> steps;
  CsvRows loss_rows(loss_csv, loss_name, kLossLogHeader);
  for (std::vector<std::string> r; loss_rows.next(r);) {
    const int64_t step = whole(loss_rows, r[0], "step", 1, kMaxStep);
    whole(loss_rows, r[1], "epoch", 0, kMaxCurveEpoch);
    if (!steps.empty() && step <= steps.back().step) throw loss_rows.fail("step " + std::to_string(step) + " comes after step " + std::to_string(steps.back().step));
    steps.push_back({step, loss_of(loss_rows, r[2])});
  }
  // Window k holds rows [k n / m, (k + 1) n / m): every row in one window, windows equal to a row.
  const size_t n = steps.size(), m = std::min(std::clamp<size_t>(means, 1, kMaxCurveMeans), n);
  for (size_t k = 0; k < m; ++k) {
    double sum = 0;
    size_t finite = 0;
    const size_t first = k * n / m, last = (k + 1) * n / m;
    for (size_t i = first; i < last; ++i)
      if (steps[i].loss) sum += *steps[i].loss, ++finite;
    if (finite > 0) curve.loss.push_back({steps[last - 1].step, sum / static_cast<double>(finite)});
  }

  CsvRows val_rows(val_csv, val_name, kValLogHeader);
  for (std::vector<std::string> r; val_rows.next(r);) {
    const int epoch = static_cast<int>(whole(val_rows, r[0], "epoch", 0, kMaxCurveEpoch));
    const int64_t step = whole(val_rows, r[1], "step", 0, kMaxStep);
    if (!curve.val.empty() && epoch <= curve.val.back().epoch)
      throw val_rows.fail("epoch " + std::to_string(epoch) + " comes after epoch " + std::to_string(curve.val.back().epoch));
    if (curve.val.size() == kMaxCurveEpochs) throw val_rows.fail("more than " + std::to_string(kMaxCurveEpochs) + " epochs");
    if (const auto loss = loss_of(val_rows, r[2])) curve.val.push_back({epoch, step, *loss});
  }
  return curve;
}

int64_t step_of_epoch(const TrainingCurve& curve, int epoch) {
  for (const auto& v : curve.val)
    if (v.epoch == epoch) return v.step;
  return -1;
}

}  // namespace sprites
