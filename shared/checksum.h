#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace sprites {
// FNV-1a 64 of the bytes, as 16 hex digits: the page, the CLI and the tests compare pixels by it.
std::string fnv1a64_hex(const std::vector<uint8_t>& bytes);
// The bytes as lower-case hex, two digits each (digests, pixels for the tests, a link's sprite).
std::string hex_bytes(const std::vector<uint8_t>& bytes);
// A hex digit's value in either case, -1 for anything else (links, palettes).
int hex_value(char c);
}
