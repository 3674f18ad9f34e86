#include "training_plot.h"

#include "loss_plot.h"
#include "ui_style.h"
#include "weights_library.h"

#include <algorithm>
#include <string>

namespace sprites {

void training_plot(const WeightsLibrary& library) {
  const TrainingCurve& c = library.training();
  if (c.empty()) return;
  PlotSeries train{"training loss", {}, series_colour(0)}, val{"validation loss", {}, series_colour(3)};
  for (const auto& m : c.loss) train.xs.push_back(static_cast<double>(m.step)), train.values.push_back(m.loss);
  for (const auto& v : c.val) val.xs.push_back(static_cast<double>(v.step)), val.values.push_back(v.loss);
  const double last = std::max(c.loss.empty() ? 0.0 : train.xs.back(), c.val.empty() ? 0.0 : val.xs.back());
  std::vector<PlotMark> marks;
  for (const auto& m : library.checkpoint_marks()) marks.push_back({static_cast<double>(m.step), m.id});
  ImGui::Spacing();
  ImGui::TextUnformatted("How this run trained");
  const std::string window = c.loss.size() > 1 ? "every " + std::to_string(c.loss[1].step - c.loss[0].step) + " steps" : "its steps";
  wrapped_disabled_text(("Mean training loss over " + window + ", validation loss after each epoch; the lines mark the checkpoints.").c_str());
  loss_plot("##training_curve", {0.0, last}, {train, val}, marks, "step", ImVec2(std::min(ImGui::GetContentRegionAvail().x, 560.0f), 130.0f));
}

}  // namespace sprites
