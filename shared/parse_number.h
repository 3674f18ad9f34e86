// Whole-string number parsing for user input (CLI flags, share links, weights metadata):
// "1.5x", "", "nan" and out-of-range values are all rejected, never half-read. And the writing
// side links and metadata share.
#pragma once
#include <optional>
#include <string>
#include <vector>

namespace sprites {

// The value if all of `s` is a finite number in [lo, hi].
std::optional<float> parse_float_in(const std::string& s, float lo, float hi);
// The value if all of `s` is an integer in [lo, hi].
std::optional<long long> parse_int_in(const std::string& s, long long lo, long long hi);
// A --context flag: `n` comma-separated numbers in [0, 1]; anything else throws a one-line reason.
std::vector<float> parse_context_flag(const std::string& s, int n);
// Shortest form with 6 significant digits ("0.6", "0.0001", "0.02"): what links and metadata carry.
std::string format_float(float v);

}  // namespace sprites
