// How big and how transparent the page's sprite downloads are ("Download grid", "Download sprite",
// the atlas, the kept sheet): the user's choice, kept in the browser (localStorage) across visits,
// since a game developer sets it once for a project. 1x is the sprite's own 16x16 pixels, what a game
// engine that scales with nearest-neighbour filtering wants; the lab views' pictures stay 8x.
#pragma once
#include <array>
#include <optional>
#include <string>

namespace sprites {

struct DownloadSettings {
  int scale = 8;             // screen pixels per sprite pixel, one of kDownloadScales
  bool transparent = false;  // the background around each sprite cleared (sprite_background.h)
  bool operator==(const DownloadSettings& o) const { return scale == o.scale && transparent == o.transparent; }
};

constexpr std::array<int, 4> kDownloadScales = {1, 2, 4, 8};

// "scale=8 transparent=0": what the browser stores.
std::string format_download_settings(const DownloadSettings& d);
// The settings of such text; nullopt for anything else (a damaged or foreign value). Empty text
// (nothing stored yet) gives the defaults.
std::optional<DownloadSettings> parse_download_settings(const std::string& text);

}  // namespace sprites
