#include "file_bytes.h"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace sprites {

std::vector<uint8_t> read_file_bytes(const std::string& path) {
  // A folder opens as a stream on Linux, and reading it fails with a message that names no path.
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw std::runtime_error(path + ": is a folder, not a file");
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error(path + ": cannot open file");
  try {
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    if (f.bad()) throw std::ios_base::failure("bad stream");
    return bytes;
  } catch (const std::ios_base::failure&) {  // libstdc++'s filebuf throws on a failed read
    throw std::runtime_error(path + ": read error");
  }
}

}  // namespace sprites
