// The one line a command-line tool prints when it fails.
#pragma once
#include <cstdio>
#include <exception>
#include <string>

namespace sprites {

// The first line of a message: LibTorch's errors (c10::Error) append a C++ backtrace to theirs.
inline std::string first_line(const std::string& s) { return s.substr(0, s.find('\n')); }

// Prints "error: <first line>" and returns the exit status of a failed command.
inline int report_error(const std::exception& e) {
  std::fprintf(stderr, "error: %s\n", first_line(e.what()).c_str());
  return 1;
}

}  // namespace sprites
