#include "sprite_colours.h"

#include "checksum.h"
#include "printable.h"

#include <algorithm>
#include <array>
#include <stdexcept>
#include <string>

namespace sprites {

namespace {

using Colour = std::array<int, 3>;

// "Redmean" (a weighted RGB distance closer to perceived difference than plain RGB, at no cost), in
// integers: a float colour space such as OKLab needs cbrt, whose last bit may differ between glibc
// and the wasm libc, and a tie broken differently would change a pixel.
int64_t distance(const Colour& a, const Colour& b) {
  const int64_t rmean = (a[0] + b[0]) / 2, dr = a[0] - b[0], dg = a[1] - b[1], db = a[2] - b[2];
  return (((512 + rmean) * dr * dr) >> 8) + 4 * dg * dg + (((767 - rmean) * db * db) >> 8);
}

struct Shade {
  Colour colour;
  int64_t count;
};

// The sprite's distinct colours, ordered by value, with how many pixels have each.
std::vector<Shade> shades_of(const uint8_t* px, int pixels) {
  std::vector<uint32_t> packed(static_cast<size_t>(pixels));
  for (int i = 0; i < pixels; ++i) packed[i] = uint32_t{px[3 * i]} << 16 | uint32_t{px[3 * i + 1]} << 8 | px[3 * i + 2];
  std::sort(packed.begin(), packed.end());
  std::vector<Shade> shades;
  for (uint32_t v : packed) {
    const Colour c{static_cast<int>(v >> 16), static_cast<int>(v >> 8 & 255), static_cast<int>(v & 255)};
    if (!shades.empty() && shades.back().colour == c) ++shades.back().count;
    else shades.push_back({c, 1});
  }
  return shades;
}

size_t nearest(const std::vector<Colour>& centres, const Colour& c) {
  size_t best = 0;
  for (size_t k = 1; k < centres.size(); ++k)
    if (distance(centres[k], c) < distance(centres[best], c)) best = k;
  return best;
}

// The most common colour first, then each time the colour that most pixels are far from the chosen
// ones (count x squared distance, the deterministic form of k-means++): an outline or an eye gets its
// own colour, a stray pixel of noise does not.
std::vector<Colour> first_centres(const std::vector<Shade>& shades, int colours) {
  std::vector<Colour> centres;
  centres.push_back(std::max_element(shades.begin(), shades.end(), [](const Shade& a, const Shade& b) { return a.count < b.count; })->colour);
  std::vector<int64_t> far(shades.size());
  for (size_t i = 0; i < shades.size(); ++i) far[i] = distance(centres[0], shades[i].colour);
  while (static_cast<int>(centres.size()) < colours) {
    size_t pick = 0;
    for (size_t i = 1; i < shades.size(); ++i)
      if (shades[i].count * far[i] > shades[pick].count * far[pick]) pick = i;
    if (far[pick] == 0) break;
    centres.push_back(shades[pick].colour);
    for (size_t i = 0; i < shades.size(); ++i) far[i] = std::min(far[i], distance(centres.back(), shades[i].colour));
  }
  return centres;
}

struct Grouping {
  std::vector<size_t> group;    // of each shade
  std::vector<Colour> centres;  // each group's mean
};

// At most `colours` groups of the shades (k-means); each shade its own group if they are no more
// than that, or `colours` is 0.
Grouping group_shades(const std::vector<Shade>& shades, int colours) {
  Grouping g;
  if (colours == 0 || static_cast<int>(shades.size()) <= colours) {
    for (size_t i = 0; i < shades.size(); ++i) g.group.push_back(i), g.centres.push_back(shades[i].colour);
    return g;
  }
  std::vector<Colour>& centres = g.centres;
  std::vector<size_t>& group = g.group;
  centres = first_centres(shades, colours);
  group.assign(shades.size(), SIZE_MAX);
  for (int round = 0; round < 32; ++round) {  // Lloyd's iterations; a sprite settles in a handful
    bool moved = false;
    for (size_t i = 0; i < shades.size(); ++i) {
      const size_t k = nearest(centres, shades[i].colour);
      moved |= k != group[i];
      group[i] = k;
    }
    if (!moved) break;
    std::vector<std::array<int64_t, 4>> sum(centres.size(), {0, 0, 0, 0});
    for (size_t i = 0; i < shades.size(); ++i) {
      for (int c = 0; c < 3; ++c) sum[group[i]][c] += shades[i].colour[c] * shades[i].count;
      sum[group[i]][3] += shades[i].count;
    }
    for (size_t k = 0; k < centres.size(); ++k)
      if (sum[k][3] > 0)
        for (int c = 0; c < 3; ++c) centres[k][c] = static_cast<int>((sum[k][c] + sum[k][3] / 2) / sum[k][3]);
  }
  return g;
}

// Each group's colour: the palette's nearest its mean, or else its member colour nearest the mean
// (the more common one on a tie), so the sprite keeps colours it had rather than averages of them.
std::vector<Colour> group_paint(const std::vector<Shade>& shades, const Grouping& g, const std::vector<Colour>& palette) {
  std::vector<Colour> paint(g.centres.size());
  if (!palette.empty()) {
    for (size_t k = 0; k < paint.size(); ++k) paint[k] = palette[nearest(palette, g.centres[k])];
    return paint;
  }
  std::vector<size_t> member(g.centres.size(), SIZE_MAX);
  for (size_t i = 0; i < shades.size(); ++i) {
    size_t& m = member[g.group[i]];
    const Colour& mean = g.centres[g.group[i]];
    if (m == SIZE_MAX || distance(shades[i].colour, mean) < distance(shades[m].colour, mean) ||
        (distance(shades[i].colour, mean) == distance(shades[m].colour, mean) && shades[i].count > shades[m].count))
      m = i;
  }
  for (size_t k = 0; k < paint.size(); ++k)
    if (member[k] != SIZE_MAX) paint[k] = shades[member[k]].colour;
  return paint;
}

void limit_sprite(uint8_t* px, int pixels, int colours, const std::vector<Colour>& palette) {
  const std::vector<Shade> shades = shades_of(px, pixels);
  if (palette.empty() && static_cast<int>(shades.size()) <= colours) return;
  const Grouping g = group_shades(shades, colours);
  const std::vector<Colour> paint = group_paint(shades, g, palette);
  for (int j = 0; j < pixels; ++j) {
    const Colour c{px[3 * j], px[3 * j + 1], px[3 * j + 2]};
    const auto it = std::lower_bound(shades.begin(), shades.end(), c, [](const Shade& s, const Colour& v) { return s.colour < v; });
    const Colour& to = paint[g.group[static_cast<size_t>(it - shades.begin())]];
    for (int ch = 0; ch < 3; ++ch) px[3 * j + ch] = static_cast<uint8_t>(to[ch]);
  }
}

}  // namespace

std::string colours_refusal(int colours) {
  if (colours == 1) return "leaves one colour: a sprite needs " + std::to_string(kMinColours) + " or more (0: all)";
  if (colours < 0 || colours > kMaxColours) return "is not 0 (all) or " + std::to_string(kMinColours) + " to " + std::to_string(kMaxColours);
  return "";
}

Palette parse_palette(const std::string& text) {
  Palette palette;
  size_t at = 0;
  while (at < text.size()) {
    const size_t end = text.find_first_of(", \t\r\n", at);
    std::string entry = text.substr(at, end == std::string::npos ? std::string::npos : end - at);
    at = end == std::string::npos ? text.size() : end + 1;
    if (entry.empty()) continue;
    const std::string shown = entry.size() > 16 ? entry.substr(0, 16) + "..." : entry;
    if (entry[0] == '#') entry.erase(0, 1);
    std::array<uint8_t, 3> c{};
    bool ok = entry.size() == 6;
    for (size_t i = 0; ok && i < 6; ++i) {
      const int v = hex_value(entry[i]);
      ok = v >= 0;
      c[i / 2] = static_cast<uint8_t>(c[i / 2] * 16 + std::max(v, 0));
    }
    if (!ok) throw std::invalid_argument("'" + printable(shown) + "' is not a colour as 6 hex digits (rrggbb)");
    if (palette.size() == kMaxPaletteColours) throw std::invalid_argument("more than " + std::to_string(kMaxPaletteColours) + " colours");
    palette.push_back(c);
  }
  if (palette.empty()) throw std::invalid_argument("no colours (6 hex digits each, rrggbb)");
  return palette;
}

std::string format_palette(const Palette& palette) {
  std::string out;
  for (const auto& c : palette) out += (out.empty() ? "" : ",") + hex_bytes({c.begin(), c.end()});
  return out;
}

Palette palette_of(const std::vector<uint8_t>& rgb, int colours) {
  if (colours < kMinColours || colours > kMaxColours)
    throw std::invalid_argument("a palette of " + std::to_string(colours) + " colours: a grid's palette has " + std::to_string(kMinColours) +
                                " to " + std::to_string(kMaxColours));
  const std::vector<Shade> shades = shades_of(rgb.data(), static_cast<int>(rgb.size() / 3));
  if (shades.empty()) throw std::invalid_argument("a palette of no pixels");
  const Grouping g = group_shades(shades, colours);
  const std::vector<Colour> paint = group_paint(shades, g, {});
  std::vector<bool> used(paint.size(), false);  // k-means can leave a group empty
  for (size_t k : g.group) used[k] = true;
  Palette palette;
  for (size_t k = 0; k < paint.size(); ++k)
    if (used[k]) palette.push_back({static_cast<uint8_t>(paint[k][0]), static_cast<uint8_t>(paint[k][1]), static_cast<uint8_t>(paint[k][2])});
  return palette;
}

std::vector<uint8_t> limit_colours(const std::vector<uint8_t>& rgb, int size, int colours, const Palette& palette) {
  if (const std::string why = colours_refusal(colours); !why.empty()) throw std::invalid_argument("colours: " + std::to_string(colours) + " " + why);
  const size_t sprite_bytes = static_cast<size_t>(size) * size * 3;
  if (size <= 0 || rgb.size() % sprite_bytes != 0) throw std::invalid_argument("colours: the pixels are not whole sprites");
  std::vector<uint8_t> out = rgb;
  if (colours == 0 && palette.empty()) return out;
  std::vector<Colour> to;
  for (const auto& c : palette) to.push_back({c[0], c[1], c[2]});
  for (size_t at = 0; at < out.size(); at += sprite_bytes) limit_sprite(out.data() + at, size * size, colours, to);
  return out;
}

}  // namespace sprites
