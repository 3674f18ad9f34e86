#include "sprite_atlas.h"

#include "png_writer.h"

#include <nlohmann/json.hpp>

namespace sprites {

std::string sprite_atlas_json(const AtlasSheet& s) {
  // Written out line by line: building it as nlohmann::json objects cost the page's download 6 kB
  // (gzip) of template code, a third of what its 2 MB budget had left. The library still quotes
  // the one free-form string, the sheet's name.
  const int side = s.size * s.scale;
  const auto name = [&](int k) { return "\"sprite_" + std::to_string(s.first_index + k) + "\""; };
  const auto rect = [](int64_t x, int64_t y, int w, int h) {
    return "{\"x\": " + std::to_string(x) + ", \"y\": " + std::to_string(y) + ", \"w\": " + std::to_string(w) + ", \"h\": " +
           std::to_string(h) + "}";
  };
  std::string out = "{\n \"frames\": {";
  for (int k = 0; k < s.count; ++k) {
    const auto [x, y] = grid_cell_origin(k, s.size, s.cols, s.scale);
    out += std::string(k ? "," : "") + "\n  " + name(k) + ": {\"frame\": " + rect(x, y, side, side) +
           ", \"rotated\": false, \"trimmed\": false, \"spriteSourceSize\": " + rect(0, 0, side, side) + ", \"sourceSize\": {\"w\": " +
           std::to_string(side) + ", \"h\": " + std::to_string(side) + "}}";
  }
  out += "\n },\n \"animations\": {\"sheet\": [";
  for (int k = 0; k < s.count; ++k) out += (k ? ", " : "") + name(k);
  const auto [width, height] = grid_size(s.count, s.size, s.cols, s.scale);
  out += "]},\n \"meta\": {\"app\": \"sprite-diffusion\", \"image\": " + nlohmann::json(s.image).dump() + ", \"format\": \"" +
         (s.transparent ? "RGBA8888" : "RGB888") + "\", \"size\": {\"w\": " + std::to_string(width) + ", \"h\": " + std::to_string(height) +
         "}, \"scale\": \"1\"}\n}\n";
  return out;
}

}  // namespace sprites
