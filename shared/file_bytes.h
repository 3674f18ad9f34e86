// A whole file's bytes, for every reader of weights, datasets and checkpoints: one place that turns
// a missing file, a folder given for a file, or a failed read into "PATH: what went wrong".
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace sprites {

// Far above any file these tools read (the course's fp32 .pth is 6 MB; a million sprites, 768 MB).
inline constexpr size_t kMaxFileBytes = size_t{1} << 30;

// Throws std::runtime_error naming the path, also for a file over kMaxFileBytes.
std::vector<uint8_t> read_file_bytes(const std::string& path);

}  // namespace sprites
