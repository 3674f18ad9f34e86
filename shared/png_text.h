// The text a PNG carries (tEXt chunks), so that a sheet the page or the CLI saved can be opened again
// as the link that drew it. Hand-written: stb_image skips text chunks, and walking chunks is short.
#pragma once
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace sprites {

// Its tEXt chunks (keyword, text) in file order. `bytes` may be the file's head: a chunk cut off by
// their end ends the walk. Not a PNG: none. CRCs are not checked (what reads the text checks it).
std::vector<std::pair<std::string, std::string>> png_text(const std::vector<uint8_t>& bytes);

// The share link in a PNG's "Parameters" (as the part after '#'): the whole text where the page
// saved it, its `link=` where `sprites sample` wrote it; "" if it holds none.
std::string png_share_link(const std::vector<uint8_t>& bytes);

}  // namespace sprites
