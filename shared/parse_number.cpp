#include "parse_number.h"

#include <cmath>
#include <sstream>

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

std::string format_float(float v) {
  std::ostringstream o;
  o << v;
  return o.str();
}

}  // namespace sprites
