// How an error message quotes text from a file or a link: on one line (a JSON "\n" in a tensor
// name or a file name would otherwise split it, and the CLI prints a message's first line only),
// control characters as '?', and at most `max` characters.
#pragma once
#include <cstddef>
#include <string>

namespace sprites {

inline std::string printable(const std::string& s, size_t max = 60) {
  std::string out;
  for (unsigned char ch : s) {
    if (out.size() >= max) return out + "...";
    out += ch < 0x20 || ch == 0x7f ? '?' : static_cast<char>(ch);
  }
  return out;
}

}  // namespace sprites
