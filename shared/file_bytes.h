// A whole file's bytes, for every reader of weights, datasets and checkpoints: one place that turns
// a missing file, a folder given for a file, or a failed read into "PATH: what went wrong".
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace sprites {

// Throws std::runtime_error naming the path.
std::vector<uint8_t> read_file_bytes(const std::string& path);

}  // namespace sprites
