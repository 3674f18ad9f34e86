#include "context_flag.h"

#include "label_names.h"
#include "parse_number.h"
#include "printable.h"
#include "split_list.h"

#include <algorithm>
#include <stdexcept>

namespace sprites {

namespace {

std::string label_list(const std::vector<std::string>& labels) { return printable(join_labels(labels, ", "), 200); }

// The label `item` names ("hero", or "hero" of "hero=0.6"; a label may hold '=' itself) and its weight.
bool named(const std::string& item, const std::vector<std::string>& labels, size_t& index, std::string& weight) {
  auto find = [&](const std::string& name) {
    const auto it = std::find(labels.begin(), labels.end(), name);
    index = static_cast<size_t>(it - labels.begin());
    return it != labels.end();
  };
  weight = "1";
  if (find(item)) return true;
  const size_t eq = item.rfind('=');
  if (eq == std::string::npos || !find(item.substr(0, eq))) return false;
  weight = item.substr(eq + 1);
  return true;
}

}  // namespace

std::vector<float> context_flag(const std::string& flag, const std::vector<std::string>& labels) {
  const std::vector<std::string> items = split_list(flag, ',');
  const size_t n = labels.size();
  const bool numbers = std::all_of(items.begin(), items.end(), [](const std::string& i) { return parse_float_in(i, 0, 1).has_value(); });
  if (numbers && items.size() == n) return parse_context_flag(flag, static_cast<int>(n));
  size_t index = 0;
  std::string weight;
  const bool by_name = std::any_of(items.begin(), items.end(), [&](const std::string& i) { return named(i, labels, index, weight); });
  if (!by_name) {
    for (const std::string& i : items)
      if (!parse_float_in(i, 0, 1))
        throw std::runtime_error("--context: '" + printable(i) + "' is not a number in [0, 1] nor one of the labels (" + label_list(labels) + ")");
    throw std::runtime_error("--context needs " + std::to_string(n) + " comma-separated values, got " + std::to_string(items.size()) +
                             " (or labels by name: " + label_list(labels) + ")");
  }
  std::vector<float> context(n, 0.0f);
  std::vector<bool> given(n, false);
  for (const std::string& i : items) {
    if (!named(i, labels, index, weight))
      throw std::runtime_error("--context: '" + printable(i) + "' is not one of the labels (" + label_list(labels) +
                               "); a label's weight is written label=0.6");
    const auto w = parse_float_in(weight, 0, 1);
    if (!w) throw std::runtime_error("--context: " + printable(i) + ": '" + printable(weight) + "' is not a weight in [0, 1]");
    if (given[index]) throw std::runtime_error("--context: '" + printable(labels[index]) + "' is given twice");
    given[index] = true;
    context[index] = *w;
  }
  return context;
}

}  // namespace sprites
