// "Keep" and the Kept panel: the sprites a user keeps from any grid (kept_sprites.h), shown together,
// each one's grid opened again with a click and "Open", saved as one sheet (with its atlas) for a
// game. The list lives in the browser's storage, so it survives a reload, and every change starts
// from what the storage holds, so two tabs of the page keep each other's sprites; a saved sheet
// dropped on the page adds its sprites back.
#pragma once
#include "kept_sprites.h"
#include "sprite_texture.h"

#include <string>

namespace sprites {

struct Studio;

struct KeptPanel {
  KeptSprites sprites;
  SpriteTexture tex;    // all of them, 8 a row
  int uploaded = -1;    // the version tex shows
  int version = 0;      // bumped by every change
  int selected = -1;    // the sprite Open and Remove act on
  bool stored = true;   // the browser keeps the list (false once it refused: the list lives in this page alone)
  bool confirm_clear = false;
  bool open_once = false;  // opens the panel once
  bool reveal = false;     // and scrolls the controls to it (a sprite kept from beside the grid)
  std::string message;  // what the last change did, or why the browser did not keep it
  bool message_is_error = false;
};

// Reads the list the browser kept from an earlier visit.
void kept_load(Studio& s);
// "Keep sprite N": the selected sprite of the finished grid as shown, with its link.
void keep_button(Studio& s);
void kept_panel(Studio& s);
// A sheet "Download sheet" saved, opened or dropped on the page: its sprites join the list.
// False when the file's text holds no kept sprites.
bool kept_open_sheet(Studio& s, const std::string& name, const std::string& kept_text);

}  // namespace sprites
