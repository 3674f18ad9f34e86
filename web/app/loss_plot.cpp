#include "loss_plot.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace sprites {

namespace {

// Values below this are drawn at it: a zero-terminal-SNR model's x_T is the noise itself, an error of exactly 0.
constexpr double kFloor = 1e-4;

float log_of(double v) { return static_cast<float>(std::log10(std::max(v, kFloor))); }

// The plot's range in log10, at 1, 2 or 5 times a power of ten around [lo, hi], so a curve that
// spans less than a decade (a training run's loss after its first steps) still fills the plot.
float nice_below(float lo) {
  const float k = std::floor(lo), m = lo - k;
  return k + (m >= std::log10(5.0f) ? std::log10(5.0f) : m >= std::log10(2.0f) ? std::log10(2.0f) : 0.0f);
}
float nice_above(float hi) {
  const float k = std::floor(hi), m = hi - k;
  return k + (m <= 0 ? 0.0f : m <= std::log10(2.0f) ? std::log10(2.0f) : m <= std::log10(5.0f) ? std::log10(5.0f) : 1.0f);
}

}  // namespace

ImU32 series_colour(size_t i) {
  static const ImU32 colours[] = {IM_COL32(230, 120, 90, 255), IM_COL32(230, 200, 80, 255), IM_COL32(120, 200, 120, 255),
                                  IM_COL32(110, 170, 240, 255), IM_COL32(200, 140, 230, 255)};
  return colours[i % (sizeof colours / sizeof colours[0])];
}

void loss_plot(const char* id, const std::vector<double>& xs, const std::vector<PlotSeries>& series, const std::vector<PlotMark>& marks,
               const char* x_name, ImVec2 size) {
  float lo = 1e9f, hi = -1e9f;
  for (const PlotSeries& s : series)
    for (double v : s.values) lo = std::min(lo, log_of(v)), hi = std::max(hi, log_of(v));
  if (xs.size() < 2 || xs.back() <= xs.front() || lo > hi) return;
  lo = nice_below(lo), hi = nice_above(hi + 1e-3f);
  // Marks' labels go in a line above the plot, clear of the value labels inside it.
  const bool labelled = std::any_of(marks.begin(), marks.end(), [](const PlotMark& m) { return !m.label.empty(); });
  if (labelled) ImGui::Dummy(ImVec2(size.x, ImGui::GetTextLineHeight()));
  ImGui::InvisibleButton(id, size);
  const ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(a, b, ImGui::GetColorU32(ImGuiCol_FrameBg));
  const auto x_of = [&](double x) { return a.x + (b.x - a.x) * static_cast<float>((x - xs.front()) / (xs.back() - xs.front())); };
  const auto y_of = [&](double v) { return b.y - (b.y - a.y) * (log_of(v) - lo) / (hi - lo); };
  const auto xs_of = [&](const PlotSeries& s) -> const std::vector<double>& { return s.xs.empty() ? xs : s.xs; };
  const ImU32 faint = ImGui::GetColorU32(ImGuiCol_TextDisabled);
  // Lines at each power of ten, and at 2 and 5 times it where the range is under two decades.
  const bool fine = hi - lo < 2;
  for (float k = std::floor(lo); k <= hi; k += 1)
    for (float m : {1.0f, 2.0f, 5.0f}) {
      const float d = k + std::log10(m);
      if (d < lo - 1e-4f || d > hi + 1e-4f || (m > 1 && !fine)) continue;
      const float y = b.y - (b.y - a.y) * (d - lo) / (hi - lo);
      draw->AddLine(ImVec2(a.x, y), ImVec2(b.x, y), ImGui::GetColorU32(ImGuiCol_Border));
      char label[16];
      std::snprintf(label, sizeof label, "%g", std::pow(10.0, static_cast<double>(d)));
      draw->AddText(ImVec2(a.x + 2, std::min(y, b.y - ImGui::GetTextLineHeight())), faint, label);
    }
  for (const PlotMark& m : marks) {
    if (m.x < xs.front() || m.x > xs.back()) continue;
    const float x = x_of(m.x);
    draw->AddLine(ImVec2(x, a.y), ImVec2(x, b.y), ImGui::GetColorU32(ImGuiCol_PlotLinesHovered));
    const float w = ImGui::CalcTextSize(m.label.c_str()).x;  // centred on its line, within the plot's width
    if (!m.label.empty())
      draw->AddText(ImVec2(std::clamp(x - w / 2, a.x, b.x - w), a.y - ImGui::GetTextLineHeightWithSpacing()), faint, m.label.c_str());
  }
  for (const PlotSeries& s : series) {
    std::vector<ImVec2> points;
    const auto& at = xs_of(s);
    for (size_t i = 0; i < s.values.size() && i < at.size(); ++i) points.emplace_back(x_of(at[i]), y_of(s.values[i]));
    if (points.size() > 1) draw->AddPolyline(points.data(), static_cast<int>(points.size()), s.colour, ImDrawFlags_None, 2.0f);
    if (points.size() <= 40)  // sparse points (a validation loss each epoch) as dots too: a one-epoch run has one
      for (const ImVec2& p : points) draw->AddCircleFilled(p, 2.5f, s.colour);
  }
  char range[64];
  std::snprintf(range, sizeof range, "%s = %.0f .. %.0f", x_name, xs.front(), xs.back());
  draw->AddText(ImVec2(b.x - ImGui::CalcTextSize(range).x - 4, b.y - ImGui::GetTextLineHeight()), faint, range);
  if (ImGui::IsItemHovered()) {
    const float u = (ImGui::GetIO().MousePos.x - a.x) / std::max(b.x - a.x, 1.0f);
    const double x = xs.front() + std::clamp(u, 0.0f, 1.0f) * (xs.back() - xs.front());
    ImGui::BeginTooltip();
    ImGui::Text("%s = %.0f", x_name, x);
    for (const PlotSeries& s : series) {
      const auto& at = xs_of(s);
      const size_t n = std::min(s.values.size(), at.size());
      if (n == 0) continue;
      const size_t i = static_cast<size_t>(std::lower_bound(at.begin(), at.begin() + static_cast<long>(n), x) - at.begin());
      const size_t near = i == n || (i > 0 && x - at[i - 1] < at[i] - x) ? i - 1 : i;  // the point nearest the mouse
      ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(s.colour), "%s: %.4f (%s %.0f)", s.label.c_str(), s.values[near], x_name, at[near]);
    }
    ImGui::EndTooltip();
  }
  // The legend, under the plot.
  for (size_t k = 0; k < series.size(); ++k) {
    if (k > 0) ImGui::SameLine();
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(series[k].colour), "%s", series[k].label.c_str());
  }
}

}  // namespace sprites
