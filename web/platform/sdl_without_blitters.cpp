// SDL's surface conversion, left out of the page. The page draws through WebGL and never converts
// an SDL surface, but SDL's emscripten driver reaches SDL_ConvertSurface (a cursor made from
// pixels) and, through it, every software blitter SDL has: 220 kB of wasm, 32 kB gzip, which the
// page's first load (2 MB budget) would fetch and compile for nothing. Linked with
// --wrap=SDL_ConvertSurface, every call lands here and the blitters drop out of the link; a call
// gets SDL's usual failure (NULL, SDL_GetError() says why) instead of pixels.
#include <SDL.h>

extern "C" SDL_Surface* __wrap_SDL_ConvertSurface(SDL_Surface*, const SDL_PixelFormat*, Uint32) {
  SDL_SetError("surface conversion is left out of this page's SDL (web/platform/sdl_without_blitters.cpp)");
  return nullptr;
}
