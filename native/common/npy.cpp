#include "npy.h"

#include <cstring>
#include <fstream>
#include <regex>
#include <stdexcept>

namespace sprites {

size_t NpyArray::element_size() const { return std::stoul(dtype.substr(2)); }

int64_t NpyArray::count() const {
  int64_t n = 1;
  for (auto d : shape) n *= d;
  return n;
}

static std::runtime_error npy_error(const std::string& path, const std::string& what) {
  return std::runtime_error(path + ": not a valid .npy file: " + what);
}

NpyArray read_npy(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) throw std::runtime_error(path + ": cannot open file");
  char magic[8];
  if (!f.read(magic, 8) || std::memcmp(magic, "\x93NUMPY", 6) != 0) throw npy_error(path, "bad magic");
  const int major = static_cast<uint8_t>(magic[6]);
  uint32_t header_len = 0;
  if (major == 1) {
    uint8_t b[2];
    if (!f.read(reinterpret_cast<char*>(b), 2)) throw npy_error(path, "truncated header");
    header_len = b[0] | (b[1] << 8);
  } else if (major == 2 || major == 3) {
    uint8_t b[4];
    if (!f.read(reinterpret_cast<char*>(b), 4)) throw npy_error(path, "truncated header");
    header_len = b[0] | (b[1] << 8) | (b[2] << 16) | (uint32_t(b[3]) << 24);
  } else {
    throw npy_error(path, "unsupported version " + std::to_string(major));
  }
  if (header_len > (1u << 20)) throw npy_error(path, "header too long");
  std::string header(header_len, '\0');
  if (!f.read(header.data(), header_len)) throw npy_error(path, "truncated header");

  std::smatch m;
  NpyArray a;
  if (!std::regex_search(header, m, std::regex(R"('descr'\s*:\s*'([<>|=])([a-z])(\d+)')")))
    throw npy_error(path, "no descr in header");
  if (m[1] == ">") throw npy_error(path, "big-endian data is not supported");
  a.dtype = std::string(m[1] == "=" ? "<" : m[1].str()) + m[2].str() + m[3].str();
  if (!std::regex_search(header, m, std::regex(R"('fortran_order'\s*:\s*(True|False))")))
    throw npy_error(path, "no fortran_order in header");
  if (m[1] == "True") throw npy_error(path, "Fortran-ordered arrays are not supported");
  if (!std::regex_search(header, m, std::regex(R"('shape'\s*:\s*\(([^)]*)\))")))
    throw npy_error(path, "no shape in header");
  std::string dims = m[1];
  const std::regex number(R"(\d+)");
  for (std::sregex_iterator it(dims.begin(), dims.end(), number), end; it != end; ++it)
    a.shape.push_back(std::stoll(it->str()));

  const size_t esize = a.element_size();
  if (esize == 0 || esize > 16) throw npy_error(path, "bad element size");
  const auto want = static_cast<uint64_t>(a.count()) * esize;
  const auto pos = f.tellg();
  f.seekg(0, std::ios::end);
  const auto have = static_cast<uint64_t>(f.tellg() - pos);
  if (have < want)
    throw npy_error(path, "truncated data (" + std::to_string(have) + " of " + std::to_string(want) + " bytes)");
  f.seekg(pos);
  a.data.resize(want);
  f.read(reinterpret_cast<char*>(a.data.data()), static_cast<std::streamsize>(want));
  return a;
}

SpriteArrays load_sprite_arrays(const std::string& images_npy, const std::string& labels_npy) {
  const NpyArray im = read_npy(images_npy);
  const NpyArray lb = read_npy(labels_npy);
  if (im.dtype != "|u1" && im.dtype != "<u1")
    throw std::runtime_error(images_npy + ": expected uint8 images, got dtype " + im.dtype);
  if (im.shape.size() != 4 || im.shape[3] != 3)
    throw std::runtime_error(images_npy + ": expected shape (N, H, W, 3) RGB images");
  if (lb.shape.size() != 2 || lb.shape[0] != im.shape[0])
    throw std::runtime_error(labels_npy + ": expected shape (" + std::to_string(im.shape[0]) +
                             ", n_classes) to match the images");
  SpriteArrays s;
  s.n = im.shape[0];
  s.height = im.shape[1];
  s.width = im.shape[2];
  s.images = im.data;
  s.n_classes = lb.shape[1];
  s.labels.resize(static_cast<size_t>(lb.count()));
  for (size_t i = 0; i < s.labels.size(); ++i) {
    const uint8_t* p = lb.data.data() + i * lb.element_size();
    if (lb.dtype == "<f8") { double v; std::memcpy(&v, p, 8); s.labels[i] = static_cast<float>(v); }
    else if (lb.dtype == "<f4") { std::memcpy(&s.labels[i], p, 4); }
    else if (lb.dtype == "<i8") { int64_t v; std::memcpy(&v, p, 8); s.labels[i] = static_cast<float>(v); }
    else throw std::runtime_error(labels_npy + ": expected float64/float32/int64 labels, got dtype " + lb.dtype);
  }
  return s;
}

}  // namespace sprites
