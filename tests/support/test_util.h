#pragma once
#include "common/npy.h"

#include <cstdint>
#include <string>
#include <vector>

namespace testutil {
// A fresh empty folder under the system temp dir, removed at exit.
std::string temp_dir();
std::vector<uint8_t> read_bytes(const std::string& path);
void write_bytes(const std::string& path, const std::vector<uint8_t>& bytes);
void write_text(const std::string& path, const std::string& text);
using sprites::npy_bytes;  // a .npy file's bytes, as the dataset command writes them
// A small dataset of n 16x16 sprites as the trainer reads it: DIR/NAME.npy (uint8, a fixed pattern)
// and DIR/NAME_labels.npy (int64 one-hot over 5 classes, sprite i of class (first_class + i) % 5).
void write_sprite_set(const std::string& dir, const std::string& name, int n, int first_class = 0);
// Runs a shell command; returns its exit status and fills `output` with stdout+stderr.
int run_command(const std::string& cmd, std::string& output);
// The message of the E that f() throws, "" if it throws none; any other exception goes on up.
template <class E, class F>
std::string error_of(F&& f) {
  try {
    f();
  } catch (const E& e) {
    return e.what();
  }
  return "";
}
}  // namespace testutil
