#include "sprite_folder.h"

#include "file_bytes.h"
#include "printable.h"
#include "string_match.h"
#include "unet_layout.h"

#define STB_IMAGE_STATIC
#define STB_IMAGE_IMPLEMENTATION
#define STBI_ONLY_PNG
#include <stb/stb_image.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <memory>
#include <stdexcept>

namespace fs = std::filesystem;

namespace sprites {

namespace {

std::vector<fs::path> sorted_entries(const fs::path& dir, bool folders) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().filename().string().rfind('.', 0) == 0) continue;  // hidden: .git, .DS_Store
    if (folders ? e.is_directory() : e.is_regular_file()) out.push_back(e.path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// One sprite as size x size RGB: transparent pixels over white, a k-times larger square averaged
// down (pixel art drawn at k x repeats each pixel k x k times, so the average is that pixel).
std::vector<uint8_t> read_sprite(const fs::path& file, const std::string& shown, int size) {
  const std::vector<uint8_t> bytes = read_file_bytes(file.string());
  int w = 0, h = 0, n = 0;
  std::unique_ptr<stbi_uc, void (*)(void*)> px(
      stbi_load_from_memory(bytes.data(), static_cast<int>(bytes.size()), &w, &h, &n, 4), stbi_image_free);
  if (!px) throw std::runtime_error(shown + ": not a PNG image this reads (" + printable(stbi_failure_reason()) + ")");
  if (w != h || w % size != 0)
    throw std::runtime_error(shown + ": " + std::to_string(w) + "x" + std::to_string(h) + " pixels; sprites are " + std::to_string(size) +
                             "x" + std::to_string(size) + " or a square multiple (" + std::to_string(2 * size) + "x" + std::to_string(2 * size) + ", ...)");
  const int k = w / size;
  std::vector<uint8_t> rgb(static_cast<size_t>(size) * size * 3);
  for (int y = 0; y < size; ++y)
    for (int x = 0; x < size; ++x)
      for (int c = 0; c < 3; ++c) {
        double sum = 0;
        for (int dy = 0; dy < k; ++dy)
          for (int dx = 0; dx < k; ++dx) {
            const stbi_uc* p = px.get() + ((static_cast<size_t>(y) * k + dy) * w + static_cast<size_t>(x) * k + dx) * 4;
            sum += (p[c] * p[3] + 255.0 * (255 - p[3])) / 255.0;
          }
        rgb[(static_cast<size_t>(y) * size + x) * 3 + c] = static_cast<uint8_t>(std::lround(sum / (k * k)));
      }
  return rgb;
}

}  // namespace

SpriteFolder read_sprite_folder(const std::string& dir, int size) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) throw std::runtime_error(dir + ": not a folder");
  SpriteFolder out;
  out.size = size;
  const auto class_dirs = sorted_entries(dir, true);
  if (class_dirs.empty()) throw std::runtime_error(dir + ": no class folders in it (" + dir + "/<class>/*.png)");
  if (static_cast<int>(class_dirs.size()) > kMaxClasses)
    throw std::runtime_error(dir + ": " + std::to_string(class_dirs.size()) + " class folders; a model takes at most " + std::to_string(kMaxClasses));
  for (const auto& cd : class_dirs) {
    const std::string name = cd.filename().string();
    if (name.find(',') != std::string::npos)
      throw std::runtime_error(cd.string() + ": a class name cannot hold a comma (the weights list the labels with commas)");
    out.classes.push_back(name);
    int64_t count = 0;
    for (const auto& f : sorted_entries(cd, false)) {
      if (!has_extension(f.string(), ".png")) {
        ++out.skipped;
        continue;
      }
      const auto rgb = read_sprite(f, (fs::path(name) / f.filename()).string(), size);
      out.images.insert(out.images.end(), rgb.begin(), rgb.end());
      ++count;
    }
    if (count == 0) throw std::runtime_error(cd.string() + ": no .png sprites in this class folder");
    out.per_class.push_back(count);
    out.n += count;
  }
  out.labels.assign(static_cast<size_t>(out.n) * out.classes.size(), 0.0);
  int64_t i = 0;
  for (size_t c = 0; c < out.per_class.size(); ++c)
    for (int64_t k = 0; k < out.per_class[c]; ++k, ++i) out.labels[static_cast<size_t>(i) * out.classes.size() + c] = 1.0;
  return out;
}

}  // namespace sprites
