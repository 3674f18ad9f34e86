#include "loss_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace sprites {

namespace {

// Values below this are drawn at it: a zero-terminal-SNR model's x_T is the noise itself, an error of exactly 0.
constexpr double kFloor = 1e-4;

float log_of(double v) { return static_cast<float>(std::log10(std::max(v, kFloor))); }

}  // namespace

ImU32 series_colour(size_t i) {
  static const ImU32 colours[] = {IM_COL32(230, 120, 90, 255), IM_COL32(230, 200, 80, 255), IM_COL32(120, 200, 120, 255),
                                  IM_COL32(110, 170, 240, 255), IM_COL32(200, 140, 230, 255)};
  return colours[i % (sizeof colours / sizeof colours[0])];
}

void loss_plot(const char* id, const std::vector<int>& ts, const std::vector<PlotSeries>& series, int marked_t, ImVec2 size) {
  float lo = 1e9f, hi = -1e9f;
  for (const PlotSeries& s : series)
    for (double v : s.values) lo = std::min(lo, log_of(v)), hi = std::max(hi, log_of(v));
  if (ts.size() < 2 || lo > hi) return;
  lo = std::floor(lo), hi = std::ceil(hi + 1e-3f);  // whole decades, labelled
  ImGui::InvisibleButton(id, size);
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(a, b, ImGui::GetColorU32(ImGuiCol_FrameBg));
  const auto x_of = [&](int t) { return a.x + (b.x - a.x) * static_cast<float>(t - ts.front()) / static_cast<float>(ts.back() - ts.front()); };
  const auto y_of = [&](double v) { return b.y - (b.y - a.y) * (log_of(v) - lo) / (hi - lo); };
  const ImU32 faint = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  for (float d = lo; d <= hi; d += 1) {
    const float y = b.y - (b.y - a.y) * (d - lo) / (hi - lo);
    draw->AddLine(ImVec2(a.x, y), ImVec2(b.x, y), ImGui::GetColorU32(ImGuiCol_Border));
    char label[16];
    std::snprintf(label, sizeof label, "%g", std::pow(10.0, static_cast<double>(d)));
    draw->AddText(ImVec2(a.x + 2, std::min(y, b.y - ImGui::GetTextLineHeight())), faint, label);
  }
  if (marked_t >= ts.front() && marked_t <= ts.back())
    draw->AddLine(ImVec2(x_of(marked_t), a.y), ImVec2(x_of(marked_t), b.y), ImGui::GetColorU32(ImGuiCol_PlotLinesHovered));
  for (const PlotSeries& s : series) {
    std::vector<ImVec2> points;
    for (size_t i = 0; i < s.values.size() && i < ts.size(); ++i) points.emplace_back(x_of(ts[i]), y_of(s.values[i]));
    if (points.size() > 1) draw->AddPolyline(points.data(), static_cast<int>(points.size()), s.colour, ImDrawFlags_None, 2.0f);
  }
  char range[48];
  std::snprintf(range, sizeof range, "t = %d .. %d", ts.front(), ts.back());
  draw->AddText(ImVec2(b.x - ImGui::CalcTextSize(range).x - 4, b.y - ImGui::GetTextLineHeight()), faint, range);
  if (ImGui::IsItemHovered()) {
    const float u = (ImGui::GetIO().MousePos.x - a.x) / std::max(b.x - a.x, 1.0f);
    const size_t i = static_cast<size_t>(std::lround(std::clamp(u, 0.0f, 1.0f) * static_cast<float>(ts.size() - 1)));
    ImGui::BeginTooltip();
    ImGui::Text("t = %d", ts[i]);
    for (const PlotSeries& s : series)
      if (i < s.values.size()) ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(s.colour), "%s: %.4f", s.label.c_str(), s.values[i]);
    ImGui::EndTooltip();
  }
  // The legend, under the plot.
  for (size_t k = 0; k < series.size(); ++k) {
    if (k > 0) ImGui::SameLine();
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(series[k].colour), "%s", series[k].label.c_str());
  }
}

}  // namespace sprites
