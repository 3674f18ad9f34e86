// Pixel art's few colours for generated sprites. A sampled sprite has one colour for nearly every
// pixel (a white background of 250-255, a blade in twenty greys), which is not how sprites for a
// game are drawn; this groups each sprite's colours into at most N (k-means) and paints every group
// with one of the sprite's own colours. Each sprite is treated alone, so sprite k of a grid comes out
// the same when drawn by itself (`--first-index k --count 1`). A palette (a game's own colours,
// as lospec.com lists them) paints each group in the palette's colour nearest it instead. Integer
// arithmetic throughout, so the page (wasm) and the CLI give the same bytes.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace sprites {

constexpr int kMinColours = 2, kMaxColours = 32;
constexpr int kGridPaletteColours = 16;  // a grid's palette when no --colours says how many
constexpr size_t kMaxPaletteColours = 64;

using Palette = std::vector<std::array<uint8_t, 3>>;

// Why `colours` is not a limit ("leaves one colour: ..."), or "" if it is one: the CLI, links and
// limit_colours say it the same way.
std::string colours_refusal(int colours);

// Hex colours ("1a1c2c", "#1a1c2c") separated by commas, spaces or line breaks: a Lospec .hex
// file, or a list. Throws std::invalid_argument naming the first bad entry (the caller says where
// the palette came from); 1..kMaxPaletteColours.
Palette parse_palette(const std::string& text);
// "1a1c2c,5d275d,...": what a link and a PNG's parameters carry.
std::string format_palette(const Palette& palette);

// One palette for a whole grid (`rgb`: RGB8 pixels of any number of sprites): its colours grouped
// as one sprite's are, at most `colours` (kMinColours..kMaxColours), each one the grid's own. Painted
// with it, every sprite of a sheet shares the same few colours, and a link carries them.
Palette palette_of(const std::vector<uint8_t>& rgb, int colours);

// `rgb`: sprites of size x size RGB8 back to back. `colours` 0 keeps every colour; otherwise
// kMinColours..kMaxColours groups (std::invalid_argument if not). Without a palette each group is
// painted in one of the sprite's own colours, and a sprite with no more colours than asked comes
// back unchanged; with one, each group (each colour, for 0) in the palette's colour nearest it.
std::vector<uint8_t> limit_colours(const std::vector<uint8_t>& rgb, int size, int colours, const Palette& palette = {});

}  // namespace sprites
