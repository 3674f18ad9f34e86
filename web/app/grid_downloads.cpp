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

std::string sheet_name(const Studio& s, const char* extension) { return "sprites-" + std::to_string(s.gen->params().seed) + extension; }

}  // namespace

std::vector<std::pair<std::string, std::string>> download_text(const std::string& parameters, const std::string& description) {
  std::vector<std::pair<std::string, std::string>> text = {{"Software", "Sprite Diffusion Studio"}};
  if (!parameters.empty()) text.emplace_back("Parameters", parameters);
  if (!description.empty()) text.emplace_back("Description", description);
  return text;
}

void download_grid(const Studio& s) {
  const SampleParams& p = s.gen->params();
  const auto png = encode_png(sprite_sheet(grid_pixels(s), p.count, 16, grid_columns(p.count), kDownloadScale, s.transparent),
                              download_text(shareable_link(s, grid_state(s))));
  browser::download(sheet_name(s, ".png"), png, "image/png");
}

void download_atlas(const Studio& s) {
  const SampleParams& p = s.gen->params();
  const std::string json =
      sprite_atlas_json({sheet_name(s, ".png"), p.count, 16, grid_columns(p.count), kDownloadScale, s.transparent, p.first_index});
  browser::download(sheet_name(s, ".json"), std::vector<uint8_t>(json.begin(), json.end()), "application/json");
}

void download_sprite(const Studio& s) {
  // The link's sel= names the sprite, so the CLI's --link reads it as it is.
  const auto png = encode_png(sprite_sheet(sprite_of(grid_pixels(s), s.state.selected), 1, 16, 1, kDownloadScale, s.transparent),
                              download_text(shareable_link(s, grid_state(s))));
  browser::download("sprite-" + std::to_string(s.gen->params().seed) + "-" + std::to_string(s.state.selected) + ".png", png, "image/png");
}

}  // namespace sprites
