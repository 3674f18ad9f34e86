#include "file_bytes.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace sprites {

std::vector<uint8_t> read_file_bytes(const std::string& path) {
  // A folder opens as a stream on Linux, and reading it fails with a message that names no path.
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) throw std::runtime_error(path + ": is a folder, not a file");
  // A device holds no file (/dev/zero never ends: refused only after a gigabyte, 10 s; a terminal
  // waits for typing). Pipes stay readable: `--weights <(...)` is a file on its way.
  if (std::filesystem::is_character_file(path, ec) || std::filesystem::is_block_file(path, ec))
    throw std::runtime_error(path + ": a device, not a file");
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error(path + ": cannot open file");
  const auto too_large = [&] {
    return std::runtime_error(path + ": larger than " + std::to_string(kMaxFileBytes >> 20) + " MiB, more than any weights, checkpoint or sprite set");
  };
  // Read in chunks, not by the size the file system reports: a pipe has none, and would otherwise
  // grow the buffer until memory runs out.
  std::vector<uint8_t> bytes;
  // A regular file says its size: one too large is refused without reading a gigabyte of it first.
  if (const auto size = std::filesystem::file_size(path, ec); !ec && std::filesystem::is_regular_file(path, ec)) {
    if (size > kMaxFileBytes) throw too_large();
    bytes.reserve(size + 1);
  }
  try {
    constexpr size_t kChunk = size_t{1} << 20;
    while (f) {
      const size_t at = bytes.size();
      bytes.resize(at + kChunk);
      f.read(reinterpret_cast<char*>(bytes.data() + at), static_cast<std::streamsize>(kChunk));
      bytes.resize(at + static_cast<size_t>(f.gcount()));
      if (bytes.size() > kMaxFileBytes) throw too_large();
    }
    if (f.bad()) throw std::ios_base::failure("bad stream");
  } catch (const std::ios_base::failure&) {  // libstdc++'s filebuf throws on a failed read
    throw std::runtime_error(path + ": read error");
  }
  bytes.shrink_to_fit();
  return bytes;
}

}  // namespace sprites
