// A plot of losses on a log scale (noise errors over timesteps span two orders of magnitude, a
// training run's loss one), with one line per series, a legend, the values under the mouse, and
// marked places (the timestep shown, the checkpoints). ImGui's own PlotLines draws a single series
// on a linear scale.
#pragma once
#include <imgui.h>

#include <string>
#include <vector>

namespace sprites {

struct PlotSeries {
  std::string label;
  std::vector<double> values;  // at xs[0..size), or the plot's xs if it has none: a series may still be filling
  ImU32 colour;
  std::vector<double> xs = {};
};

struct PlotMark {
  double x;
  std::string label;  // drawn at the top of its line; may be empty
};

// Colours that stay apart on the studio's dark background, oldest checkpoint first.
ImU32 series_colour(size_t i);

// xs: where the values of series without their own lie, increasing; they span the plot. x_name
// names the axis ("t", "step").
void loss_plot(const char* id, const std::vector<double>& xs, const std::vector<PlotSeries>& series, const std::vector<PlotMark>& marks,
               const char* x_name, ImVec2 size);

}  // namespace sprites
