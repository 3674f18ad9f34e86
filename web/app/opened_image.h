// An image the user opened (the picker, a drop on the page). A sprite starts variations of it
// (variations.h); a sheet the studio saved (a grid, a lab view's comparison, the denoising
// animation) opens the link in its text, so its settings, weights and view come back and draw it
// again; a sheet of kept sprites adds them to the Kept panel (kept_panel.h). The browser decodes the pixels; the text is read from the file's first bytes (png_text.h).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace sprites {

struct Studio;

// rgba: width x height, null if the browser could not decode it; head: the file's first bytes.
void open_image(Studio& s, const std::string& name, const std::vector<uint8_t>& head, const uint8_t* rgba, int width, int height);

}  // namespace sprites
