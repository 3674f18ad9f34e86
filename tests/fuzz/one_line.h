// What every fuzz target asks of a refusal: a message a person can read on one line, quoting at
// most a little of the input (printable.h), never empty, never a line break from the input.
#pragma once
#include <cstdlib>
#include <exception>
#include <string>

inline void require_one_line(const std::exception& e) {
  const std::string msg = e.what();
  if (msg.empty() || msg.find('\n') != std::string::npos || msg.find('\0') != std::string::npos || msg.size() > 400) std::abort();
}
