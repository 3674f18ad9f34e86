// The studio's Grid view: the grid at a whole-number zoom, a click selects a sprite, and on a
// desktop the selected sprite enlarged beside it.
#pragma once
#include <imgui.h>

namespace sprites {

struct Studio;

void grid_view(Studio& s);
// A phone's views (above the controls): as high as the tab bar and the grid at the zoom its width
// allows, at most 60% of `avail`.
float stacked_views_height(const Studio& s, ImVec2 avail);
// The sprite under the mouse in a grid texture drawn at `origin` and `zoom` (17 pixels a sprite and
// its gutter, `cols` a row, `count` sprites), or -1.
int grid_cell_at_mouse(ImVec2 origin, float zoom, int cols, int count);

}  // namespace sprites
