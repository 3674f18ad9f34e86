#include "kept_sprites.h"

#include "checksum.h"
#include "share_link.h"
#include "split_list.h"

#include <algorithm>
#include <stdexcept>

namespace sprites {

namespace {

bool same(const KeptSprite& a, const KeptSprite& b) { return a.link == b.link && a.rgb == b.rgb; }

// One stored line as a kept sprite; false if it is not one.
bool parse_line(const std::string& line, KeptSprite& out) {
  const size_t hex = 2 * kKeptSpriteBytes;
  if (line.size() < hex + 2 || line[hex] != ' ') return false;
  out.rgb.resize(kKeptSpriteBytes);
  for (size_t i = 0; i < kKeptSpriteBytes; ++i) {
    const int hi = hex_value(line[2 * i]), lo = hex_value(line[2 * i + 1]);
    if (hi < 0 || lo < 0) return false;
    out.rgb[i] = static_cast<uint8_t>(hi * 16 + lo);
  }
  out.link = line.substr(hex + 1);
  try {
    parse_share_link(out.link, 0);  // the context's length is checked when the link is opened
  } catch (const std::invalid_argument&) {
    return false;
  }
  return true;
}

}  // namespace

bool KeptSprites::add(KeptSprite k) {
  if (k.rgb.size() != kKeptSpriteBytes) throw std::invalid_argument("a kept sprite is 16x16 RGB");
  if (full() || std::any_of(sprites_.begin(), sprites_.end(), [&](const KeptSprite& o) { return same(o, k); })) return false;
  sprites_.push_back(std::move(k));
  return true;
}

void KeptSprites::remove(size_t i) {
  if (i < sprites_.size()) sprites_.erase(sprites_.begin() + static_cast<std::ptrdiff_t>(i));
}

int KeptSprites::index_of(const std::string& link) const {
  for (size_t i = 0; i < sprites_.size(); ++i)
    if (sprites_[i].link == link) return static_cast<int>(i);
  return -1;
}

std::vector<uint8_t> KeptSprites::pixels() const {
  std::vector<uint8_t> all;
  all.reserve(sprites_.size() * kKeptSpriteBytes);
  for (const KeptSprite& k : sprites_) all.insert(all.end(), k.rgb.begin(), k.rgb.end());
  return all;
}

std::string KeptSprites::serialize() const {
  std::string text;
  for (const KeptSprite& k : sprites_) text += hex_bytes(k.rgb) + " " + k.link + "\n";
  return text;
}

KeptSprites KeptSprites::parse(const std::string& text, size_t& skipped) {
  KeptSprites kept;
  skipped = 0;
  for (const std::string& line : split_list(text, '\n')) {
    if (line.empty()) continue;
    KeptSprite k;
    if (!parse_line(line, k) || !kept.add(std::move(k))) ++skipped;
  }
  return kept;
}

}  // namespace sprites
