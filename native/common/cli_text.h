// Text options whose empty value would read as "not given".
#pragma once
#include <CLI/CLI.hpp>

#include <string>

namespace sprites {

// CLI11 takes --init "" (say, an unset shell variable) as given, and the command then ran as if the
// flag were not there: a grid from pure noise instead of variations, the shipped report in docs/
// overwritten instead of the folder meant.
inline CLI::Validator not_empty() {
  return CLI::Validator([](std::string& s) -> std::string { return s.empty() ? "empty; give a value or leave the flag out" : ""; }, "", "NOT_EMPTY");
}

}  // namespace sprites
