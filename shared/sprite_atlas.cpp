#include "sprite_atlas.h"

#include "png_writer.h"

#include <nlohmann/json.hpp>

namespace sprites {

std::string sprite_atlas_json(const AtlasSheet& s) {
  using json = nlohmann::ordered_json;  // frames in sheet order, as an animation lists them
  const int side = s.size * s.scale;
  const json rect_size = {{"w", side}, {"h", side}};
  json frames = json::object();
  for (int k = 0; k < s.count; ++k) {
    const auto [x, y] = grid_cell_origin(k, s.size, s.cols, s.scale);
    frames["sprite_" + std::to_string(s.first_index + k)] = {
        {"frame", {{"x", x}, {"y", y}, {"w", side}, {"h", side}}},
        {"rotated", false},
        {"trimmed", false},
        {"spriteSourceSize", {{"x", 0}, {"y", 0}, {"w", side}, {"h", side}}},
        {"sourceSize", rect_size},
    };
  }
  const auto [width, height] = grid_size(s.count, s.size, s.cols, s.scale);
  const json meta = {{"app", "sprite-diffusion"},
                     {"image", s.image},
                     {"format", s.transparent ? "RGBA8888" : "RGB888"},
                     {"size", {{"w", width}, {"h", height}}},
                     {"scale", "1"}};
  return json{{"frames", frames}, {"meta", meta}}.dump(1) + "\n";
}

}  // namespace sprites
