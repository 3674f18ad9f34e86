#include "parse_number.h"

#include "split_list.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>

namespace sprites {

std::optional<float> parse_float_in(const std::string& s, float lo, float hi) {
  size_t used = 0;
  float x = 0;
  try {
    x = std::stof(s, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (used != s.size() || !std::isfinite(x) || x < lo || x > hi) return std::nullopt;
  return x;
}

std::optional<long long> parse_int_in(const std::string& s, long long lo, long long hi) {
  size_t used = 0;
  long long x = 0;
  try {
    x = std::stoll(s, &used);
  } catch (const std::exception&) {
    return std::nullopt;
  }
  if (used != s.size() || x < lo || x > hi) return std::nullopt;
  return x;
}

std::vector<float> parse_context_flag(const std::string& s, int n) {
  std::vector<float> v;
  for (const std::string& item : split_list(s, ',')) {
    const auto x = parse_float_in(item, 0, 1);
    if (!x) throw std::runtime_error("--context: '" + item + "' is not a number in [0, 1]");
    v.push_back(*x);
  }
  if (static_cast<int>(v.size()) != n)
    throw std::runtime_error("--context needs " + std::to_string(n) + " comma-separated values, got " + std::to_string(v.size()));
  return v;
}

std::string format_float(float v) {
  char out[32];  // %g of a float: at most 12 characters ("-1.17549e-38")
  std::snprintf(out, sizeof out, "%g", static_cast<double>(v));
  return out;
}

}  // namespace sprites
