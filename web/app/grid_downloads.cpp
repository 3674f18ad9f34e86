#include "grid_downloads.h"

#include "browser.h"
#include "png_writer.h"
#include "share_link.h"
#include "sprite_atlas.h"
#include "sprite_background.h"
#include "studio.h"

#include <string>

namespace sprites {
namespace {

constexpr int kSheetScale = 8;

std::string sheet_name(const Studio& s, const char* extension) { return "sprites-" + std::to_string(s.gen->params().seed) + extension; }

}  // namespace

void download_grid(const Studio& s) {
  const SampleParams& p = s.gen->params();
  const auto png = encode_png(sprite_sheet(grid_pixels(s), p.count, 16, grid_columns(p.count), kSheetScale, s.transparent),
                              {{"Software", "Sprite Diffusion Studio"}, {"Parameters", encode_share_link(s.state)}});
  browser::download(sheet_name(s, ".png"), png, "image/png");
}

void download_atlas(const Studio& s) {
  const SampleParams& p = s.gen->params();
  const std::string json =
      sprite_atlas_json({sheet_name(s, ".png"), p.count, 16, grid_columns(p.count), kSheetScale, s.transparent, p.first_index});
  browser::download(sheet_name(s, ".json"), std::vector<uint8_t>(json.begin(), json.end()), "application/json");
}

void download_sprite(const Studio& s) {
  const std::string params = encode_share_link(s.state) + " sprite=" + std::to_string(s.selected);
  const auto png = encode_png(sprite_sheet(sprite_of(grid_pixels(s), s.selected), 1, 16, 1, kSheetScale, s.transparent),
                              {{"Software", "Sprite Diffusion Studio"}, {"Parameters", params}});
  browser::download("sprite-" + std::to_string(s.gen->params().seed) + "-" + std::to_string(s.selected) + ".png", png, "image/png");
}

}  // namespace sprites
