// Functions the page's JavaScript (and the browser tests) call: a JSON snapshot of the app state.
#pragma once
#include "studio.h"

namespace sprites {
void page_api_attach(Studio* studio, const char* gl_version);
}

extern "C" const char* sprites_status_json();
// The last finished grid's pixels, RGB8 NHWC, as hex (tests compare them with the native CLI).
extern "C" const char* sprites_pixels_hex();
// Starts a generation with the current settings, as the Generate button does.
extern "C" void sprites_generate();
