#include "sprite_folder.h"

#include "file_bytes.h"
#include "label_names.h"
#include "sprite_png.h"
#include "string_match.h"
#include "unet_layout.h"

#include <algorithm>
#include <filesystem>
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
    if (const std::string problem = new_label_names_problem({name}); !problem.empty()) throw std::runtime_error(cd.string() + ": class name " + problem);
    out.classes.push_back(name);
    int64_t count = 0;
    for (const auto& f : sorted_entries(cd, false)) {
      if (!has_extension(f.string(), ".png")) {
        ++out.skipped;
        continue;
      }
      const auto rgb = decode_sprite_png(read_file_bytes(f.string()), size, (fs::path(name) / f.filename()).string());
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
