#include "soft_keyboard.h"

#include <SDL.h>
#include <emscripten.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>

namespace sprites {

void soft_keyboard_frame(const std::vector<TextField>& fields, bool text_wanted) {
  static std::vector<TextField> sent;
  if (fields != sent) {
    std::string list = "[";
    char rect[96];
    for (const TextField& f : fields) {
      const auto& r = f.rect;
      std::snprintf(rect, sizeof rect, "%s[%.1f,%.1f,%.1f,%.1f,%d]", list.size() > 1 ? "," : "", r[0], r[1], r[2], r[3], f.number ? 1 : 0);
      list += rect;
    }
    list += "]";
    EM_ASM({ if (window.spritesSoftKeyboard) spritesSoftKeyboard.setFields(JSON.parse(UTF8ToString($0))); }, list.c_str());
    sent = fields;
  }
  EM_ASM({ if (window.spritesSoftKeyboard) spritesSoftKeyboard.frame(!!$0); }, text_wanted);
}

}  // namespace sprites

namespace {

void push_key(SDL_Scancode code, SDL_Keycode sym, bool down) {
  SDL_Event e{};
  e.type = down ? SDL_KEYDOWN : SDL_KEYUP;
  e.key.state = down ? SDL_PRESSED : SDL_RELEASED;
  e.key.keysym.scancode = code;
  e.key.keysym.sym = sym;
  e.key.keysym.mod = static_cast<Uint16>(SDL_GetModState());
  SDL_PushEvent(&e);
}

void tap_key(SDL_Scancode code, SDL_Keycode sym) {
  push_key(code, sym, true);
  push_key(code, sym, false);
}

}  // namespace

// The keyboard's edit of the field: `backspaces` characters taken back, then `text` typed, then
// Enter if `enter`. They go through SDL's queue as a hardware keyboard's keys would, so the input
// trickle gives each key its frame.
extern "C" EMSCRIPTEN_KEEPALIVE void sprites_soft_input(int backspaces, const char* text, int enter) {
  for (int i = 0; i < std::clamp(backspaces, 0, 256); ++i) tap_key(SDL_SCANCODE_BACKSPACE, SDLK_BACKSPACE);
  // An SDL text event holds 31 bytes: longer text is cut between UTF-8 characters.
  const std::size_t n = text ? std::strlen(text) : 0;
  SDL_Event e{};
  e.type = SDL_TEXTINPUT;
  const std::size_t room = sizeof e.text.text - 1;
  for (std::size_t at = 0; at < n;) {
    std::size_t end = std::min(n, at + room);
    while (end < n && end > at && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
    std::memset(e.text.text, 0, sizeof e.text.text);
    std::memcpy(e.text.text, text + at, end - at);
    SDL_PushEvent(&e);
    at = end;
  }
  if (enter) tap_key(SDL_SCANCODE_RETURN, SDLK_RETURN);
}
