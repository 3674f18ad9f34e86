#include "sprite_background.h"

#include <algorithm>
#include <array>
#include <cstdlib>

namespace sprites {

namespace {

using Rgb = std::array<int, 3>;

Rgb pixel(const uint8_t* rgb, int i) { return {rgb[i * 3], rgb[i * 3 + 1], rgb[i * 3 + 2]}; }

bool near(const Rgb& a, const Rgb& b, int tolerance) {
  for (int c = 0; c < 3; ++c)
    if (std::abs(a[c] - b[c]) > tolerance) return false;
  return true;
}

std::vector<int> border(int size) {
  std::vector<int> b;
  for (int y = 0; y < size; ++y)
    for (int x = 0; x < size; ++x)
      if (y == 0 || x == 0 || y == size - 1 || x == size - 1) b.push_back(y * size + x);
  return b;
}

}  // namespace

std::vector<uint8_t> background_alpha(const uint8_t* rgb, int size, int tolerance) {
  std::vector<uint8_t> alpha(static_cast<size_t>(size) * size, 255);
  const std::vector<int> edge = border(size);
  if (edge.empty()) return alpha;
  Rgb background;
  for (int c = 0; c < 3; ++c) {
    std::vector<int> v;
    for (int i : edge) v.push_back(rgb[i * 3 + c]);
    std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
    background[c] = v[v.size() / 2];
  }
  std::vector<int> stack;
  for (int i : edge)
    if (near(pixel(rgb, i), background, tolerance)) stack.push_back(i);
  if (stack.size() * 2 < edge.size()) return alpha;  // no colour holds most of the border
  for (int i : stack) alpha[i] = 0;
  while (!stack.empty()) {
    const int i = stack.back(), x = i % size, y = i / size;
    stack.pop_back();
    for (const auto [dx, dy] : {std::pair{1, 0}, {-1, 0}, {0, 1}, {0, -1}}) {
      const int nx = x + dx, ny = y + dy, n = ny * size + nx;
      if (nx < 0 || ny < 0 || nx >= size || ny >= size || alpha[n] == 0 || !near(pixel(rgb, n), background, tolerance)) continue;
      alpha[n] = 0;
      stack.push_back(n);
    }
  }
  return alpha;
}

std::vector<uint8_t> with_transparent_background(const std::vector<uint8_t>& rgb, int count, int size, int tolerance) {
  const size_t area = static_cast<size_t>(size) * size;
  std::vector<uint8_t> rgba(static_cast<size_t>(count) * area * 4);
  for (int k = 0; k < count; ++k) {
    const uint8_t* sprite = rgb.data() + k * area * 3;
    const auto alpha = background_alpha(sprite, size, tolerance);
    for (size_t i = 0; i < area; ++i) {
      std::copy_n(sprite + i * 3, 3, rgba.begin() + static_cast<std::ptrdiff_t>((k * area + i) * 4));
      rgba[(k * area + i) * 4 + 3] = alpha[i];
    }
  }
  return rgba;
}

Image sprite_sheet(const std::vector<uint8_t>& rgb, int count, int size, int cols, int scale, bool transparent) {
  if (!transparent) return grid_image(rgb, count, size, cols, scale);
  return grid_image(with_transparent_background(rgb, count, size), count, size, cols, scale, 4);
}

}  // namespace sprites
