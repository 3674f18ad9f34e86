#include "label_names.h"

#include "printable.h"
#include "split_list.h"

#include <algorithm>
#include <stdexcept>

namespace sprites {

namespace {

// UTF-8 code points: the page draws one glyph per character, not per byte.
size_t characters(const std::string& s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0xc0) != 0x80; }));
}

}  // namespace

std::string label_names_problem(const std::vector<std::string>& labels) {
  for (size_t i = 0; i < labels.size(); ++i) {
    const std::string& l = labels[i];
    const std::string which = "label " + std::to_string(i + 1);
    if (l.find_first_not_of(' ') == std::string::npos) return which + " is empty";
    if (std::any_of(l.begin(), l.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; }))
      return which + " ('" + printable(l) + "') holds a control character";
    if (l.find(',') != std::string::npos) return "'" + printable(l) + "' holds a comma (the weights list the labels with commas)";
    if (std::find(labels.begin(), labels.begin() + static_cast<std::ptrdiff_t>(i), l) != labels.begin() + static_cast<std::ptrdiff_t>(i))
      return "'" + printable(l) + "' is given twice (the page's sliders are named by them)";
  }
  return "";
}

std::string new_label_names_problem(const std::vector<std::string>& labels) {
  if (std::string problem = label_names_problem(labels); !problem.empty()) return problem;
  for (const std::string& l : labels)
    if (characters(l) > kMaxLabelChars) return "'" + printable(l) + "' is longer than " + std::to_string(kMaxLabelChars) + " characters";
  return "";
}

std::vector<std::string> split_labels(const std::string& text) {
  std::vector<std::string> labels = split_list(text, ',');
  if (!text.empty() && text.back() == ',') labels.emplace_back();
  return labels;
}

std::string join_labels(const std::vector<std::string>& labels, const char* sep) {
  std::string text;
  for (size_t i = 0; i < labels.size(); ++i) text += (i ? sep : "") + labels[i];
  return text;
}

std::vector<std::string> labels_from_metadata(const std::string& text, int n_cfeat, const std::string& name) {
  const std::vector<std::string> labels = split_labels(text);
  if (static_cast<int>(labels.size()) != n_cfeat)
    throw std::runtime_error(name + ": " + std::to_string(labels.size()) + " labels for n_cfeat " + std::to_string(n_cfeat));
  if (const std::string problem = label_names_problem(labels); !problem.empty()) throw std::runtime_error(name + ": labels: " + problem);
  return labels;
}

}  // namespace sprites
