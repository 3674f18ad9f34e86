#include "npy.h"

#include "file_bytes.h"

#include <cstring>
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
  return parse_npy(read_file_bytes(path), path);
}

NpyArray parse_npy(const std::vector<uint8_t>& bytes, const std::string& path) {
  auto byte = [&](size_t i) { return static_cast<uint32_t>(bytes[i]); };
  if (bytes.size() < 8 || std::memcmp(bytes.data(), "\x93NUMPY", 6) != 0) throw npy_error(path, "bad magic");
  const uint32_t major = byte(6);
  size_t at = 8;
  uint32_t header_len = 0;
  if (major == 1) {
    if (bytes.size() < at + 2) throw npy_error(path, "truncated header");
    header_len = byte(8) | byte(9) << 8;
    at += 2;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < at + 4) throw npy_error(path, "truncated header");
    header_len = byte(8) | byte(9) << 8 | byte(10) << 16 | byte(11) << 24;
    at += 4;
  } else {
    throw npy_error(path, "unsupported version " + std::to_string(major));
  }
  if (header_len > (1u << 16)) throw npy_error(path, "header too long");  // numpy itself refuses over 10,000
  if (bytes.size() - at < header_len) throw npy_error(path, "truncated header");
  const std::string header(bytes.begin() + static_cast<long>(at), bytes.begin() + static_cast<long>(at + header_len));
  at += header_len;

  std::smatch m;
  NpyArray a;
  // Compiled once: building a std::regex costs far more than matching a header.
  static const std::regex descr(R"('descr'\s*:\s*'([<>|=])([a-z])(\d{1,2})')"), fortran(R"('fortran_order'\s*:\s*(True|False))"),
      shape(R"('shape'\s*:\s*\(([^)]*)\))"), number(R"(\d+)");
  if (!std::regex_search(header, m, descr))
    throw npy_error(path, "no descr in header");
  if (m[1] == ">") throw npy_error(path, "big-endian data is not supported");
  a.dtype = std::string(m[1] == "=" ? "<" : m[1].str()) + m[2].str() + m[3].str();
  if (!std::regex_search(header, m, fortran))
    throw npy_error(path, "no fortran_order in header");
  if (m[1] == "True") throw npy_error(path, "Fortran-ordered arrays are not supported");
  if (!std::regex_search(header, m, shape))
    throw npy_error(path, "no shape in header");
  std::string dims = m[1];
  const size_t esize = a.element_size();
  if (esize == 0 || esize > 16) throw npy_error(path, "bad element size");
  // Sizes are checked against the bytes present as they are read, so no product can overflow.
  const uint64_t have = bytes.size() - at;
  uint64_t want = esize;
  for (std::sregex_iterator it(dims.begin(), dims.end(), number), end; it != end; ++it) {
    const std::string d = it->str();
    if (d.size() > 12) throw npy_error(path, "dimension " + d + " is too large");
    a.shape.push_back(std::stoll(d));
    if (a.shape.back() != 0 && want > have / static_cast<uint64_t>(a.shape.back()) + 1)
      throw npy_error(path, "truncated data (shape needs more than the " + std::to_string(have) + " bytes present)");
    want *= static_cast<uint64_t>(a.shape.back());
  }
  if (have < want)
    throw npy_error(path, "truncated data (" + std::to_string(have) + " of " + std::to_string(want) + " bytes)");
  a.data.assign(bytes.begin() + static_cast<long>(at), bytes.begin() + static_cast<long>(at + want));
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

int64_t label_classes(const std::string& labels_npy) {
  const NpyArray lb = read_npy(labels_npy);
  if (lb.shape.size() != 2)
    throw std::runtime_error(labels_npy + ": holds a " + std::to_string(lb.shape.size()) + "-D array, not (n, n_classes) labels" +
                             (lb.shape.size() == 4 ? " (sprites: are --images and --labels swapped?)" : ""));
  return lb.shape[1];
}

std::vector<uint8_t> npy_bytes(const std::string& descr, const std::vector<int64_t>& shape, const std::vector<uint8_t>& data) {
  std::string dims;
  for (auto d : shape) dims += std::to_string(d) + ", ";
  std::string header = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': (" + dims + "), }";
  header.append(63 - (10 + header.size()) % 64, ' ');  // the data starts 64-byte aligned, as numpy writes it
  header += '\n';
  std::vector<uint8_t> out;
  out.reserve(10 + header.size() + data.size());
  for (uint8_t b : {uint8_t{0x93}, uint8_t{'N'}, uint8_t{'U'}, uint8_t{'M'}, uint8_t{'P'}, uint8_t{'Y'}, uint8_t{1}, uint8_t{0},
                    static_cast<uint8_t>(header.size() & 255), static_cast<uint8_t>(header.size() >> 8)})
    out.push_back(b);
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

}  // namespace sprites
