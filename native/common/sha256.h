#pragma once
#include <string>

namespace sprites {
// Hex sha256 of a whole file (OpenSSL); throws std::runtime_error if it cannot be read.
std::string sha256_file(const std::string& path);
}
