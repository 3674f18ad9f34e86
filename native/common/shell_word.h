// A word of a command the tools print for the user to paste ("train on them: ...", "in the studio:
// ..."): a folder "wizard's hat" or a path with a space stays one argument.
#pragma once
#include <string>

namespace sprites {

// `s` quoted for a POSIX shell where it needs it, or always.
inline std::string shell_word(const std::string& s, bool always = false) {
  const bool plain = !s.empty() && s.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_@%+=:,./-") == std::string::npos;
  if (plain && !always) return s;
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

}  // namespace sprites
