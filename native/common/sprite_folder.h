// Your own sprites as a training set: a folder with one subfolder per class, each holding the
// class's sprites as PNG files (DIR/knight/*.png, DIR/slime/*.png, ...), read into the arrays the
// trainer reads from the course's .npy pair. Sprites are 16x16, or a square multiple (32x32,
// 48x48, ...) averaged down; transparent pixels are laid over white, the dataset's background.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace sprites {

struct SpriteFolder {
  int size = 16;                     // sprites are size x size
  std::vector<std::string> classes;  // subfolder names, sorted: the label names
  std::vector<int64_t> per_class;    // sprites in each
  int64_t n = 0;
  std::vector<uint8_t> images;       // n x size x size x 3, class by class, files in name order
  std::vector<double> labels;        // n x classes, one-hot (float64, as the course's labels)
  int64_t skipped = 0;               // files in class folders that are not .png
};

// Throws std::runtime_error with one line naming the folder or file for: no class folders, a class
// with no sprites, a name the labels cannot hold (a comma), too many classes, and an image that is
// not a PNG or not a square multiple of `size`.
SpriteFolder read_sprite_folder(const std::string& dir, int size = 16);

}  // namespace sprites
