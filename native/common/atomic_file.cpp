#include "atomic_file.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <unistd.h>

namespace sprites {

void write_file_atomic(const std::string& path, const std::function<void(const std::string&)>& writer) {
  const std::string tmp = path + ".tmp" + std::to_string(getpid());
  try {
    writer(tmp);
  } catch (...) {
    std::remove(tmp.c_str());
    throw;
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::remove(tmp.c_str());
    throw std::runtime_error(path + ": cannot write (" + ec.message() + ")");
  }
}

void write_file_atomic(const std::string& path, const std::vector<uint8_t>& bytes) {
  write_file_atomic(path, [&](const std::string& tmp) {
    errno = 0;
    std::ofstream f(tmp, std::ios::binary);
    f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    f.flush();
    // The file asked for, not the temporary beside it, and the system's reason (no such folder,
    // permission denied, disk full).
    if (!f) throw std::runtime_error(path + ": cannot write (" + (errno ? std::strerror(errno) : "write failed") + ")");
  });
}

void require_not_input(const std::string& out, const std::string& in) {
  std::error_code ec;
  if (std::filesystem::equivalent(out, in, ec)) throw std::runtime_error(out + " is the input file; write to another name");
}

void make_output_folder(const std::string& path) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::exists(path, ec) && !fs::is_directory(path, ec)) throw std::runtime_error(path + ": is a file, not a folder to write into");
  if (!fs::create_directories(path, ec) && ec) throw std::runtime_error(path + ": cannot create the folder (" + ec.message() + ")");
}

void require_folder_of(const std::string& path) {
  const auto folder = std::filesystem::path(path).parent_path();
  if (!folder.empty() && !std::filesystem::is_directory(folder))
    throw std::runtime_error(path + ": no folder " + folder.string() + " to write it into");
}

}  // namespace sprites
