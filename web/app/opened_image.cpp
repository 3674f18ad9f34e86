#include "opened_image.h"

#include "kept_panel.h"
#include "png_text.h"
#include "share_link.h"
#include "sprite_png.h"
#include "studio.h"
#include "variations.h"

#include <stdexcept>

namespace sprites {

namespace {

bool one_sprite(const uint8_t* rgba, int width, int height) {
  try {
    sprite_from_rgba(rgba, width, height, 16, "");
    return true;
  } catch (const std::runtime_error&) {
    return false;
  }
}

}  // namespace

void open_image(Studio& s, const std::string& name, const std::vector<uint8_t>& head, const uint8_t* rgba, int width, int height) {
  for (const auto& [key, text] : png_text(head))
    if (key == kKeptTextKey && kept_open_sheet(s, name, text)) return;
  const std::string link = png_share_link(head);
  // A sprite the studio saved holds a link too (sel= names it): opened, it is a sprite to vary.
  if (link.empty() || !rgba || one_sprite(rgba, width, height)) return variations_open_image(s, name, rgba, width, height);
  try {
    parse_share_link(link, 0);  // the context's length is checked once the link's weights are in
  } catch (const std::invalid_argument& e) {
    s.variations.error = name + ": its link could not be read (" + e.what() + ")";  // what is on screen stays
    return;
  }
  s.variations.error.clear();
  studio_open_link(s, link);
}

}  // namespace sprites
