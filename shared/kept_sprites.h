// The sprites a user kept from the grids they drew ("Keep"), for a game's sheet: each one's pixels
// as the grid showed them and the link that draws that grid with it selected (sel=), so any kept
// sprite opens again where it came from. The page keeps the list in the browser (localStorage) and
// saves it as one sheet whose PNG text holds the list, so the sheet dropped on a page brings it back
// (and `sprites sample --link` on it names its sprites' links).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace sprites {

struct KeptSprite {
  std::vector<uint8_t> rgb;  // 16x16 RGB, kKeptSpriteBytes
  std::string link;          // a share link (without '#') whose sel= is this sprite
};

constexpr size_t kKeptSpriteBytes = 16 * 16 * 3;
// The PNG text keyword a kept sheet holds its list under (serialize's text). No one link draws that
// sheet, so it has no "Parameters".
constexpr const char* kKeptTextKey = "Kept";

// A sheet of 64 fits a game's tile set and the browser's storage (about 110 kB as text).
constexpr size_t kMaxKeptSprites = 64;

class KeptSprites {
 public:
  // False (and nothing kept) when the same sprite of the same link is kept already, or the list is full.
  bool add(KeptSprite k);
  void remove(size_t i);
  void clear() { sprites_.clear(); }
  bool full() const { return sprites_.size() >= kMaxKeptSprites; }
  bool contains(const std::string& link) const { return index_of(link) >= 0; }
  int index_of(const std::string& link) const;  // of the sprite kept with this link, -1 if none
  const std::vector<KeptSprite>& sprites() const { return sprites_; }
  // All pixels in order, count x 16x16 RGB: the sheet's and the panel's.
  std::vector<uint8_t> pixels() const;

  // A line a sprite, "<its 1,536 hex digits> <its link>": what the browser stores and the sheet's text holds.
  std::string serialize() const;
  // The sprites of such text, in order, up to kMaxKeptSprites. Lines that are not a kept sprite
  // (damaged, cut short, a link that does not parse) are skipped and counted in `skipped`.
  static KeptSprites parse(const std::string& text, size_t& skipped);

 private:
  std::vector<KeptSprite> sprites_;
};

}  // namespace sprites
