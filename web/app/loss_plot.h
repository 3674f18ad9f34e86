// A plot of noise errors over timesteps, on a log scale (they span two orders of magnitude), with
// one line per series, a legend, the values under the mouse, and one timestep marked. ImGui's own
// PlotLines draws a single series on a linear scale.
#pragma once
#include <imgui.h>

#include <string>
#include <vector>

namespace sprites {

struct PlotSeries {
  std::string label;
  std::vector<double> values;  // at ts[0..size): a series may still be filling
  ImU32 colour;
};

// Colours that stay apart on the studio's dark background, oldest checkpoint first.
ImU32 series_colour(size_t i);

void loss_plot(const char* id, const std::vector<int>& ts, const std::vector<PlotSeries>& series, int marked_t, ImVec2 size);

}  // namespace sprites
