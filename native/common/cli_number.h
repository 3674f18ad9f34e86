// Number options whose errors a person can read. CLI11's Range, PositiveNumber and
// NonNegativeNumber let "nan" through (every comparison with it is false), and an open bound prints
// as a 300-digit number ("Value -1 not in range 0.000000 to 179769313486...").
#pragma once
#include "parse_number.h"
#include "sample.h"

#include <CLI/CLI.hpp>

#include <cfloat>
#include <string>

namespace sprites {

// --threads up to `max`, 0 by default: a thread per core this process may use (usable_cores.h),
// for the inference core (init_engine) and LibTorch (set_torch_threads) alike.
inline CLI::Option* add_threads_option(CLI::App* app, int& threads, int max) {
  return app->add_option("--threads", threads, "threads (0: one per core this process may use)")
      ->capture_default_str()
      ->check(CLI::Range(0, max));
}

// A finite number in [lo, hi]; `lo`/`hi` at -FLT_MAX/FLT_MAX leave that side open.
inline CLI::Validator number_in(float lo, float hi) {
  std::string range = lo == -FLT_MAX && hi == FLT_MAX ? "a finite number"
                      : hi == FLT_MAX                  ? "a number >= " + format_float(lo)
                      : lo == -FLT_MAX                 ? "a number <= " + format_float(hi)
                                                       : "a number in [" + format_float(lo) + ", " + format_float(hi) + "]";
  return CLI::Validator(
      [lo, hi, range](std::string& s) -> std::string { return parse_float_in(s, lo, hi) ? "" : "'" + s + "' is not " + range; },
      range, "NUMBER");
}

// A finite number > 0 (a learning rate).
inline CLI::Validator positive_number() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        const auto v = parse_float_in(s, 0, FLT_MAX);
        return v && *v > 0 ? "" : "'" + s + "' is not a number > 0";
      },
      "a number > 0", "POSITIVE");
}

// A seed: a whole number the page's seed field and its links hold. CLI11 reads "-1" into an unsigned
// as 2^64 - 1 and a 30-digit number as the largest one, two seeds no link could carry.
inline CLI::Validator seed_number() {
  const std::string range = "a whole number in [0, " + std::to_string(SampleParams::kMaxSeed) + "]";
  return CLI::Validator(
      [range](std::string& s) -> std::string { return parse_int_in(s, 0, SampleParams::kMaxSeed) ? "" : "'" + s + "' is not " + range; },
      range, "SEED");
}

}  // namespace sprites
