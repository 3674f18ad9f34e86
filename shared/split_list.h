// A separated list ("1,0,0.6", "v=1&w=final", a labels field) as its items, as std::getline
// reads them: "a,,b" has an empty item, a separator at the end adds none, "" has no items. The
// page's wasm links no iostreams for this: their locale machinery alone was about 110 kB of code.
#pragma once
#include <string>
#include <vector>

namespace sprites {

inline std::vector<std::string> split_list(const std::string& s, char sep) {
  std::vector<std::string> items;
  size_t begin = 0;
  while (begin < s.size()) {
    const size_t end = s.find(sep, begin);
    if (end == std::string::npos) {
      items.push_back(s.substr(begin));
      break;
    }
    items.push_back(s.substr(begin, end - begin));
    begin = end + 1;
  }
  return items;
}

}  // namespace sprites
