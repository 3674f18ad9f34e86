// Small tests on names, shared by the readers: a tensor's suffix, a zip entry, a file's extension.
#pragma once
#include <cctype>
#include <filesystem>
#include <string>

namespace sprites {

inline bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() >= tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

// Whether the file name `path` ends in `ext` (".png"), in any case.
inline bool has_extension(const std::string& path, const std::string& ext) {
  std::string e = std::filesystem::path(path).extension().string();
  for (char& c : e) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return e == ext;
}

}  // namespace sprites
