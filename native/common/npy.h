// Reader for NumPy .npy files (format versions 1-3), as the course ships its sprites and labels.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace sprites {

struct NpyArray {
  std::string dtype;             // numpy descr, e.g. "|u1", "<f8"
  std::vector<int64_t> shape;
  std::vector<uint8_t> data;     // raw little-endian, C order
  size_t element_size() const;
  int64_t count() const;
};

// Throws std::runtime_error with a one-line message naming the file on any malformed input.
NpyArray read_npy(const std::string& path);
NpyArray parse_npy(const std::vector<uint8_t>& bytes, const std::string& name);

// Checked views for the two layouts the trainer accepts.
struct SpriteArrays {
  int64_t n = 0, height = 0, width = 0;
  std::vector<uint8_t> images;   // n * h * w * 3, NHWC RGB
  int64_t n_classes = 0;
  std::vector<float> labels;     // n * n_classes, one-hot or mixed
};
SpriteArrays load_sprite_arrays(const std::string& images_npy, const std::string& labels_npy);
// The number of classes a labels .npy (n, n_classes) holds; throws naming the file otherwise.
int64_t label_classes(const std::string& labels_npy);

// A .npy file's bytes (format 1.0, C order) for `data` of numpy type `descr` ("|u1", "<f4", ...).
std::vector<uint8_t> npy_bytes(const std::string& descr, const std::vector<int64_t>& shape, const std::vector<uint8_t>& data);

}  // namespace sprites
